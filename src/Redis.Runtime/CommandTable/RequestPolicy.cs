namespace Redis;

/// <summary>
/// The <c>request_policy</c> command tip: how a cluster client sends a command that is not routed by one
/// key's slot (see the Redis "command tips" documentation).
/// </summary>
public enum RequestPolicy : byte
{
    /// <summary>No tip: routed by the slot of its keys, or to any node when it has none.</summary>
    Default,

    /// <summary><c>all_nodes</c>: to every node, masters and replicas (e.g. CONFIG SET).</summary>
    AllNodes,

    /// <summary><c>all_shards</c>: to every master (e.g. DBSIZE, KEYS, FLUSHALL).</summary>
    AllShards,

    /// <summary><c>multi_shard</c>: split by the slots of its keys (e.g. MGET, MSET, DEL).</summary>
    MultiShard,

    /// <summary><c>special</c>: needs command-specific handling (e.g. SCAN).</summary>
    Special,
}
