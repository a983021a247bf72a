namespace Redis.SpecTool;

/// <summary>What applying a previous file's replies to a freshly read document did.</summary>
public sealed class OverlayReport
{
    /// <summary>Commands in the new document that the previous file did not have.</summary>
    public List<string> Added { get; } = [];

    /// <summary>Commands of the previous file that the server no longer reports (their replies are dropped).</summary>
    public List<string> Removed { get; } = [];

    /// <summary>How many replies were carried over.</summary>
    public int RepliesKept { get; set; }

    /// <summary>Callable commands left without a reply.</summary>
    public List<string> WithoutReply { get; } = [];

    /// <summary>Replies whose <c>when.present</c> paths no longer exist in the argument tree, and similar problems.</summary>
    public List<string> Warnings { get; } = [];
}
