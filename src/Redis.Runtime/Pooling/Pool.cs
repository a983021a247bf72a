using System.Runtime.CompilerServices;

namespace Redis;

/// <summary>
/// A pool of connections, redigo's <c>Pool</c>: <see cref="Get"/> (or <see cref="GetAsync"/>) lends a
/// connection and disposing it gives it back. Configure it with the settable properties before the
/// first <c>Get</c>, or start from <see cref="Create(string, DialOptions?)"/>.
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
public sealed class Pool : IDisposable, IAsyncDisposable
{
    private static readonly TimeSpan MinimumSweepPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaximumSweepPeriod = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly List<PoolEntry> _idle = [];          // oldest first; the most recently used is last
    private readonly LinkedList<PoolWaiter> _waiters = new();
    private int _active;                                   // open + being dialed
    private long _waitCount;
    private TimeSpan _waitDuration;
    private bool _disposed;
    private readonly CancellationTokenSource _disposal = new();   // cancelled by Dispose
    private bool _started;
    private ITimer? _sweepTimer;

    private Func<IConn>? _dial;
    private Func<CancellationToken, ValueTask<IConn>>? _dialAsync;
    private Func<IConn, DateTimeOffset, bool>? _testOnBorrow;
    private int _maxIdle = 10;
    private int _maxActive;
    private bool _wait;
    private TimeSpan _idleTimeout;
    private TimeSpan _maxConnLifetime;
    private int? _database;
    private TimeProvider _timeProvider = TimeProvider.System;

    /// <summary>Creates an empty pool; set <see cref="Dial"/> or <see cref="DialAsync"/> before the first <see cref="Get"/>.</summary>
    public Pool()
    {
        TelemetryRegistry.AddPool(this, () => { PoolStats stats = Stats; return new(stats.IdleCount, stats.ActiveCount, MaxActive, MaxIdle); }); // read by the pool instruments of RedisTelemetry
    }

    /// <summary>
    /// Creates a pool that dials <paramref name="url"/> (<c>redis://[user:pass@]host[:port][/db]</c>,
    /// <c>rediss://...</c>, <c>unix:///path</c>) with <paramref name="options"/>, and knows the database to
    /// restore after a borrower's SELECT. The URL is checked now.
    /// </summary>
    /// <exception cref="ArgumentException">A bad URL or option (the message never holds the password).</exception>
    public static Pool Create(string url, DialOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (SentinelUrl.IsSentinelUrl(url))
        {
            (Sentinel sentinel, DialOptions dataOptions) = SentinelUrl.Parse(url, options);
            dataOptions.Validate();
            return ForSentinel(sentinel, dataOptions);
        }
        RedisUrl.Target target = RedisUrl.Parse(url, options);
        target.Options.Validate();
        return ForTarget(target.Network, target.Address, target.Options);
    }

    /// <summary>Creates a pool that dials <paramref name="address"/> on <paramref name="network"/> (<c>"tcp"</c> or <c>"unix"</c>) with <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">A bad option.</exception>
    public static Pool Create(string network, string address, DialOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(address);
        options ??= DialOptions.Default;
        options.Validate();
        return ForTarget(network, address, options);
    }

