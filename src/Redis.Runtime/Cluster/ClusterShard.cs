namespace Redis;

/// <summary>One shard of a cluster: the slots it owns, its master and its replicas.</summary>
public sealed class ClusterShard
{
    internal ClusterShard(IReadOnlyList<SlotRange> slots, ClusterNode master, IReadOnlyList<ClusterNode> replicas)
    {
        Slots = slots;
        Master = master;
        Replicas = replicas;
    }

    /// <summary>The slot ranges the shard owns.</summary>
    public IReadOnlyList<SlotRange> Slots { get; }

    /// <summary>The master.</summary>
    public ClusterNode Master { get; }

    /// <summary>The replicas (a failed one is listed with <see cref="ClusterNode.Health"/> "fail").</summary>
    public IReadOnlyList<ClusterNode> Replicas { get; }

    /// <summary>Describes the shard.</summary>
    public override string ToString() => $"{Master.Endpoint} [{string.Join(",", Slots)}] +{Replicas.Count} replica(s)";
}
