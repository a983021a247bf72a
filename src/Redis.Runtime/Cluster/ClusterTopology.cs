namespace Redis;

/// <summary>
/// The shards of a cluster as last read (CLUSTER SHARDS, or CLUSTER SLOTS on servers without it): which
/// master owns which slots, and its replicas. A snapshot: routing follows the servers' redirects first,
/// and <see cref="RedisCluster.Topology"/> returns a newer snapshot after each refresh.
/// </summary>
public sealed class ClusterTopology
{
    /// <summary>The number of hash slots of Redis Cluster.</summary>
    public const int SlotCount = 16384;

    private readonly short[] _shardBySlot;

    internal ClusterTopology(IReadOnlyList<ClusterShard> shards, string source)
    {
        Shards = shards;
        Source = source;
        _shardBySlot = new short[SlotCount];
        _shardBySlot.AsSpan().Fill(-1);
        for (int i = 0; i < shards.Count; i++)
        {
            foreach (SlotRange range in shards[i].Slots)
            {
                if (range.Start < 0 || range.End >= SlotCount || range.Start > range.End)
                {
                    throw new RedisProtocolException($"The cluster topology from {source} has an invalid slot range {range.Start}-{range.End}.");
                }
                _shardBySlot.AsSpan(range.Start, range.Count).Fill((short)i);
            }
        }
        foreach (short shard in _shardBySlot)
        {
            if (shard >= 0) CoveredSlots++;
        }
    }

    /// <summary>The shards, in the order the node reported them.</summary>
    public IReadOnlyList<ClusterShard> Shards { get; }

    /// <summary>How many of the 16384 slots have an owner in this view.</summary>
    public int CoveredSlots { get; }

    /// <summary>True when every slot has an owner.</summary>
    public bool IsComplete => CoveredSlots == SlotCount;

    /// <summary>The node the view was read from ("host:port").</summary>
    public string Source { get; }

    /// <summary>The shard that owns <paramref name="slot"/>, or null when no shard does.</summary>
    public ClusterShard? ShardOf(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, SlotCount);
        int index = _shardBySlot[slot];
        return index < 0 ? null : Shards[index];
    }

    /// <summary>Describes the topology.</summary>
    public override string ToString() => $"ClusterTopology({Shards.Count} shards, {CoveredSlots}/{SlotCount} slots, from {Source})";
}
