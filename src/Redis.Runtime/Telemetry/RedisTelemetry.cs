using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Redis;

/// <summary>
/// The names under which the client publishes traces and metrics through <see cref="ActivitySource"/> and
/// <see cref="Meter"/> (no OpenTelemetry dependency), following the OpenTelemetry semantic conventions for
/// Redis client operations. Subscribe with <c>AddSource(RedisTelemetry.ActivitySourceName)</c> and
/// <c>AddMeter(RedisTelemetry.MeterName)</c>.
/// </summary>
/// <remarks>
/// <para><b>Spans</b> (kind <see cref="ActivityKind.Client"/>): one per command sent by <see cref="RedisClient"/>
/// (typed or not, sync or async; a <see cref="RedisCluster"/> through its node clients, so each span names the
/// node that answered) and by <see cref="Conn"/> (<c>Do</c>, <c>DoAsync</c>, typed calls). Commands a
/// <see cref="Conn"/> pipelines with <c>Send</c> form one span from the first <c>Send</c> on an idle
/// connection until the reply of the last one is read (by <c>Receive</c> or <c>Do</c>), named
/// <see cref="PipelineOperationName"/> with <see cref="DbOperationBatchSize"/> when it holds two or more
/// commands. The span name is the operation name (<c>GET</c>, <c>CONFIG SET</c>).</para>
/// <para><b>Attributes</b>: <see cref="DbSystemName"/> = <c>redis</c>, <see cref="DbOperationName"/>,
/// <see cref="DbNamespace"/> (the database index dialed), <see cref="ServerAddress"/>, <see cref="ServerPort"/>;
/// on failure the status is <see cref="ActivityStatusCode.Error"/> with <see cref="ErrorType"/> (the error
/// prefix of an error reply, else the exception's type) and, for an error reply,
/// <see cref="DbResponseStatusCode"/> (<c>WRONGTYPE</c>, <c>ERR</c>...). Argument values never become
/// attributes, except as <see cref="DbQueryText"/> when <see cref="DialOptions.TraceQueryText"/> opts in,
/// and then with secrets (AUTH passwords, CONFIG SET requirepass...) masked.</para>
/// <para><b>Metrics</b>: <see cref="OperationDurationMetric"/> (histogram, seconds, with the span's attributes),
/// <see cref="ConnectionCountMetric"/> and the other pool instruments (read from every live <see cref="Pool"/>,
/// a <see cref="RedisClient"/>'s dedicated connections included), client-side cache and cluster counters
/// (read from their existing statistics when collected).</para>
/// <para><b>Cost</b>: when nothing listens, a command pays two flag checks and allocates nothing; the
/// timestamp is read only when the duration histogram is enabled.</para>
/// </remarks>
public static class RedisTelemetry
{
    /// <summary>The <see cref="ActivitySource"/> name.</summary>
    public const string ActivitySourceName = "Redis.Runtime";

    /// <summary>The <see cref="Meter"/> name.</summary>
    public const string MeterName = "Redis.Runtime";

    /// <summary>The operation name of a <see cref="Conn"/> pipeline (<c>Send</c>... then the replies) of two or more commands.</summary>
    public const string PipelineOperationName = "PIPELINE";

    /// <summary>The value of <see cref="DbSystemName"/>.</summary>
    public const string DbSystemValue = "redis";

    /// <summary>Attribute: the database system, always <see cref="DbSystemValue"/>.</summary>
    public const string DbSystemName = "db.system.name";

    /// <summary>Attribute: the command name (<c>GET</c>, <c>CONFIG SET</c>) or <see cref="PipelineOperationName"/>.</summary>
    public const string DbOperationName = "db.operation.name";

    /// <summary>Attribute: the database index the connection was dialed to, as a string (<c>"0"</c>).</summary>
    public const string DbNamespace = "db.namespace";

    /// <summary>Attribute: the server host name or address, or the Unix socket path.</summary>
    public const string ServerAddress = "server.address";

    /// <summary>Attribute: the server port (absent for a Unix socket).</summary>
    public const string ServerPort = "server.port";

    /// <summary>Attribute: the error prefix of an error reply (<c>ERR</c>, <c>WRONGTYPE</c>, <c>MOVED</c>).</summary>
    public const string DbResponseStatusCode = "db.response.status_code";

