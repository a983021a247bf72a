namespace Redis.Testing;

/// <summary>
/// One <c>redis-server</c> process of a <see cref="LocalSentinelSet"/>: a data node (master or replica) or a sentinel
/// (<c>redis-server sentinel.conf --sentinel</c>). Its port, directory and config file never change (a restart reuses
/// them, with whatever Sentinel rewrote into the config); a data node's role does, so it is read from the server when
/// asked (<see cref="LocalServerNode.IsMasterAsync"/>, <see cref="LocalSentinelSet.GetRoleAsync"/>), never remembered.
/// </summary>
public sealed class LocalSentinelNode : LocalServerNode
{
    internal LocalSentinelNode(bool isSentinel, string directory, string configPath, int port, string? password, TimeSpan commandTimeout)
        : base(process: null, directory, port, password, commandTimeout)
    {
        IsSentinel = isSentinel;
        ConfigPath = configPath;
    }

    /// <summary>True for a sentinel, false for a data node (master or replica).</summary>
    public bool IsSentinel { get; }

    /// <summary>The node's config file (<c>redis.conf</c> or <c>sentinel.conf</c>), which the server rewrites (Sentinel state, role changes).</summary>
    public string ConfigPath { get; }

    /// <summary>"sentinel 127.0.0.1:port (pid N)" or "data 127.0.0.1:port (pid N, paused)".</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{(IsSentinel ? "sentinel" : "data")} {Address} ({State})";
}
