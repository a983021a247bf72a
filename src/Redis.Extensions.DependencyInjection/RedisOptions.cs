namespace Redis.Extensions.DependencyInjection;

/// <summary>
/// How a registered <see cref="IRedisClient"/> connects: bound from a configuration section (see the package README for the
/// schema) or set in code with <c>services.AddRedis(options =&gt; ...)</c>. Checked at start-up; the client itself is
/// created on first use.
/// </summary>
/// <remarks>
/// The server is given by <see cref="Url"/> or by <see cref="Endpoints"/>, never both. The settings below (credentials,
/// database, TLS, timeouts) apply to the data nodes; what a URL says (its password, database, <c>rediss://</c>) overrides
/// them. Anything not listed here (certificates, client-side caching, push handlers, replica reads) is set with
/// <see cref="ConfigureDialOptions"/>, <see cref="ConfigureClientOptions"/> and <see cref="ConfigureClusterOptions"/>.
/// </remarks>
public sealed class RedisOptions
{
    /// <summary>
    /// The server's URL: <c>redis://[user:password@]host[:port][/db]</c>, <c>rediss://...</c> (TLS), <c>unix:///path/to.sock</c>,
    /// <c>redis-sentinel://host[:port][,host[:port]...][/db]#masterName</c> (selects <see cref="RedisMode.Sentinel"/>), or, in
    /// <see cref="RedisMode.Cluster"/>, one or more seed URLs or <c>host:port</c> separated by commas. Never shown in messages.
    /// </summary>
    public string? Url { get; set; }

    /// <summary>
    /// The deployment. When not set: <see cref="RedisMode.Sentinel"/> for a <c>redis-sentinel://</c> URL or a
    /// <see cref="RedisSentinelOptions.MasterName"/>, otherwise <see cref="RedisMode.Standalone"/>. A cluster must be named.
    /// </summary>
    public RedisMode? Mode { get; set; }

    /// <summary>
    /// <c>host:port</c> endpoints instead of <see cref="Url"/>: the server (exactly one, <see cref="RedisMode.Standalone"/>),
    /// the cluster's seeds (<see cref="RedisMode.Cluster"/>) or the sentinels (<see cref="RedisMode.Sentinel"/>; port 26379 when
    /// none is given).
    /// </summary>
    public IList<string> Endpoints { get; } = new List<string>();

    /// <summary>The Sentinel settings: the master's name and the sentinels' own credentials.</summary>
    public RedisSentinelOptions Sentinel { get; set; } = new();

    /// <summary>The user name for the data nodes (ACL); only used with <see cref="Password"/>.</summary>
    public string? User { get; set; }

    /// <summary>The password for the data nodes. Never logged or shown in messages.</summary>
    public string? Password { get; set; }

    /// <summary>The database to SELECT (not in a cluster). Default 0.</summary>
    public int? Database { get; set; }

    /// <summary>Connect with TLS (as <c>rediss://</c> does).</summary>
    public bool? UseTls { get; set; }

    /// <summary>The connection name (<c>CLIENT SETNAME</c>), shown by <c>CLIENT LIST</c>.</summary>
    public string? ClientName { get; set; }

    /// <summary>The RESP protocol version, 2 or 3. Default 2.</summary>
    public int? Protocol { get; set; }

    /// <summary>How long one TCP connect may take. Default 30 s (<see cref="DialOptions.ConnectTimeout"/>).</summary>
    public TimeSpan? ConnectTimeout { get; set; }

    /// <summary>How long a caller waits for a reply. Default 5 s (<see cref="ClientOptions.CommandTimeout"/>).</summary>
    public TimeSpan? CommandTimeout { get; set; }

    /// <summary>Adjusts the data nodes' <see cref="DialOptions"/> after the settings above are applied (code only; e.g. TLS certificates).</summary>
    public Func<DialOptions, DialOptions>? ConfigureDialOptions { get; set; }

    /// <summary>Adjusts the <see cref="ClientOptions"/> of a standalone or Sentinel client (code only; e.g. <see cref="ClientOptions.Cache"/>).</summary>
    public Func<ClientOptions, ClientOptions>? ConfigureClientOptions { get; set; }

    /// <summary>Adjusts the <see cref="ClusterOptions"/> of a cluster client (code only; e.g. <see cref="ClusterOptions.ReadFrom"/>).</summary>
    public Func<ClusterOptions, ClusterOptions>? ConfigureClusterOptions { get; set; }

    /// <summary>The deployment these options describe: <see cref="Mode"/>, or what the other settings imply.</summary>
    internal RedisMode EffectiveMode =>
        Mode ?? (Sentinel.IsConfigured || (Url is not null && SentinelUrl.IsSentinelUrl(Url.Trim())) ? RedisMode.Sentinel : RedisMode.Standalone);
}