    /// <summary>Attribute: the class of error an operation ended with: the error prefix of an error reply, else the exception's full type name.</summary>
    public const string ErrorType = "error.type";

    /// <summary>Attribute: the number of commands in a pipeline span (two or more).</summary>
    public const string DbOperationBatchSize = "db.operation.batch.size";

    /// <summary>Attribute (opt-in, <see cref="DialOptions.TraceQueryText"/>): the command and its arguments, secrets masked, long values cut.</summary>
    public const string DbQueryText = "db.query.text";

    /// <summary>Attribute of the connection-pool instruments: the pool's name (its <c>host:port</c>, or <c>pool-N</c> for a pool with a custom dialer).</summary>
    public const string ConnectionPoolName = "db.client.connection.pool.name";

    /// <summary>Attribute of <see cref="ConnectionCountMetric"/>: <c>idle</c> or <c>used</c>.</summary>
    public const string ConnectionState = "db.client.connection.state";

    /// <summary>Attribute of <see cref="CacheRequestsMetric"/>: <c>hit</c> or <c>miss</c>.</summary>
    public const string CacheResult = "redis.client.cache.result";

    /// <summary>Attribute of <see cref="ClusterRedirectsMetric"/>: <c>moved</c> or <c>ask</c>.</summary>
    public const string ClusterRedirectType = "redis.cluster.redirect.type";

    /// <summary>Histogram (seconds): the duration of each operation, from the call until its reply (or failure).</summary>
    public const string OperationDurationMetric = "db.client.operation.duration";

    /// <summary>Observable up-down counter: a pool's connections by <see cref="ConnectionState"/>.</summary>
    public const string ConnectionCountMetric = "db.client.connection.count";

    /// <summary>Observable up-down counter: a pool's <see cref="Pool.MaxActive"/> (absent when unlimited).</summary>
    public const string ConnectionMaxMetric = "db.client.connection.max";

    /// <summary>Observable up-down counter: a pool's <see cref="Pool.MaxIdle"/>.</summary>
    public const string ConnectionIdleMaxMetric = "db.client.connection.idle.max";

    /// <summary>Observable counter: client-side cache reads by <see cref="CacheResult"/>.</summary>
    public const string CacheRequestsMetric = "redis.client.cache.requests";

    /// <summary>Observable counter: client-side cache entries dropped because the server said their key changed.</summary>
    public const string CacheInvalidationsMetric = "redis.client.cache.invalidations";

    /// <summary>Observable counter: client-side cache entries dropped for room or age.</summary>
    public const string CacheEvictionsMetric = "redis.client.cache.evictions";

    /// <summary>Observable up-down counter: client-side cache entries held now.</summary>
    public const string CacheEntriesMetric = "redis.client.cache.entries";

    /// <summary>Observable counter: cluster redirects followed, by <see cref="ClusterRedirectType"/>.</summary>
    public const string ClusterRedirectsMetric = "redis.client.cluster.redirects";

    /// <summary>Observable counter: cluster retries after TRYAGAIN, CLUSTERDOWN, LOADING or READONLY.</summary>
    public const string ClusterRetriesMetric = "redis.client.cluster.retries";

    /// <summary>Observable counter: cluster topology reads.</summary>
    public const string ClusterTopologyRefreshesMetric = "redis.client.cluster.topology_refreshes";

    /// <summary>The bucket boundaries the conventions advise for <see cref="OperationDurationMetric"/>.</summary>
    private static readonly double[] DurationBuckets = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

    internal static readonly ActivitySource Source = new(ActivitySourceName, Version);

    internal static readonly Meter Meter = new(MeterName, Version);

    internal static readonly Histogram<double> Duration = Meter.CreateHistogram(
        OperationDurationMetric, unit: "s", description: "Duration of database client operations.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    /// <summary>True when a span or the duration histogram may be recorded: the only check on the hot path.</summary>
    internal static bool IsEnabled
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        get => Duration.Enabled || Source.HasListeners();
    }

    private static string Version => typeof(RedisTelemetry).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    // Created with the meter (a field initializer, so the type keeps beforefieldinit: no init checks on the hot path).
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE0052:Remove unread private members", Justification = "Assigned for its side effect: creating the observable instruments with the meter.")]
    private static readonly bool s_observables = TelemetryRegistry.CreateObservableInstruments(Meter);
}
