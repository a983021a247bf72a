namespace Redis.Extensions.Caching;

/// <summary>
/// Settings of a <see cref="RedisDistributedCache"/>: which Redis to use and how keys are named.
/// </summary>
/// <remarks>
/// The client is chosen in this order: <see cref="Client"/>, <see cref="ClientFactory"/>, <see cref="Url"/>,
/// and, when the cache comes from <c>services.AddRedisDistributedCache()</c>, the <see cref="IRedisClient"/>
/// registered in the container (for example by <c>services.AddRedis(...)</c>). The cache disposes only the
/// client it connected itself from <see cref="Url"/>.
/// </remarks>
public sealed class RedisDistributedCacheOptions
{
    /// <summary>
    /// A prefix put before every cache key (the Redis key is <c>InstanceName + key</c>), so that several
    /// applications can share one database. Use the same value as <c>RedisCacheOptions.InstanceName</c> of
    /// ASP.NET Core's Redis cache to share its entries. <see langword="null"/> or empty: no prefix.
    /// </summary>
    public string? InstanceName { get; set; }

    /// <summary>A client to use (a <see cref="RedisClient"/> or a <see cref="RedisCluster"/>); the cache does not dispose it.</summary>
    public IRedisClient? Client { get; set; }

    /// <summary>
    /// Called once, on the first cache operation, to get the client; the cache does not dispose what it returns.
    /// </summary>
    public Func<CancellationToken, ValueTask<IRedisClient>>? ClientFactory { get; set; }

    /// <summary>
    /// A server URL (<c>redis://[user:password@]host[:port][/db]</c>, <c>rediss://...</c>) that the cache connects
    /// to on its first operation with a <see cref="RedisClient"/> of its own, disposed with the cache.
    /// </summary>
    public string? Url { get; set; }

    /// <summary>
    /// Run reads and writes as Lua scripts (EVALSHA), so that a read refreshes a sliding expiration in the
    /// same round trip and a write sets the fields and the key's time to live atomically. Default
    /// <see langword="true"/>. When <see langword="false"/>, or when the server answers that it has no
    /// scripting (Garnet without <c>--lua</c>), the cache sends plain commands instead: a sliding read then
    /// takes two round trips, as ASP.NET Core's Redis cache does.
    /// </summary>
    public bool UseScripts { get; set; } = true;

    /// <summary>The clock for absolute and sliding expiration times. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
