namespace Redis.Testing;

/// <summary>Settings of a <see cref="LocalCluster"/>; the defaults suit tests on a small, shared machine.</summary>
public sealed record class LocalClusterOptions
{
    /// <summary>
    /// <c>cluster-node-timeout</c>. Default 2 s, as Redis's own scripts use: 1 s risks false failovers when the
    /// machine is loaded; failure detection after <c>kill -9</c> takes about this long plus promotion.
    /// </summary>
    public TimeSpan NodeTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long each node may take to answer PING after it starts, and <c>redis-cli --cluster create</c> to finish. Default 30 s.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a helper waits for the cluster to reach a state (healthy, a replica promoted, all nodes agreeing
    /// on a slot's owner) before it throws a <see cref="TimeoutException"/> saying what did not happen. Default 20 s.
    /// </summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long one command sent to a node may take. Default 5 s.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Extra <c>redis-server</c> arguments for every node, after the helper's own (a later one wins).</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>Receives one line per step (nodes started, cluster created, migrations, failovers) with its duration. Default: <see cref="Console.Error"/>.</summary>
    public Action<string>? Log { get; init; }
}
