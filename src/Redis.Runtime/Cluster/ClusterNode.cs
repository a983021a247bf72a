namespace Redis;

/// <summary>A node of a cluster as the topology last reported it.</summary>
/// <param name="Id">The node id.</param>
/// <param name="Host">The address clients use (the node's announced endpoint, else its IP).</param>
/// <param name="Port">The client port.</param>
/// <param name="IsMaster">True for a master.</param>
/// <param name="Health">"online", "loading" or "fail" (CLUSTER SHARDS); "online" when read from CLUSTER SLOTS.</param>
public sealed record ClusterNode(string Id, string Host, int Port, bool IsMaster, string Health)
{
    /// <summary>"host:port".</summary>
    public string Endpoint => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>True when the node is reported online.</summary>
    public bool IsOnline => string.Equals(Health, "online", StringComparison.OrdinalIgnoreCase);
}
