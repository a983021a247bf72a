using Microsoft.Extensions.Logging;

namespace Redis;

/// <summary>
/// How a <see cref="RedisCluster"/> behaves: what <see cref="ClientOptions"/> sets for each node's
/// connection (command timeout, stall detection, reconnect backoff, dedicated connections, push frames,
/// logging), plus where reads go, how many redirects and retries a command may take, and when the
/// topology is refreshed. An immutable record: derive variants with <c>with { ... }</c>.
/// </summary>
public sealed record ClusterOptions
{
    /// <summary>The defaults: reads from masters, 16 redirects/retries per command, topology refreshed every 60 s and on every MOVED.</summary>
    public static ClusterOptions Default { get; } = new();

    /// <inheritdoc cref="ClientOptions.CommandTimeout"/>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc cref="ClientOptions.StallTimeout"/>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc cref="ClientOptions.ReconnectDelay"/>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <inheritdoc cref="ClientOptions.MaxReconnectDelay"/>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc cref="ClientOptions.MaxDedicatedConnections"/>
    public int MaxDedicatedConnections { get; init; }

    /// <inheritdoc cref="ClientOptions.MaxIdleDedicatedConnections"/>
    public int MaxIdleDedicatedConnections { get; init; } = 4;

    /// <inheritdoc cref="ClientOptions.PushHandler"/>
    public Action<RedisPush>? PushHandler { get; init; }

    /// <summary>Receives node connection events and topology changes. Optional.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Client-side caching on every node's connection (each node's cache is kept coherent by that node); see <see cref="ClientOptions.Cache"/>.</summary>
    public CacheOptions? Cache { get; init; }

    /// <summary>Where read-only commands go. Default <see cref="ReadFrom.Master"/>.</summary>
    public ReadFrom ReadFrom { get; init; } = ReadFrom.Master;

    /// <summary>
    /// How many times one command may be redirected (MOVED, ASK) or retried (TRYAGAIN, CLUSTERDOWN,
    /// LOADING, a replica that turned read-only) before its last error is thrown. Default 16.
    /// </summary>
    public int MaxRedirects { get; init; } = 16;

    /// <summary>The wait before retrying after TRYAGAIN, CLUSTERDOWN or LOADING; it doubles per retry up to 1 s. Default 50 ms.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How often the topology is re-read even when nothing suggests it changed. Default 60 s; <see cref="TimeSpan.Zero"/> turns it off.</summary>
    public TimeSpan TopologyRefreshInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The least time between two topology reads: a burst of MOVED replies or lost connections causes one
    /// refresh, not one each. Commands never wait for it (a MOVED is followed at once). Default 200 ms.
    /// </summary>
    public TimeSpan MinTopologyRefreshInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    internal void Validate()
    {
        ToClientOptions().Validate();
        if (MaxRedirects < 0) throw new ArgumentException("MaxRedirects must not be negative.", nameof(MaxRedirects));
        if (RetryDelay < TimeSpan.Zero) throw new ArgumentException("RetryDelay must not be negative.", nameof(RetryDelay));
        if (TopologyRefreshInterval < TimeSpan.Zero) throw new ArgumentException("TopologyRefreshInterval must not be negative.", nameof(TopologyRefreshInterval));
        if (MinTopologyRefreshInterval < TimeSpan.Zero) throw new ArgumentException("MinTopologyRefreshInterval must not be negative.", nameof(MinTopologyRefreshInterval));
    }

    /// <summary>The options of each node's <see cref="RedisClient"/>.</summary>
    internal ClientOptions ToClientOptions() => new()
    {
        CommandTimeout = CommandTimeout,
        StallTimeout = StallTimeout,
        ReconnectDelay = ReconnectDelay,
        MaxReconnectDelay = MaxReconnectDelay,
        MaxDedicatedConnections = MaxDedicatedConnections,
        MaxIdleDedicatedConnections = MaxIdleDedicatedConnections,
        PushHandler = PushHandler,
        Logger = Logger,
        Cache = Cache,
    };
}
