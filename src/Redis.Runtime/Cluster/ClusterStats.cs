namespace Redis;

/// <summary>Counters of a <see cref="RedisCluster"/> since it was created.</summary>
/// <param name="Moved">MOVED redirects followed.</param>
/// <param name="Asked">ASK redirects followed (ASKING + the command on the importing node).</param>
/// <param name="Retries">Retries after TRYAGAIN, CLUSTERDOWN, LOADING or READONLY.</param>
/// <param name="TopologyRefreshes">Topology reads that completed (a burst of MOVEDs is coalesced into one).</param>
/// <param name="SplitCommands">Multi-key commands split by slot (MGET, MSET, DEL...).</param>
/// <param name="FanOutCommands">Commands sent to every master or node (DBSIZE, KEYS, FLUSHALL, SCRIPT LOAD...).</param>
public sealed record ClusterStats(long Moved, long Asked, long Retries, long TopologyRefreshes, long SplitCommands, long FanOutCommands);
