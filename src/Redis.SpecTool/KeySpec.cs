namespace Redis.SpecTool;

/// <summary>One key spec of COMMAND INFO: which arguments are keys and how they are used.</summary>
public sealed class KeySpec
{
    /// <summary><c>RO</c>, <c>RW</c>, <c>access</c>, ... in server order.</summary>
    public List<string> Flags { get; } = [];

    /// <summary>Where the search for keys begins.</summary>
    public KeySearch BeginSearch { get; set; } = new();

    /// <summary>How the keys are found from there.</summary>
    public KeySearch FindKeys { get; set; } = new();

    /// <summary>Free-text notes, when the server has any.</summary>
    public string? Notes { get; set; }
}
