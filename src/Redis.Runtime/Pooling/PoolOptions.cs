namespace Redis;

/// <summary>
/// How a <see cref="Pool"/> lends connections: its dialer, size limits, waiting, expiry, the borrow
/// check and the database to restore. An immutable record: derive variants with <c>with { ... }</c>;
/// a pool takes it at construction (<see cref="Pool(PoolOptions)"/>,
/// <see cref="Pool.Create(string, DialOptions?, PoolOptions)"/>) and never changes it. A bad value
/// throws <see cref="ArgumentOutOfRangeException"/> (or <see cref="ArgumentNullException"/>) where it is set.
/// </summary>
/// <example>
/// <code>
/// var options = new PoolOptions { MaxActive = 32, Wait = true, IdleTimeout = TimeSpan.FromMinutes(4) };
/// using Pool pool = Pool.Create("redis://localhost:6379/0", dialOptions: null, options);
/// </code>
/// </example>
public sealed record PoolOptions
{
    private readonly int _maxIdle = 10;
    private readonly int _maxActive;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeSpan _maxConnLifetime;
    private readonly int? _database;
    private readonly TimeProvider _timeProvider = TimeProvider.System;

    /// <summary>The defaults: no dialer, up to 10 idle connections, no limit on active ones, no expiry, no borrow check.</summary>
    public static PoolOptions Default { get; } = new();

    /// <summary>
    /// Opens a new connection. It must not return a connection in a special state (subscribed, in MULTI...).
    /// <see cref="Pool.Create(string, DialOptions?, PoolOptions)"/> supplies its own and refuses one set here.
    /// </summary>
    public Func<IConn>? Dial { get; init; }

    /// <summary>Opens a new connection asynchronously; <see cref="Pool.GetAsync"/> prefers it to <see cref="Dial"/> and passes its token.</summary>
    public Func<CancellationToken, ValueTask<IConn>>? DialAsync { get; init; }

    /// <summary>
    /// Checks an idle connection before it is lent: it receives the connection and when it was last
    /// returned, and returns <see langword="false"/> (or throws) to have it closed and another one
    /// tried. It runs on the borrowing thread, so keep it short, for example a PING only after a
    /// minute of idleness.
    /// </summary>
    public Func<IConn, DateTimeOffset, bool>? TestOnBorrow { get; init; }

    /// <summary>
    /// The most idle connections kept; more are closed when returned. Default 10 (redigo's default of 0
    /// means no reuse at all; set 0 for that).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative value.</exception>
    public int MaxIdle
    {
        get => _maxIdle;
        init => _maxIdle = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxIdle), value, "MaxIdle must not be negative.");
    }

    /// <summary>The most connections open at once, idle and borrowed together; 0 (the default) means no limit.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative value.</exception>
    public int MaxActive
    {
        get => _maxActive;
        init => _maxActive = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxActive), value, "MaxActive must not be negative.");
    }

    /// <summary>
    /// With <see cref="MaxActive"/> reached, wait for a connection (in arrival order) instead of throwing
    /// <see cref="RedisPoolExhaustedException"/>.
    /// </summary>
    public bool Wait { get; init; }

    /// <summary>Idle connections older than this (since their return) are closed; <see cref="TimeSpan.Zero"/> (the default) means never.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative value.</exception>
    public TimeSpan IdleTimeout
    {
        get => _idleTimeout;
        init => _idleTimeout = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(IdleTimeout), value, "IdleTimeout must not be negative.");
    }

    /// <summary>Connections older than this (since dialing) are closed instead of being reused; <see cref="TimeSpan.Zero"/> (the default) means no limit.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative value.</exception>
    public TimeSpan MaxConnLifetime
    {
        get => _maxConnLifetime;
        init => _maxConnLifetime = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(MaxConnLifetime), value, "MaxConnLifetime must not be negative.");
    }

    /// <summary>
    /// The database every dialed connection starts in, restored with SELECT when a borrower changed it.
    /// <see cref="Pool.Create(string, DialOptions?, PoolOptions)"/> takes it from the URL or dial options.
    /// When it is <see langword="null"/> (a custom <see cref="Dial"/>), a connection that ran SELECT is
    /// closed on return instead, since its database cannot be restored reliably.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative value.</exception>
    public int? Database
    {
        get => _database;
        init => _database = value is null or >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(Database), value, "Database must not be negative.");
    }

    /// <summary>The clock for idle and lifetime limits, wait times and the background sweep (a fake one in tests). Default <see cref="TimeProvider.System"/>.</summary>
    /// <exception cref="ArgumentNullException">A null clock.</exception>
    public TimeProvider TimeProvider
    {
        get => _timeProvider;
        init => _timeProvider = value ?? throw new ArgumentNullException(nameof(TimeProvider), "TimeProvider must not be null.");
    }
}
