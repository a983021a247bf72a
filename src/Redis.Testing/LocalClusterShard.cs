namespace Redis.Testing;

/// <summary>One shard of a <see cref="LocalCluster"/> as one node reported it (<c>CLUSTER SHARDS</c>): a master, its replicas, its slots.</summary>
public sealed class LocalClusterShard
{
    internal LocalClusterShard(LocalClusterNode master, IReadOnlyList<LocalClusterNode> replicas, IReadOnlyList<(int Start, int End)> slotRanges)
    {
        Master = master;
        Replicas = replicas;
        SlotRanges = slotRanges;
    }

    /// <summary>The shard's master.</summary>
    public LocalClusterNode Master { get; }

    /// <summary>The master's replicas (possibly none, e.g. after the only replica was promoted elsewhere).</summary>
    public IReadOnlyList<LocalClusterNode> Replicas { get; }

    /// <summary>The slot ranges the master serves, inclusive, ascending; empty for a master without slots.</summary>
    public IReadOnlyList<(int Start, int End)> SlotRanges { get; }

    /// <summary>Number of slots the master serves.</summary>
    public int SlotCount => SlotRanges.Sum(r => r.End - r.Start + 1);

    /// <summary>True when the master serves <paramref name="slot"/>.</summary>
    /// <param name="slot">A slot, 0-16383.</param>
    /// <returns>Whether the slot is in one of <see cref="SlotRanges"/>.</returns>
    public bool Owns(int slot) => SlotRanges.Any(r => r.Start <= slot && slot <= r.End);

    /// <summary>"master 127.0.0.1:p [0-5460] replicas 127.0.0.1:q".</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"master {Master.Address} [{string.Join(',', SlotRanges.Select(r => r.Start == r.End ? $"{r.Start}" : $"{r.Start}-{r.End}"))}]" +
        (Replicas.Count == 0 ? " no replicas" : " replicas " + string.Join(',', Replicas.Select(r => r.Address)));
}
