namespace Redis;

// Dedicated connections from the client's pool: blocking commands (automatically, for one call),
// transactions, subscriptions and explicit leases.
public sealed partial class RedisClient
{
    /// <summary>
    /// Leases a connection of its own from the client's pool (same endpoint and dial options), for what a
    /// shared connection cannot do: MULTI/EXEC with WATCH, explicit Send/Flush/Receive pipelines, MONITOR,
    /// SELECT. Dispose it to give it back; its state (MULTI, WATCH, subscriptions, SELECT) is undone first.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    /// <exception cref="RedisConnectionException">A new connection could not be dialed.</exception>
    public IConnWithTimeout GetDedicated()
    {
        ThrowIfDisposed();
        return _pool.Get();
    }

    /// <summary>The asynchronous twin of <see cref="GetDedicated"/>.</summary>
    public ValueTask<IConnWithTimeout> GetDedicatedAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _pool.GetAsync(cancellationToken);
    }

    /// <summary>
    /// Runs a transaction on a leased connection: WATCH <paramref name="watchKeys"/>, call
    /// <paramref name="prepare"/> (which reads with <c>Do</c> and returns the action that queues the writes
    /// with <c>Send</c>, or null to give up), then MULTI / the writes / EXEC, retrying when a watched key
    /// changed. See <see cref="Redis.Transaction.Run"/>.
    /// </summary>
    /// <returns>EXEC's replies, or null when <paramref name="prepare"/> gave up.</returns>
    /// <exception cref="RedisWatchConflictException">Every attempt conflicted.</exception>
    public object?[]? Transaction(IReadOnlyList<string> watchKeys, Func<IConn, Action<IConn>?> prepare, int maxAttempts = Redis.Transaction.DefaultMaxAttempts)
    {
        using IConnWithTimeout conn = GetDedicated();
        return Redis.Transaction.Run(conn, watchKeys, prepare, maxAttempts);
    }

    /// <summary>Runs MULTI, the commands <paramref name="queue"/> sends, and EXEC on a leased connection; returns EXEC's replies.</summary>
    public object?[] Transaction(Action<IConn> queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return Transaction([], _ => queue, 1)!;
    }

    /// <summary>The asynchronous twin of <see cref="Transaction(Action{IConn})"/>.</summary>
    public async ValueTask<object?[]> TransactionAsync(Action<IConn> queue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return (await TransactionAsync([], (_, _) => ValueTask.FromResult<Action<IConn>?>(queue), 1, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>The asynchronous twin of <see cref="Transaction(IReadOnlyList{string}, Func{IConn, Action{IConn}?}, int)"/>.</summary>
    public async ValueTask<object?[]?> TransactionAsync(
        IReadOnlyList<string> watchKeys,
        Func<IConn, CancellationToken, ValueTask<Action<IConn>?>> prepare,
        int maxAttempts = Redis.Transaction.DefaultMaxAttempts,
        CancellationToken cancellationToken = default)
    {
        IConnWithTimeout conn = await GetDedicatedAsync(cancellationToken).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            return await Redis.Transaction.RunAsync(conn, watchKeys, prepare, maxAttempts, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A <see cref="PubSubConn"/> over a leased connection: subscribe, receive messages, and dispose it to
    /// unsubscribe and give the connection back.
    /// </summary>
    public PubSubConn CreatePubSub() => new(GetDedicated());

    /// <summary>
    /// A <see cref="Subscriber"/>: subscriptions that survive their connection (a reconnect, or a
    /// Sentinel-backed client moving to a new master, subscribes them again by itself), one message stream.
    /// </summary>
    public Subscriber CreateSubscriber()
    {
        ThrowIfDisposed();
        return new Subscriber(this);
    }

    /// <summary>The asynchronous twin of <see cref="CreatePubSub"/>.</summary>
    public async ValueTask<PubSubConn> CreatePubSubAsync(CancellationToken cancellationToken = default)
        => new(await GetDedicatedAsync(cancellationToken).ConfigureAwait(false));

    private object? DoDedicated(string command, object?[] args, CommandRoute route)
    {
        if (route != CommandRoute.Blocking) throw new InvalidOperationException(CommandRouting.RefusalMessage(command, route));
        ThrowIfDisposed();
        Interlocked.Increment(ref _dedicatedCommands);
        for (int attempt = 0; ; attempt++)
        {
            string dialed = CurrentAddress;
            try
            {
                using IConnWithTimeout conn = _pool.Get();
                // No read deadline: the command's own timeout argument bounds the wait.
                return conn.DoWithTimeout(TimeSpan.Zero, command, args);
            }
            catch (RedisException error) when (MovesWithMaster(error, dialed, attempt))
            {
                WaitForNewMaster(dialed, CancellationToken.None).GetAwaiter().GetResult();
            }
        }
    }

    private async ValueTask<object?> DoDedicatedAsync(string command, object?[] args, CommandRoute route, CancellationToken cancellationToken)
    {
        if (route != CommandRoute.Blocking) throw new InvalidOperationException(CommandRouting.RefusalMessage(command, route));
        ThrowIfDisposed();
        Interlocked.Increment(ref _dedicatedCommands);
        for (int attempt = 0; ; attempt++)
        {
            string dialed = CurrentAddress;
            try
            {
                IConnWithTimeout conn = await _pool.GetAsync(cancellationToken).ConfigureAwait(false);
                await using (conn.ConfigureAwait(false))
                {
                    // Cancelling breaks this dedicated connection (the pool drops it), which also unblocks the server side.
                    return await conn.DoWithTimeoutAsync(TimeSpan.Zero, command, args, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (RedisException error) when (MovesWithMaster(error, dialed, attempt))
            {
                await WaitForNewMaster(dialed, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private TResult ExecuteDedicated<TCommand, TParser, TResult>(scoped in TCommand command, in TParser parser, CommandRoute route, CommandInfo info)
        where TCommand : struct, IRespCommand, allows ref struct
        where TParser : struct, IRespParser<TResult>
    {
        if (route != CommandRoute.Blocking) throw new InvalidOperationException(CommandRouting.RefusalMessage(info.Name, route));
        ThrowIfDisposed();
        Interlocked.Increment(ref _dedicatedCommands);
        for (int attempt = 0; ; attempt++)
        {
            string dialed = CurrentAddress;
            try
            {
                using IConnWithTimeout conn = _pool.Get();
                return RespExecutor.For(conn).Execute<TCommand, TParser, TResult>(command, parser);
            }
            catch (RedisException error) when (MovesWithMaster(error, dialed, attempt))
            {
                WaitForNewMaster(dialed, CancellationToken.None).GetAwaiter().GetResult();
            }
        }
    }

    private async ValueTask<TResult> ExecuteDedicatedAsync<TCommand, TParser, TResult>(TCommand command, TParser parser, CommandRoute route, CommandInfo info, CancellationToken cancellationToken)
        where TCommand : struct, IRespCommand
        where TParser : struct, IRespParser<TResult>
    {
        if (route != CommandRoute.Blocking) throw new InvalidOperationException(CommandRouting.RefusalMessage(info.Name, route));
        ThrowIfDisposed();
        Interlocked.Increment(ref _dedicatedCommands);
        for (int attempt = 0; ; attempt++)
        {
            string dialed = CurrentAddress;
            try
            {
                IConnWithTimeout conn = await _pool.GetAsync(cancellationToken).ConfigureAwait(false);
                await using (conn.ConfigureAwait(false))
                {
                    return await RespExecutor.For(conn).ExecuteAsync<TCommand, TParser, TResult>(command, parser, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (RedisException error) when (MovesWithMaster(error, dialed, attempt))
            {
                await WaitForNewMaster(dialed, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // A blocking command on a Sentinel-backed client whose master was demoted under it (Redis unblocks
    // it with -UNBLOCKED, or refuses a write with -READONLY) or whose connection the switch closed: it
    // did not run there, so it runs once more on the new master.
    private bool MovesWithMaster(RedisException error, string dialed, int attempt)
        => _sentinel is not null && attempt == 0 && !Volatile.Read(ref _disposed)
            && (error is RedisServerException { Prefix: "UNBLOCKED" or "READONLY" }
                || (error is RedisConnectionException && !string.Equals(CurrentAddress, dialed, StringComparison.OrdinalIgnoreCase)));

    private async Task WaitForNewMaster(string old, CancellationToken cancellationToken)
    {
        _sentinelWatch?.RequestCheck();
        for (int i = 0; i < 300 && string.Equals(CurrentAddress, old, StringComparison.OrdinalIgnoreCase) && !Volatile.Read(ref _disposed); i++)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed)) throw DisposedError();
    }
}
