using System.Runtime.CompilerServices;

namespace Redis;

/// <summary>
/// A pool of connections, redigo's <c>Pool</c>: <see cref="Get"/> (or <see cref="GetAsync"/>) lends a
/// connection and disposing it gives it back. Its settings (<see cref="PoolOptions"/>) are fixed at
/// construction: pass them to <see cref="Pool(PoolOptions)"/> or
/// <see cref="Create(string, DialOptions?, PoolOptions)"/>, or set them in an object initializer
/// (<c>new Pool { Dial = ..., MaxActive = 32 }</c>).
/// </summary>
/// <remarks>
/// <para>Reuse is most-recently-used first, so surplus connections age out. Idle connections are closed
/// once <see cref="IdleTimeout"/> or <see cref="MaxConnLifetime"/> passes, both when borrowing and by a
/// background sweep. With <see cref="MaxActive"/> reached, <c>Get</c> either throws
/// <see cref="RedisPoolExhaustedException"/> or, with <see cref="Wait"/>, waits: synchronous and
/// asynchronous callers are served in arrival order, and a cancelled wait gives up its place without
/// taking a slot.</para>
/// <para>Disposing a borrowed connection first undoes the state its commands left: DISCARD after MULTI,
/// UNWATCH after WATCH, UNSUBSCRIBE / PUNSUBSCRIBE / SUNSUBSCRIBE after any subscription (reading until
/// a sentinel ECHO comes back), SELECT back to <see cref="Database"/> after a SELECT. A connection that
/// ran MONITOR, RESET, HELLO or CLIENT REPLY OFF/SKIP, or that is broken, is closed instead.</para>
/// <para>Every member is thread-safe. A borrowed connection is used by one caller at a time, like any
/// connection (one thread may receive while another sends).</para>
/// </remarks>
/// <example>
/// <code>
/// using var pool = new Pool
/// {
///     Dial = () => Conn.Dial("tcp", "localhost:6379"),
///     MaxIdle = 8,
///     MaxActive = 32,
///     Wait = true,
///     IdleTimeout = TimeSpan.FromMinutes(4),
/// };
/// using (IConn conn = pool.Get())
/// {
///     conn.Do("SET", "key", "value");
/// }
/// </code>
/// </example>
public sealed partial class Pool : IDisposable, IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly List<PoolEntry> _idle = [];          // oldest first; the most recently used is last
    private readonly LinkedList<PoolWaiter> _waiters = new();
    private int _active;                                   // open + being dialed
    private long _waitCount;
    private TimeSpan _waitDuration;
    private bool _disposed;
    private readonly CancellationTokenSource _disposal;   // cancelled by Dispose
    private bool _started;
    private ITimer? _sweepTimer;
    private readonly PoolOptions _options;                 // replaced only by the init accessors, before any Get
    private Func<IConn, IConn>? _onDialed;                 // see OnDialed

    /// <summary>Creates a pool with the default <see cref="PoolOptions"/>; set <see cref="Dial"/> or <see cref="DialAsync"/> in its object initializer.</summary>
    public Pool()
        : this(PoolOptions.Default, new CancellationTokenSource())
    {
    }

    /// <summary>Creates a pool with <paramref name="options"/>, which must name a dialer (<see cref="PoolOptions.Dial"/> or <see cref="PoolOptions.DialAsync"/>).</summary>
    /// <exception cref="ArgumentException">Neither <see cref="PoolOptions.Dial"/> nor <see cref="PoolOptions.DialAsync"/> is set.</exception>
    public Pool(PoolOptions options)
        : this(CheckHasDialer(options), new CancellationTokenSource())
    {
    }

    private Pool(PoolOptions options, CancellationTokenSource disposal)
    {
        _options = options;
        _disposal = disposal;
        TelemetryRegistry.AddPool(this, () => { PoolStats stats = Stats; return new(stats.IdleCount, stats.ActiveCount, MaxActive, MaxIdle); }); // read by the pool instruments of RedisTelemetry
    }

    /// <summary>The settings this pool was built with.</summary>
    public PoolOptions Options => _options;

    /// <inheritdoc cref="PoolOptions.Dial"/>
    public Func<IConn>? Dial
    {
        get => _options.Dial;
        init => _options = _options with { Dial = value };
    }

    /// <inheritdoc cref="PoolOptions.DialAsync"/>
    public Func<CancellationToken, ValueTask<IConn>>? DialAsync
    {
        get => _options.DialAsync;
        init => _options = _options with { DialAsync = value };
    }

    /// <inheritdoc cref="PoolOptions.TestOnBorrow"/>
    public Func<IConn, DateTimeOffset, bool>? TestOnBorrow
    {
        get => _options.TestOnBorrow;
        init => _options = _options with { TestOnBorrow = value };
    }

    /// <inheritdoc cref="PoolOptions.MaxIdle"/>
    public int MaxIdle
    {
        get => _options.MaxIdle;
        init => _options = _options with { MaxIdle = value };
    }

    /// <inheritdoc cref="PoolOptions.MaxActive"/>
    public int MaxActive
    {
        get => _options.MaxActive;
        init => _options = _options with { MaxActive = value };
    }

    /// <inheritdoc cref="PoolOptions.Wait"/>
    public bool Wait
    {
        get => _options.Wait;
        init => _options = _options with { Wait = value };
    }

    /// <inheritdoc cref="PoolOptions.IdleTimeout"/>
    public TimeSpan IdleTimeout
    {
        get => _options.IdleTimeout;
        init => _options = _options with { IdleTimeout = value };
    }

    /// <inheritdoc cref="PoolOptions.MaxConnLifetime"/>
    public TimeSpan MaxConnLifetime
    {
        get => _options.MaxConnLifetime;
        init => _options = _options with { MaxConnLifetime = value };
    }

    /// <inheritdoc cref="PoolOptions.Database"/>
    public int? Database
    {
        get => _options.Database;
        init => _options = _options with { Database = value };
    }

    /// <inheritdoc cref="PoolOptions.TimeProvider"/>
    public TimeProvider TimeProvider
    {
        get => _options.TimeProvider;
        init => _options = _options with { TimeProvider = value };
    }

    /// <summary>The pool's counters now.</summary>
    public PoolStats Stats
    {
        get
        {
            lock (_lock) return new PoolStats(_active, _idle.Count, _waitCount, _waitDuration);
        }
    }

    /// <summary>
    /// Lends a connection: an idle one (the most recently used that passes the checks) or a new one.
    /// Dispose it to give it back.
    /// </summary>
    /// <exception cref="RedisPoolExhaustedException"><see cref="MaxActive"/> connections are out and <see cref="Wait"/> is off.</exception>
    /// <exception cref="ObjectDisposedException">The pool is disposed (also thrown to callers waiting when it is).</exception>
    /// <exception cref="InvalidOperationException">Neither <see cref="Dial"/> nor <see cref="DialAsync"/> is set.</exception>
    /// <exception cref="RedisException">Dialing failed (the dialer's exception, as is).</exception>
    public IConnWithTimeout Get() => SyncCompletion.Result(GetCore(async: false, CancellationToken.None));

    /// <summary>The asynchronous twin of <see cref="Get"/>. Cancelling while waiting gives up the place in the queue; no slot is held afterwards.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked first, even when a connection is free).</exception>
    /// <exception cref="RedisPoolExhaustedException"><see cref="MaxActive"/> connections are out and <see cref="Wait"/> is off.</exception>
    /// <exception cref="ObjectDisposedException">The pool is disposed.</exception>
    public ValueTask<IConnWithTimeout> GetAsync(CancellationToken cancellationToken = default) => GetCore(async: true, cancellationToken);

    // Get and GetAsync. A synchronous caller blocks on its place in the queue (another thread's return
    // grants it); an asynchronous one awaits it and may cancel.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<IConnWithTimeout> GetCore(bool async, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfNoDialer();
        while (true)
        {
            PoolEntry? entry = Acquire(out PoolWaiter? waiter);
            if (waiter is not null)
            {
                entry = async
                    ? await WaitAsync(waiter, cancellationToken).ConfigureAwait(false)
                    : waiter.Task.GetAwaiter().GetResult();
            }
            if (entry is null) return new PooledConn(this, await DialEntry(async, cancellationToken).ConfigureAwait(false));
            if (IsUsable(entry)) return new PooledConn(this, entry);
            Discard(entry);
        }
    }

    /// <summary>
    /// Closes the idle connections, wakes waiting callers with <see cref="ObjectDisposedException"/>,
    /// abandons the dials in progress of a pool from <see cref="Create(string, DialOptions?)"/> (the socket
    /// being dialed is closed and the caller gets <see cref="ObjectDisposedException"/>; a <see cref="Get"/>
    /// falling back to a custom <see cref="DialAsync"/> passes it a token cancelled here) and refuses later
    /// <see cref="Get"/> calls. Borrowed connections are closed when they come back. Idempotent.
    /// </summary>
    public void Dispose()
    {
        PoolEntry[] idle;
        PoolWaiter[] waiters;
        ITimer? timer;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            TelemetryRegistry.Remove(this);
            idle = [.. _idle];
            _idle.Clear();
            _active -= idle.Length;
            waiters = [.. _waiters];
            foreach (PoolWaiter waiter in waiters) waiter.Node = null;
            _waiters.Clear();
            timer = _sweepTimer;
            _sweepTimer = null;
        }
        timer?.Dispose();
        // Abandons dials in progress: Pool.Create's dialers close the socket of the phase they are in.
        _disposal.Cancel();
        foreach (PoolEntry entry in idle) entry.Close();
        foreach (PoolWaiter waiter in waiters) waiter.TrySetException(new ObjectDisposedException(nameof(Pool), "The pool was disposed while waiting for a connection."));
    }

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Describes the pool's counters.</summary>
    public override string ToString()
    {
        PoolStats stats = Stats;
        return $"Pool(active {stats.ActiveCount}, idle {stats.IdleCount}, max active {(_options.MaxActive == 0 ? "unlimited" : _options.MaxActive)}{(_disposed ? ", disposed" : "")})";
    }

    // A RedisClient on Sentinel learns of every connection its pool dials (to close them when the master
    // moves). Internal and only before the first Get: a pool's settings never change once it lends.
    internal void OnDialed(Func<IConn, IConn> adopt)
    {
        lock (_lock)
        {
            if (_started) throw new InvalidOperationException("A pool's dial hook cannot change once it has lent a connection.");
            _onDialed = adopt;
        }
    }

    private static PoolOptions CheckHasDialer(PoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Dial is null && options.DialAsync is null)
        {
            throw new ArgumentException("PoolOptions needs Dial or DialAsync; Pool.Create(url, dialOptions, poolOptions) dials a URL instead.", nameof(options));
        }
        return options;
    }

    private void ThrowIfNoDialer()
    {
        if (_options.Dial is null && _options.DialAsync is null) throw new InvalidOperationException("Set Pool.Dial or Pool.DialAsync before getting a connection.");
    }
}
