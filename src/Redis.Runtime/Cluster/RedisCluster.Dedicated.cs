namespace Redis;

// Transactions, subscriptions and leased connections: each needs a connection of its own on the node
// that owns the keys involved.
public sealed partial class RedisCluster
{
    /// <summary>
    /// Runs MULTI, the commands <paramref name="queue"/> sends, and EXEC on the master that owns their slot.
    /// The commands are recorded first and must all hash to one slot (use a hash tag); otherwise a
    /// <see cref="RedisException"/> is thrown before anything is sent. During a slot migration the
    /// transaction follows MOVED, and ASK (ASKING before MULTI).
    /// </summary>
    public object?[] Transaction(Action<IConn> queue)
    {
        CommandRecorder recorded = Record(queue);
        return RunOnSlotOwner(SlotOfTransaction(recorded.Commands.Select(c => (c.Command, c.Args)), "transaction"), conn => Redis.Transaction.Run(conn, [], _ => recorded.Replay, 1)!);
    }

    /// <summary>The asynchronous twin of <see cref="Transaction(Action{IConn})"/>.</summary>
    public async ValueTask<object?[]> TransactionAsync(Action<IConn> queue, CancellationToken cancellationToken = default)
    {
        CommandRecorder recorded = Record(queue);
        int slot = SlotOfTransaction(recorded.Commands.Select(c => (c.Command, c.Args)), "transaction");
        return await RunOnSlotOwnerAsync(slot, (conn, ct) => Redis.Transaction.RunAsync(conn, [], (_, _) => ValueTask.FromResult<Action<IConn>?>(recorded.Replay), 1, ct), cancellationToken).ConfigureAwait(false) ?? [];
    }

    /// <summary>
    /// WATCH <paramref name="watchKeys"/> (which must share a slot), <paramref name="prepare"/>, MULTI / the
    /// writes / EXEC on that slot's master, retrying on a conflict. The writes must stay in the watched slot:
    /// the server refuses others with a redirect, which aborts the transaction.
    /// </summary>
    public object?[]? Transaction(IReadOnlyList<string> watchKeys, Func<IConn, Action<IConn>?> prepare, int maxAttempts = Redis.Transaction.DefaultMaxAttempts)
    {
        ArgumentNullException.ThrowIfNull(watchKeys);
        int slot = SlotOfTransaction(watchKeys.Select(k => ("WATCH", new object?[] { k })), "WATCH");
        return RunOnSlotOwner(slot, conn => Redis.Transaction.Run(conn, watchKeys, prepare, maxAttempts));
    }

