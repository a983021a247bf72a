namespace Redis;

/// <summary>
/// A thread-safe client for many concurrent callers: <see cref="RedisClient"/> (one server) and
/// <see cref="RedisCluster"/> (a Redis Cluster, routed by slot). Register one as a singleton and share it.
/// Typed commands: <c>client.Commands()</c> (the generated <c>IRedisCommands</c>) or <c>IYourInterface.Create(client)</c>.
/// </summary>
public interface IRedisClient : IRespExecutor, IDisposable, IAsyncDisposable
{
    /// <summary>Sends one command and returns its reply as <see cref="IConn.Do"/> converts it (an error reply is thrown).</summary>
    object? Do(string command, params object?[] args);

    /// <summary>The asynchronous twin of <see cref="Do"/>, without cancellation.</summary>
    ValueTask<object?> DoAsync(string command, params object?[] args);

    /// <summary>The asynchronous twin of <see cref="Do"/>.</summary>
    ValueTask<object?> DoAsync(string command, IReadOnlyList<object?> args, CancellationToken cancellationToken);

    /// <summary>Runs MULTI, the commands <paramref name="queue"/> sends (with <c>Send</c>), and EXEC on a connection of its own; returns EXEC's replies.</summary>
    object?[] Transaction(Action<IConn> queue);

    /// <summary>The asynchronous twin of <see cref="Transaction(Action{IConn})"/>.</summary>
    ValueTask<object?[]> TransactionAsync(Action<IConn> queue, CancellationToken cancellationToken = default);

    /// <summary>
    /// WATCH <paramref name="watchKeys"/>, call <paramref name="prepare"/> (it reads with <c>Do</c> and returns the
    /// action that queues the writes, or null to give up), then MULTI / the writes / EXEC, retrying on a conflict.
    /// </summary>
    object?[]? Transaction(IReadOnlyList<string> watchKeys, Func<IConn, Action<IConn>?> prepare, int maxAttempts = Redis.Transaction.DefaultMaxAttempts);

    /// <summary>The asynchronous twin of <see cref="Transaction(IReadOnlyList{string}, Func{IConn, Action{IConn}?}, int)"/>.</summary>
    ValueTask<object?[]?> TransactionAsync(
        IReadOnlyList<string> watchKeys,
        Func<IConn, CancellationToken, ValueTask<Action<IConn>?>> prepare,
        int maxAttempts = Redis.Transaction.DefaultMaxAttempts,
        CancellationToken cancellationToken = default);

    /// <summary>A <see cref="PubSubConn"/> on a connection of its own (dispose it to give the connection back).</summary>
    PubSubConn CreatePubSub();

    /// <summary>The asynchronous twin of <see cref="CreatePubSub"/>.</summary>
    ValueTask<PubSubConn> CreatePubSubAsync(CancellationToken cancellationToken = default);

    /// <summary>Leases a connection of its own (dispose it to give it back; its state is undone first).</summary>
    IConnWithTimeout GetDedicated();

    /// <summary>The asynchronous twin of <see cref="GetDedicated"/>.</summary>
    ValueTask<IConnWithTimeout> GetDedicatedAsync(CancellationToken cancellationToken = default);
}
