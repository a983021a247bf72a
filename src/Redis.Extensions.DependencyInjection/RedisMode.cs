namespace Redis.Extensions.DependencyInjection;

/// <summary>What kind of deployment a registered <see cref="IRedisClient"/> talks to.</summary>
public enum RedisMode
{
    /// <summary>One server: a <see cref="RedisClient"/> (<c>RedisClient.Connect(url)</c>).</summary>
    Standalone,

    /// <summary>A Redis Cluster: a <see cref="RedisCluster"/> routed by slot; <see cref="RedisOptions.Url"/> or <see cref="RedisOptions.Endpoints"/> are the seeds.</summary>
    Cluster,

    /// <summary>
    /// A master found through Redis Sentinel and followed through failovers: a <see cref="RedisClient"/> on a
    /// <see cref="Redis.Sentinel"/>; <see cref="RedisOptions.Url"/> is a <c>redis-sentinel://</c> URL, or
    /// <see cref="RedisOptions.Endpoints"/> are the sentinels and <see cref="RedisSentinelOptions.MasterName"/> names the master.
    /// </summary>
    Sentinel,
}