    // Its dials are bounded in every phase (DialOptions' connect, TLS and handshake timeouts) and
    // abandoned when the pool is disposed, so Dispose never leaves a caller stuck in a dial.
    private static Pool ForTarget(string network, string address, DialOptions options)
    {
        var pool = new Pool { Database = options.Database };
        TelemetryRegistry.Name(pool, address);
        CancellationToken disposal = pool._disposal.Token;
        pool.Dial = () => Conn.DialCore(network, address, options, disposal);
        pool.DialAsync = async cancellationToken =>
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disposal);
            return await Conn.DialAsync(network, address, options, linked.Token).ConfigureAwait(false);
        };
        return pool;
    }

    // redis-sentinel:// URLs: each dial goes to the master the sentinels name (and ROLE confirms). A
    // connection is lent only while the master it was dialed to is still the one the sentinels name (a
    // +switch-master subscription and a periodic check keep that current): a demoted master keeps saying
    // "master" in ROLE for seconds, so ROLE alone would lend it. Connections idle for more than a second
    // are also checked with ROLE (redigo's sentinel TestRole pattern).
    private static Pool ForSentinel(Sentinel sentinel, DialOptions options)
    {
        var pool = new Pool { Database = options.Database };
        CancellationToken disposal = pool._disposal.Token;
        var dialedTo = new System.Runtime.CompilerServices.ConditionalWeakTable<IConn, string>();
        var master = new StrongBox<string?>(null);
        var watch = new SentinelWatch(sentinel, address => Volatile.Write(ref master.Value, address), logger: null, options);
        watch.Start(TimeSpan.FromSeconds(2));
        disposal.Register(() => _ = watch.DisposeAsync().AsTask());
        pool.Dial = () =>
        {
            string address = sentinel.MasterAddress(options, disposal);
            Volatile.Write(ref master.Value, address);
            IConn conn = Conn.DialCore("tcp", address, options, disposal);
            dialedTo.AddOrUpdate(conn, address);
            return conn;
        };
        pool.DialAsync = async cancellationToken =>
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disposal);
            string address = await sentinel.MasterAddressAsync(options, linked.Token).ConfigureAwait(false);
            Volatile.Write(ref master.Value, address);
            IConn conn = await Conn.DialAsync("tcp", address, options, linked.Token).ConfigureAwait(false);
            dialedTo.AddOrUpdate(conn, address);
            return conn;
        };
        pool.TestOnBorrow = (conn, returned) =>
            dialedTo.TryGetValue(conn, out string? address)
            && string.Equals(address, Volatile.Read(ref master.Value), StringComparison.OrdinalIgnoreCase)
            && (DateTimeOffset.UtcNow - returned < TimeSpan.FromSeconds(1) || Sentinel.TestRole(conn, "master"));
        return pool;
    }

    /// <summary>Opens a new connection. It must not return a connection in a special state (subscribed, in MULTI...).</summary>
    public Func<IConn>? Dial
    {
        get => _dial;
        set => Set(ref _dial, value);
    }

    /// <summary>Opens a new connection asynchronously; <see cref="GetAsync"/> prefers it to <see cref="Dial"/> and passes its token.</summary>
    public Func<CancellationToken, ValueTask<IConn>>? DialAsync
    {
        get => _dialAsync;
        set => Set(ref _dialAsync, value);
    }

    /// <summary>
    /// Checks an idle connection before it is lent: it receives the connection and when it was last
    /// returned, and returns <see langword="false"/> (or throws) to have it closed and another one
    /// tried. It runs on the borrowing thread, so keep it short, for example a PING only after a
    /// minute of idleness.
    /// </summary>
    public Func<IConn, DateTimeOffset, bool>? TestOnBorrow
    {
        get => _testOnBorrow;
        set => Set(ref _testOnBorrow, value);
    }

    /// <summary>
    /// The most idle connections kept; more are closed when returned. Default 10 (redigo's default of 0
    /// means no reuse at all; set 0 for that).
    /// </summary>
    public int MaxIdle
    {
        get => _maxIdle;
        set => Set(ref _maxIdle, value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "MaxIdle must not be negative."));
    }

    /// <summary>The most connections open at once, idle and borrowed together; 0 (the default) means no limit.</summary>
    public int MaxActive
    {
        get => _maxActive;
        set => Set(ref _maxActive, value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "MaxActive must not be negative."));
    }

    /// <summary>
    /// With <see cref="MaxActive"/> reached, wait for a connection (in arrival order) instead of throwing
    /// <see cref="RedisPoolExhaustedException"/>.
    /// </summary>
    public bool Wait
    {
        get => _wait;
        set => Set(ref _wait, value);
    }

    /// <summary>Idle connections older than this (since their return) are closed; <see cref="TimeSpan.Zero"/> (the default) means never.</summary>
    public TimeSpan IdleTimeout
    {
        get => _idleTimeout;
        set => Set(ref _idleTimeout, value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), "IdleTimeout must not be negative."));
    }

    /// <summary>Connections older than this (since dialing) are closed instead of being reused; <see cref="TimeSpan.Zero"/> (the default) means no limit.</summary>
    public TimeSpan MaxConnLifetime
    {
        get => _maxConnLifetime;
        set => Set(ref _maxConnLifetime, value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), "MaxConnLifetime must not be negative."));
    }

    /// <summary>
    /// The database every dialed connection starts in, restored with SELECT when a borrower changed it.
    /// <see cref="Create(string, DialOptions?)"/> sets it from the URL or options. When it is
    /// <see langword="null"/> (a custom <see cref="Dial"/>), a connection that ran SELECT is closed on
    /// return instead, since its database cannot be restored reliably.
    /// </summary>
    public int? Database
    {
        get => _database;
        set => Set(ref _database, value is null or >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), "Database must not be negative."));
    }

    /// <summary>The clock for idle and lifetime limits, wait times and the background sweep (a fake one in tests). Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider
    {
        get => _timeProvider;
        set => Set(ref _timeProvider, value ?? throw new ArgumentNullException(nameof(value)));
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
    public IConnWithTimeout Get()
    {
        ThrowIfNoDialer();
        while (true)
        {
            PoolEntry? entry = Acquire(out PoolWaiter? waiter);
            if (waiter is not null)
            {
                entry = waiter.Task.GetAwaiter().GetResult();
            }
            if (entry is null) return new PooledConn(this, DialEntry());
            if (IsUsable(entry)) return new PooledConn(this, entry);
            Discard(entry);
        }
    }

    /// <summary>The asynchronous twin of <see cref="Get"/>. Cancelling while waiting gives up the place in the queue; no slot is held afterwards.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked first, even when a connection is free).</exception>
    /// <exception cref="RedisPoolExhaustedException"><see cref="MaxActive"/> connections are out and <see cref="Wait"/> is off.</exception>
    /// <exception cref="ObjectDisposedException">The pool is disposed.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<IConnWithTimeout> GetAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfNoDialer();
        while (true)
        {
            PoolEntry? entry = Acquire(out PoolWaiter? waiter);
            if (waiter is not null)
            {
                entry = await WaitAsync(waiter, cancellationToken).ConfigureAwait(false);
            }
            if (entry is null) return new PooledConn(this, await DialEntryAsync(cancellationToken).ConfigureAwait(false));
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
        return $"Pool(active {stats.ActiveCount}, idle {stats.IdleCount}, max active {(_maxActive == 0 ? "unlimited" : _maxActive)}{(_disposed ? ", disposed" : "")})";
    }

    // Takes an idle connection (returned), a slot to dial into (null, no waiter), or a place in the
    // queue (null, waiter set). Expired idle connections are closed on the way.
    private PoolEntry? Acquire(out PoolWaiter? waiter)
    {
        waiter = null;
        List<PoolEntry>? expired = null;
        PoolEntry? entry = null;
        try
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (!_started) Start();
                Prune(_timeProvider.GetUtcNow(), ref expired);
                if (_idle.Count > 0)
                {
                    entry = _idle[^1];
                    _idle.RemoveAt(_idle.Count - 1);
                }
                else if (_maxActive == 0 || _active < _maxActive)
                {
                    _active++;
                }
                else if (!_wait)
                {
                    throw new RedisPoolExhaustedException();
                }
                else
                {
                    waiter = new PoolWaiter(_timeProvider.GetTimestamp());
                    waiter.Node = _waiters.AddLast(waiter);
                    _waitCount++;
                }
            }
        }
        finally
        {
            if (expired is not null)
            {
                foreach (PoolEntry old in expired) old.Close();
            }
        }
        return entry;
    }

    private async ValueTask<PoolEntry?> WaitAsync(PoolWaiter waiter, CancellationToken cancellationToken)
    {
        PoolEntry? entry;
        CancellationTokenRegistration registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static (state, token) =>
            {
                var (pool, w) = ((Pool, PoolWaiter))state!;
                pool.CancelWait(w, token);
            }, (this, waiter))
            : default;
        try
        {
            entry = await waiter.Task.ConfigureAwait(false);
        }
        finally
        {
            await registration.DisposeAsync().ConfigureAwait(false);
        }
        if (cancellationToken.IsCancellationRequested)
        {
            // Granted just as the caller gave up: hand it back rather than returning to a caller that no longer wants it.
            if (entry is null) ReleaseSlot();
            else Return(entry, reusable: true);
            cancellationToken.ThrowIfCancellationRequested();
        }
        return entry;
    }

    private bool CancelWait(PoolWaiter waiter, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (waiter.Node is null) return false; // granted, failed or already cancelled
            _waiters.Remove(waiter.Node);
            waiter.Node = null;
            _waitDuration += _timeProvider.GetElapsedTime(waiter.StartTimestamp);
        }
        return waiter.TrySetCanceled(cancellationToken);
    }

    private bool IsUsable(PoolEntry entry)
    {
        if (entry.Conn.Err is not null) return false;
        if (_maxConnLifetime > TimeSpan.Zero && _timeProvider.GetUtcNow() - entry.Created >= _maxConnLifetime) return false;
        if (_testOnBorrow is { } test)
        {
            try
            {
                return test(entry.Conn, entry.ReturnedAt);
            }
            catch (Exception)
            {
                return false;
            }
        }
        return true;
    }

    // A borrowed connection failed its checks: close it and free its slot.
    private void Discard(PoolEntry entry)
    {
        entry.Close();
        ReleaseSlot();
    }

    private PoolEntry DialEntry()
    {
        IConn conn;
        try
        {
            conn = _dial is { } dial
                ? dial()
                : _dialAsync!(_disposal.Token).AsTask().GetAwaiter().GetResult();
            if (conn is null) throw new InvalidOperationException("Pool.Dial returned null.");
        }
        catch (OperationCanceledException ex) when (_disposal.IsCancellationRequested)
        {
            ReleaseSlot();
            throw new ObjectDisposedException("The pool was disposed while dialing a connection.", ex);
        }
        catch
        {
            ReleaseSlot();
            throw;
        }
        return Adopt(conn);
    }

    private async ValueTask<PoolEntry> DialEntryAsync(CancellationToken cancellationToken)
    {
        IConn conn;
        try
        {
            conn = _dialAsync is { } dialAsync
                ? await dialAsync(cancellationToken).ConfigureAwait(false)
                : _dial!();
            if (conn is null) throw new InvalidOperationException("Pool.DialAsync returned null.");
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && _disposal.IsCancellationRequested)
        {
            ReleaseSlot();
            throw new ObjectDisposedException("The pool was disposed while dialing a connection.", ex);
        }
        catch
        {
            ReleaseSlot();
            throw;
        }
        return Adopt(conn);
    }

    private PoolEntry Adopt(IConn conn)
    {
        lock (_lock)
        {
            if (!_disposed) return new PoolEntry(conn, _timeProvider.GetUtcNow());
            _active--;
        }
        try { conn.Close(); } catch (Exception) { /* closing: nothing to report */ }
        throw new ObjectDisposedException(nameof(Pool), "The pool was disposed while dialing a connection.");
    }

    // Called by PooledConn once its state is cleaned (reusable) or could not be (not reusable).
    internal void Return(PoolEntry entry, bool reusable)
    {
        PoolEntry? toClose = null;
        lock (_lock)
        {
            DateTimeOffset now = _timeProvider.GetUtcNow();
            entry.ReturnedAt = now;
            if (!reusable || _disposed || entry.Conn.Err is not null
                || (_maxConnLifetime > TimeSpan.Zero && now - entry.Created >= _maxConnLifetime))
            {
                toClose = entry;
                ReleaseSlotLocked();
            }
            else if (_waiters.First is { } first)
            {
                GrantLocked(first.Value, entry);
            }
            else
            {
                _idle.Add(entry);
                if (_idle.Count > _maxIdle)
                {
                    toClose = _idle[0];
                    _idle.RemoveAt(0);
                    _active--;
                }
            }
        }
        toClose?.Close();
    }

    private void ReleaseSlot()
    {
        lock (_lock) ReleaseSlotLocked();
    }

    // A connection is gone: its slot goes to the first waiter (who dials), or the active count drops.
    private void ReleaseSlotLocked()
    {
        if (_waiters.First is { } first) GrantLocked(first.Value, null);
        else _active--;
    }

    private void GrantLocked(PoolWaiter waiter, PoolEntry? entry)
    {
        _waiters.Remove(waiter.Node!);
        waiter.Node = null;
        _waitDuration += _timeProvider.GetElapsedTime(waiter.StartTimestamp);
        waiter.TrySetResult(entry); // continuations run asynchronously: safe under the lock
    }

    private void Prune(DateTimeOffset now, ref List<PoolEntry>? expired)
    {
        if (_idle.Count == 0 || (_idleTimeout == TimeSpan.Zero && _maxConnLifetime == TimeSpan.Zero)) return;
        for (int i = 0; i < _idle.Count;)
        {
            PoolEntry entry = _idle[i];
            bool idleTooLong = _idleTimeout > TimeSpan.Zero && now - entry.ReturnedAt >= _idleTimeout;
            bool tooOld = _maxConnLifetime > TimeSpan.Zero && now - entry.Created >= _maxConnLifetime;
            if (idleTooLong || tooOld)
            {
                _idle.RemoveAt(i);
                (expired ??= []).Add(entry);
                ReleaseSlotLocked();
            }
            else
            {
                i++;
            }
        }
    }

    // The first Get fixes the settings and starts the sweep.
    private void Start()
    {
        _started = true;
        TimeSpan shortest = _idleTimeout == TimeSpan.Zero ? _maxConnLifetime
            : _maxConnLifetime == TimeSpan.Zero ? _idleTimeout
            : TimeSpan.FromTicks(Math.Min(_idleTimeout.Ticks, _maxConnLifetime.Ticks));
        if (shortest == TimeSpan.Zero) return;
        TimeSpan period = TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 2, MinimumSweepPeriod.Ticks, MaximumSweepPeriod.Ticks));
        // A weak reference: a pool dropped without Dispose must not be kept alive by its own timer.
        _sweepTimer = _timeProvider.CreateTimer(static state => Sweep(state!), new WeakReference<Pool>(this), period, period);
    }

    private static void Sweep(object state)
    {
        if (!((WeakReference<Pool>)state).TryGetTarget(out Pool? pool)) return;
        List<PoolEntry>? expired = null;
        lock (pool._lock)
        {
            if (pool._disposed) return;
            pool.Prune(pool._timeProvider.GetUtcNow(), ref expired);
        }
        if (expired is null) return;
        foreach (PoolEntry entry in expired) entry.Close();
    }

    private void ThrowIfNoDialer()
    {
        if (_dial is null && _dialAsync is null) throw new InvalidOperationException("Set Pool.Dial or Pool.DialAsync before getting a connection.");
    }

    private void Set<T>(ref T field, T value)
    {
        lock (_lock)
        {
            if (_started) throw new InvalidOperationException("A pool's settings cannot change once it has lent a connection.");
            field = value;
        }
    }
}
