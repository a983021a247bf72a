namespace Redis.Testing;

/// <summary>
/// One <c>redis-server</c> process of a <see cref="LocalCluster"/>. Its port, directory and node id never change
/// (a restart reuses the port and nodes.conf); its role does, so it is read from the server when asked
/// (<see cref="LocalServerNode.IsMasterAsync"/>, <see cref="LocalCluster.GetShardsAsync"/>), never remembered.
/// The cluster bus listens on <see cref="LocalServerNode.Port"/> + 10000.
/// </summary>
public sealed class LocalClusterNode : LocalServerNode
{
    internal LocalClusterNode(RedisServerProcess process, string directory, int port, TimeSpan commandTimeout)
        : base(process, directory, port, password: null, commandTimeout)
    {
        NodeId = string.Empty;
    }

    /// <summary>The node's 40-character cluster id (<c>CLUSTER MYID</c>); kept across restarts by nodes.conf.</summary>
    public string NodeId { get; internal set; }

    /// <summary>"127.0.0.1:port (node id prefix, pid)".</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{Address} ({(NodeId.Length >= 8 ? NodeId[..8] : NodeId)}, {State})";
}
