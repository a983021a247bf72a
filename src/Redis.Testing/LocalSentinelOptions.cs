namespace Redis.Testing;

/// <summary>Settings of a <see cref="LocalSentinelSet"/>; the defaults suit tests on a small, shared machine.</summary>
public sealed record class LocalSentinelOptions
{
    /// <summary>
    /// <c>sentinel down-after-milliseconds</c>: how long a node may not answer before a sentinel calls it subjectively
    /// down. Default 2 s (measured here: <c>kill -9</c> of the master gives a new master after ~3.5 s). With 1 s, a test
    /// suite loading a 2-core machine now and then stalled a node or two sentinels for a second, and the sentinels failed
    /// over a healthy master (seen: config-epoch 2 after one kill, the restarted old master promoted back). Sentinel's own
    /// TILT mode covers timer stalls over 2 s, so 2 s also keeps a stalled sentinel from calling a live master down.
    /// </summary>
    public TimeSpan DownAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary><c>sentinel failover-timeout</c>. Default 5 s.</summary>
    public TimeSpan FailoverTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The quorum of <c>sentinel monitor</c>; <see langword="null"/> for a majority of the sentinels (2 of 3).</summary>
    public int? Quorum { get; init; }

    /// <summary>
    /// Password of the data nodes (<c>requirepass</c> and <c>masterauth</c>; the sentinels get it as
    /// <c>sentinel auth-pass</c>); <see langword="null"/> for none.
    /// </summary>
    public string? DataPassword { get; init; }

    /// <summary>
    /// Password of the sentinels themselves (<c>requirepass</c> and <c>sentinel sentinel-pass</c> in their config), which
    /// may differ from <see cref="DataPassword"/>; <see langword="null"/> for none.
    /// </summary>
    public string? SentinelPassword { get; init; }

    /// <summary>How long each process may take to answer PING after it starts. Default 30 s.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a helper waits for a state (healthy, a new master agreed by every sentinel) before it throws a
    /// <see cref="TimeoutException"/> saying what did not happen. Default 30 s: after a failover Sentinel demotes a
    /// still-running old master only ~8-15 s later, and <see cref="LocalSentinelSet.WaitForHealthyAsync"/> waits for that.
    /// </summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one command sent to a node may take. Default 5 s.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Extra config lines for every data node (e.g. <c>"maxmemory 10mb"</c>), after the helper's own (a later one wins).</summary>
    public IReadOnlyList<string> DataNodeConfig { get; init; } = [];

    /// <summary>Extra config lines for every sentinel (e.g. <c>"sentinel deny-scripts-reconfig yes"</c>), after the helper's own.</summary>
    public IReadOnlyList<string> SentinelConfig { get; init; } = [];

    /// <summary>Receives one line per step (set started, failover, kill, restart) with its duration. Default: <see cref="Console.Error"/>.</summary>
    public Action<string>? Log { get; init; }
}