    /// <summary>The asynchronous twin of <see cref="Transaction(IReadOnlyList{string}, Func{IConn, Action{IConn}?}, int)"/>.</summary>
    public async ValueTask<object?[]?> TransactionAsync(
        IReadOnlyList<string> watchKeys,
        Func<IConn, CancellationToken, ValueTask<Action<IConn>?>> prepare,
        int maxAttempts = Redis.Transaction.DefaultMaxAttempts,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(watchKeys);
        int slot = SlotOfTransaction(watchKeys.Select(k => ("WATCH", new object?[] { k })), "WATCH");
        return await RunOnSlotOwnerAsync(slot, (conn, ct) => Redis.Transaction.RunAsync(conn, watchKeys, prepare, maxAttempts, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A classic (cluster-wide) <see cref="PubSubConn"/> on one master: PUBLISH reaches every node's subscribers.</summary>
    public PubSubConn CreatePubSub() => AnyMaster(Volatile.Read(ref _routes)).CreatePubSub();

    /// <summary>The asynchronous twin of <see cref="CreatePubSub"/>.</summary>
    public ValueTask<PubSubConn> CreatePubSubAsync(CancellationToken cancellationToken = default) => AnyMaster(Volatile.Read(ref _routes)).CreatePubSubAsync(cancellationToken);

    /// <summary>
    /// A sharded subscriber: SSUBSCRIBE each channel on its slot's master, one stream of messages, channels
    /// moved to the new owner by themselves when a slot moves (see <see cref="ShardedPubSub"/>).
    /// </summary>
    public ShardedPubSub CreateShardedPubSub() => new(this);

    /// <summary>
    /// The typed API with client-side caching (<see cref="ClusterOptions.Cache"/>): cacheable reads are served
    /// from the cache of their key's node, kept coherent by that node; everything else is routed as usual.
    /// See <see cref="RedisClient.Cached(TimeSpan)"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The cluster has no cache.</exception>
    public IRedisCommands Cached(TimeSpan ttl) => IRedisCommands.Create(CachingExecutor(ttl));

    /// <summary>As <see cref="Do"/>, answered from the cache when the command is a cacheable read.</summary>
    public object? DoCached(TimeSpan ttl, string command, params object?[] args)
        => CachingExecutor(ttl).Execute<UntypedCommand, ObjectParser, object?>(Untyped(command, args), default);

    /// <summary>The asynchronous twin of <see cref="DoCached"/>.</summary>
    public ValueTask<object?> DoCachedAsync(TimeSpan ttl, string command, IReadOnlyList<object?> args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        return CachingExecutor(ttl).ExecuteAsync<UntypedCommand, ObjectParser, object?>(Untyped(command, args as object?[] ?? [.. args]), default, cancellationToken);
    }

    /// <summary>The client-side cache counters summed over the nodes (null without <see cref="ClusterOptions.Cache"/>).</summary>
    public CacheStats? CacheStats
    {
        get
        {
            if (_options.Cache is null) return null;
            RedisClient[] clients;
            lock (_nodesLock) clients = [.. _masterClients.Values];
            long hits = 0, misses = 0, invalidations = 0, evictions = 0, entries = 0, bytes = 0;
            foreach (RedisClient client in clients)
            {
                if (client.Stats.Cache is not { } stats) continue;
                hits += stats.Hits;
                misses += stats.Misses;
                invalidations += stats.Invalidations;
                evictions += stats.Evictions;
                entries += stats.Entries;
                bytes += stats.Bytes;
            }
            return new CacheStats(hits, misses, invalidations, evictions, entries, bytes);
        }
    }

    private ClusterCachedExecutor CachingExecutor(TimeSpan ttl)
    {
        if (_options.Cache is null) throw new InvalidOperationException("This cluster client has no cache: set ClusterOptions.Cache to a CacheOptions.");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        return new ClusterCachedExecutor(this, ttl);
    }

    /// <summary>The master a slot's commands go to now (as last seen; MOVED corrects it).</summary>
    internal RedisClient MasterOfSlot(int slot) => NodeFor(new Route(RouteKind.Slot, slot, false, default));

    /// <summary>A subscriber saw a slot move or a node go: re-read the topology (coalesced).</summary>
    internal void OnSlotMoved() => RequestRefresh();

    /// <summary>Leases a connection to one master (for keyless work); use <see cref="GetDedicated(string)"/> for a key's owner.</summary>
    public IConnWithTimeout GetDedicated() => AnyMaster(Volatile.Read(ref _routes)).GetDedicated();

    /// <summary>The asynchronous twin of <see cref="GetDedicated()"/>.</summary>
    public ValueTask<IConnWithTimeout> GetDedicatedAsync(CancellationToken cancellationToken = default) => AnyMaster(Volatile.Read(ref _routes)).GetDedicatedAsync(cancellationToken);

    /// <summary>Leases a connection to the master that owns <paramref name="key"/>'s slot, as last seen.</summary>
    public IConnWithTimeout GetDedicated(string key) => NodeFor(new Route(RouteKind.Slot, Slot(key), false, default)).GetDedicated();

    private static CommandRecorder Record(Action<IConn> queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var recorder = new CommandRecorder();
        queue(recorder);
        return recorder;
    }

    // The one slot of a transaction's keys (-1 when it has none), or a RedisException before sending.
    private static int SlotOfTransaction(IEnumerable<(string Command, object?[] Args)> commands, string what)
    {
        int slot = -1;
        foreach ((string command, object?[] args) in commands)
        {
            Route route = RouteOf<UntypedCommand>(new UntypedCommand(command, args));
            switch (route.Kind)
            {
                case RouteKind.Slot:
                    if (slot >= 0 && route.Slot != slot) throw new RedisException($"The {what} touches slots {slot} and {route.Slot}: in a cluster a transaction runs on one node, so all its keys must share a slot (use a hash tag such as {{order:42}}). Nothing was sent.");
                    slot = route.Slot;
                    break;
                case RouteKind.AnyMaster:
                    break;
                case RouteKind.CrossSlot:
                case RouteKind.Split:
                    throw new RedisException($"{route.Info.Name} in the {what} has keys in several slots; in a cluster a transaction's keys must share a slot. Nothing was sent.");
                default:
                    throw new RedisException($"{route.Info.Name} cannot run in a cluster transaction: it must go to several nodes or its keys are unknown. Nothing was sent.");
            }
        }
        return slot;
    }

    private T RunOnSlotOwner<T>(int slot, Func<IConn, T> run)
    {
        var route = new Route(slot >= 0 ? RouteKind.Slot : RouteKind.AnyMaster, slot, false, default);
        RedisClient node = NodeFor(route);
        bool asking = false;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                using IConnWithTimeout conn = node.GetDedicated();
                if (asking) conn.Do("ASKING"); // kept through MULTI by the server
                return run(conn);
            }
            catch (RedisServerException error)
            {
                Redirect redirect = OnError(error, attempt, route, node);
                if (redirect.Node is null) throw;
                (node, asking) = (redirect.Node, redirect.Asking);
                if (redirect.Delay > TimeSpan.Zero) Thread.Sleep(redirect.Delay);
            }
        }
    }

    private async ValueTask<T> RunOnSlotOwnerAsync<T>(int slot, Func<IConn, CancellationToken, ValueTask<T>> run, CancellationToken cancellationToken)
    {
        var route = new Route(slot >= 0 ? RouteKind.Slot : RouteKind.AnyMaster, slot, false, default);
        RedisClient node = NodeFor(route);
        bool asking = false;
        for (int attempt = 0; ; attempt++)
        {
            Redirect redirect;
            try
            {
                IConnWithTimeout conn = await node.GetDedicatedAsync(cancellationToken).ConfigureAwait(false);
                await using (conn.ConfigureAwait(false))
                {
                    if (asking) await conn.DoAsync("ASKING", [], cancellationToken).ConfigureAwait(false);
                    return await run(conn, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (RedisServerException error)
            {
                redirect = OnError(error, attempt, route, node);
                if (redirect.Node is null) throw;
            }
            (node, asking) = (redirect.Node, redirect.Asking);
            if (redirect.Delay > TimeSpan.Zero) await Task.Delay(redirect.Delay, cancellationToken).ConfigureAwait(false);
        }
    }
}
