namespace Redis.Testing;

/// <summary>
/// What a test needs from its server. The defaults accept any server, chosen in the order
/// <c>REDIS_URL</c>, Testcontainers, a local <c>redis-server</c>, embedded Garnet.
/// </summary>
public sealed record class TestServerOptions
{
    /// <summary>
    /// Require a real Redis (a Testcontainers container or a local <c>redis-server</c>): <c>REDIS_URL</c>
    /// and embedded Garnet are skipped. Use it for tests of features only Redis has (CONFIG, ACL, DEBUG, ...).
    /// </summary>
    public bool RequireRealRedis { get; init; }

    /// <summary>
    /// Require a <c>redis-server</c> process started by this helper (no <c>REDIS_URL</c>, container or Garnet),
    /// e.g. for tests that read the server's files. Implied by <see cref="ExtraArgs"/>,
    /// <see cref="ExtraArgsFactory"/> and <see cref="UnixSocket"/>.
    /// </summary>
    public bool RequireLocalRedisServer { get; init; }

    /// <summary>
    /// Extra <c>redis-server</c> command-line arguments (for example <c>--requirepass</c>, <c>--tls-port</c>),
    /// appended after the helper's own; a later argument overrides an earlier one. Non-empty implies a
    /// locally started <c>redis-server</c>.
    /// </summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>
    /// Called once with the server's fresh temporary directory before the server starts; returns further
    /// command-line arguments. A TLS test writes its certificate files into the directory and returns
    /// <c>--tls-port</c>, <c>--tls-cert-file</c>, ... Setting it implies a locally started <c>redis-server</c>.
    /// </summary>
    public Func<string, IReadOnlyList<string>>? ExtraArgsFactory { get; init; }

    /// <summary>
    /// Also listen on a Unix domain socket in the temporary directory (<c>--unixsocket path --unixsocketperm 700</c>);
    /// see <see cref="TestServer.UnixSocketPath"/>. Implies a locally started <c>redis-server</c>.
    /// </summary>
    public bool UnixSocket { get; init; }

    /// <summary>
    /// Start the embedded Garnet server first, before trying <c>REDIS_URL</c>, Docker or <c>redis-server</c>.
    /// Ignored when a real Redis is required.
    /// </summary>
    public bool PreferEmbedded { get; init; }

    /// <summary>
    /// Why the test needs what it asks for (e.g. "TLS"); included in the
    /// <see cref="TestServerUnavailableException"/> message when the requirement cannot be met.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>How long to wait for a started server to answer PING. Default 30 seconds.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Receives one line saying which server is used and why others were skipped.
    /// Default (<see langword="null"/>): <see cref="Console.Error"/>.
    /// </summary>
    public Action<string>? Log { get; init; }

    /// <summary>True when only a <c>redis-server</c> process started by this helper will do.</summary>
    internal bool NeedsLocalRedisServer =>
        RequireLocalRedisServer || UnixSocket || ExtraArgs.Count > 0 || ExtraArgsFactory is not null;

    /// <summary>True when REDIS_URL and Garnet must be skipped.</summary>
    internal bool NeedsRealRedis => RequireRealRedis || NeedsLocalRedisServer;
}
