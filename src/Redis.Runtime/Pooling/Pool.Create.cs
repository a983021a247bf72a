using System.Runtime.CompilerServices;

namespace Redis;

// Pools that dial a URL or an address themselves (and a Sentinel deployment's master).
public sealed partial class Pool
{
    /// <summary>
    /// Creates a pool that dials <paramref name="url"/> (<c>redis://[user:pass@]host[:port][/db]</c>,
    /// <c>rediss://...</c>, <c>unix:///path</c>) with <paramref name="options"/>, and knows the database to
    /// restore after a borrower's SELECT. The URL is checked now.
    /// </summary>
    /// <exception cref="ArgumentException">A bad URL or option (the message never holds the password).</exception>
    public static Pool Create(string url, DialOptions? options = null) => Create(url, options, PoolOptions.Default);

    /// <summary>
    /// As <see cref="Create(string, DialOptions?)"/>, with the pool's settings from <paramref name="poolOptions"/>
    /// (whose <see cref="PoolOptions.Dial"/> and <see cref="PoolOptions.DialAsync"/> must be unset: the pool dials the URL).
    /// </summary>
    /// <exception cref="ArgumentException">A bad URL or option, a dialer in <paramref name="poolOptions"/>, or a
    /// <see cref="PoolOptions.Database"/> other than the one the URL or <paramref name="dialOptions"/> dial.</exception>
    public static Pool Create(string url, DialOptions? dialOptions, PoolOptions poolOptions)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(poolOptions);
        if (SentinelUrl.IsSentinelUrl(url))
        {
            (Sentinel sentinel, DialOptions dataOptions) = SentinelUrl.Parse(url, dialOptions);
            dataOptions.Validate();
            return ForSentinel(sentinel, dataOptions, CheckForDialing(poolOptions, dataOptions));
        }
        RedisUrl.Target target = RedisUrl.Parse(url, dialOptions);
        target.Options.Validate();
        return ForTarget(target.Network, target.Address, target.Options, CheckForDialing(poolOptions, target.Options));
    }

    /// <summary>Creates a pool that dials <paramref name="address"/> on <paramref name="network"/> (<c>"tcp"</c> or <c>"unix"</c>) with <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">A bad option.</exception>
    public static Pool Create(string network, string address, DialOptions? options = null) => Create(network, address, options, PoolOptions.Default);

    /// <summary>
    /// As <see cref="Create(string, string, DialOptions?)"/>, with the pool's settings from <paramref name="poolOptions"/>
    /// (whose <see cref="PoolOptions.Dial"/> and <see cref="PoolOptions.DialAsync"/> must be unset).
    /// </summary>
    /// <exception cref="ArgumentException">A bad option, a dialer in <paramref name="poolOptions"/>, or a
    /// <see cref="PoolOptions.Database"/> other than <paramref name="dialOptions"/>' database.</exception>
    public static Pool Create(string network, string address, DialOptions? dialOptions, PoolOptions poolOptions)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(poolOptions);
        dialOptions ??= DialOptions.Default;
        dialOptions.Validate();
        return ForTarget(network, address, dialOptions, CheckForDialing(poolOptions, dialOptions));
    }

    // The pool dials, so the dialers are its own; the database to restore is the one it dials.
    private static PoolOptions CheckForDialing(PoolOptions poolOptions, DialOptions dialOptions)
    {
        if (poolOptions.Dial is not null || poolOptions.DialAsync is not null)
        {
            throw new ArgumentException("Pool.Create dials the URL or address itself: leave PoolOptions.Dial and DialAsync unset, or use new Pool(options).", nameof(poolOptions));
        }
        if (poolOptions.Database is int database && database != dialOptions.Database)
        {
            throw new ArgumentException($"PoolOptions.Database ({database}) differs from the database the pool dials ({dialOptions.Database}); set it in the URL or DialOptions.", nameof(poolOptions));
        }
        return poolOptions with { Database = dialOptions.Database };
    }

    // Its dials are bounded in every phase (DialOptions' connect, TLS and handshake timeouts) and
    // abandoned when the pool is disposed, so Dispose never leaves a caller stuck in a dial.
    private static Pool ForTarget(string network, string address, DialOptions options, PoolOptions poolOptions)
    {
        var disposalSource = new CancellationTokenSource();
        CancellationToken disposal = disposalSource.Token;
        var pool = new Pool(poolOptions with
        {
            Dial = () => Conn.DialCore(network, address, options, disposal),
            DialAsync = async cancellationToken =>
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disposal);
                return await Conn.DialAsync(network, address, options, linked.Token).ConfigureAwait(false);
            },
        }, disposalSource);
        TelemetryRegistry.Name(pool, address);
        return pool;
    }

    // redis-sentinel:// URLs: each dial goes to the master the sentinels name (and ROLE confirms). A
    // connection is lent only while the master it was dialed to is still the one the sentinels name (a
    // +switch-master subscription and a periodic check keep that current): a demoted master keeps saying
    // "master" in ROLE for seconds, so ROLE alone would lend it. Connections idle for more than a second
    // are also checked with ROLE (redigo's sentinel TestRole pattern), then by the caller's TestOnBorrow.
    private static Pool ForSentinel(Sentinel sentinel, DialOptions options, PoolOptions poolOptions)
    {
        var disposalSource = new CancellationTokenSource();
        CancellationToken disposal = disposalSource.Token;
        var dialedTo = new ConditionalWeakTable<IConn, string>();
        var master = new StrongBox<string?>(null);
        var watch = new SentinelWatch(sentinel, address => Volatile.Write(ref master.Value, address), logger: null, options);
        watch.Start(TimeSpan.FromSeconds(2));
        disposal.Register(() => _ = watch.DisposeAsync().AsTask());
        Func<IConn, DateTimeOffset, bool>? callerTest = poolOptions.TestOnBorrow;
        return new Pool(poolOptions with
        {
            Dial = () =>
            {
                string address = sentinel.MasterAddress(options, disposal);
                Volatile.Write(ref master.Value, address);
                IConn conn = Conn.DialCore("tcp", address, options, disposal);
                dialedTo.AddOrUpdate(conn, address);
                return conn;
            },
            DialAsync = async cancellationToken =>
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disposal);
                string address = await sentinel.MasterAddressAsync(options, linked.Token).ConfigureAwait(false);
                Volatile.Write(ref master.Value, address);
                IConn conn = await Conn.DialAsync("tcp", address, options, linked.Token).ConfigureAwait(false);
                dialedTo.AddOrUpdate(conn, address);
                return conn;
            },
            TestOnBorrow = (conn, returned) =>
                dialedTo.TryGetValue(conn, out string? address)
                && string.Equals(address, Volatile.Read(ref master.Value), StringComparison.OrdinalIgnoreCase)
                && (DateTimeOffset.UtcNow - returned < TimeSpan.FromSeconds(1) || Sentinel.TestRole(conn, "master"))
                && (callerTest is null || callerTest(conn, returned)),
        }, disposalSource);
    }
}
