using System.Globalization;

namespace Redis.Testing;

/// <summary>
/// A Redis-compatible server for tests and samples, chosen in this order: the <c>REDIS_URL</c> environment
/// variable; a Testcontainers.Redis container when a Docker engine answers; a <c>redis-server</c> binary
/// (PATH, /usr/bin, /usr/local/bin) started on a free 127.0.0.1 port in a fresh temporary directory;
/// otherwise an embedded Garnet server in-process. <see cref="TestServerOptions"/> narrows the choice, and
/// the <c>REDIS_TEST_SERVER</c> environment variable set to <c>garnet</c> forces embedded Garnet (see
/// <see cref="IsGarnetForced"/>). Disposing stops what was started (a <c>redis-server</c> is killed and its
/// directory deleted); servers still running at process exit are stopped then.
/// </summary>
public sealed class TestServer : IAsyncDisposable, IDisposable
{
    private const string InstallHint = "install it with: apt-get install -y redis-server";

    private static readonly Lock SharedGate = new();
    private static Task<TestServer>? _shared;
    private static bool _sharedExitHookRegistered;

    private readonly RedisServerProcess? _process;
    private readonly GarnetHost? _garnet;
    private readonly RedisContainerHost? _container;
    private int _disposed;

    private TestServer(
        TestServerKind kind,
        string host,
        int port,
        string url,
        bool isRealRedis,
        string? serverVersion,
        string description,
        RedisServerProcess? process = null,
        GarnetHost? garnet = null,
        RedisContainerHost? container = null)
    {
        Kind = kind;
        Host = host;
        Port = port;
        Url = url;
        IsRealRedis = isRealRedis;
        ServerVersion = serverVersion;
        Description = description;
        _process = process;
        _garnet = garnet;
        _container = container;
    }

    /// <summary>
    /// True when the <c>CI</c> environment variable is <c>true</c> (or <c>1</c>): tests that cannot get the
    /// server they need should then fail instead of skipping.
    /// </summary>
    public static bool IsCi =>
        Environment.GetEnvironmentVariable("CI") is { } ci &&
        (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>
    /// True when the <c>REDIS_TEST_SERVER</c> environment variable is <c>garnet</c>: every server without a
    /// real-Redis requirement is then an embedded Garnet (even when <c>REDIS_URL</c>, Docker or <c>redis-server</c>
    /// are available), and a real-Redis requirement, <see cref="LocalCluster"/> and <see cref="LocalSentinelSet"/>
    /// are unavailable. Use it to run a test suite against Garnet on a machine that has Redis. Unset, empty or
    /// <c>auto</c> means the usual order.
    /// </summary>
    /// <exception cref="TestServerUnavailableException">The variable has another value.</exception>
    public static bool IsGarnetForced =>
        Environment.GetEnvironmentVariable("REDIS_TEST_SERVER")?.Trim() switch
        {
            null or "" => false,
            var value when value.Equals("auto", StringComparison.OrdinalIgnoreCase) => false,
            var value when value.Equals("garnet", StringComparison.OrdinalIgnoreCase) => true,
            var value => throw new TestServerUnavailableException($"REDIS_TEST_SERVER='{value}' is not supported; use 'garnet' or 'auto' (or leave it unset)."),
        };

    /// <summary>
    /// Full path of the <c>redis-server</c> binary that would be started, or <see langword="null"/> when there is
    /// none: the <c>REDIS_SERVER_PATH</c> environment variable when set (even when it names no executable),
    /// otherwise the first one on PATH, /usr/bin, /usr/local/bin.
    /// </summary>
    public static string? RedisServerExecutablePath => ExecutableLocator.Find("redis-server");

    /// <summary>Which kind of server this is.</summary>
    public TestServerKind Kind { get; }

    /// <summary>Host name or IP address to connect to (127.0.0.1 for servers started here).</summary>
    public string Host { get; }

    /// <summary>TCP port to connect to.</summary>
    public int Port { get; }

    /// <summary>"host:port" (an IPv6 host in brackets).</summary>
    public string Address => RedisUrl.FormatAddress(Host, Port);

    /// <summary>
    /// A URL for the server: <c>redis://host:port</c>; for <see cref="TestServerKind.Url"/> the <c>REDIS_URL</c>
    /// value itself (which may carry a password, so do not log it).
    /// </summary>
    public string Url { get; }

    /// <summary>
    /// True for Redis itself (a local <c>redis-server</c> or a container; for <c>REDIS_URL</c> when its
    /// INFO reports Redis), false for Garnet or an unidentified server.
    /// </summary>
    public bool IsRealRedis { get; }

    /// <summary>The server's version when known, e.g. "7.0.15" (redis-server) or "2.2.8" (the Garnet package).</summary>
    public string? ServerVersion { get; }

    /// <summary>
    /// Path of the Unix domain socket the server also listens on, when started with
    /// <see cref="TestServerOptions.UnixSocket"/>; otherwise <see langword="null"/>.
    /// </summary>
    public string? UnixSocketPath => _process?.UnixSocketPath;

    /// <summary>Path of the <c>redis-server</c> binary running this server; <see langword="null"/> for other kinds.</summary>
    public string? ExecutablePath => _process?.ExecutablePath;

    /// <summary>Process id of the local <c>redis-server</c>; <see langword="null"/> for other kinds.</summary>
    public int? ProcessId => _process?.ProcessId;

    /// <summary>
    /// The temporary directory of a local <c>redis-server</c> (its <c>--dir</c>, deleted on dispose);
    /// <see langword="null"/> for other kinds.
    /// </summary>
    public string? WorkingDirectory => _process?.Directory;

    /// <summary>True for the process-wide instance from <see cref="SharedAsync"/>, which disposing does not stop.</summary>
    public bool IsShared { get; private set; }

    /// <summary>One line saying what runs where, e.g. "redis-server 7.0.15 on 127.0.0.1:41234 (pid 1234)". Never contains a password.</summary>
    public string Description { get; }

    /// <summary>
    /// Starts (or, for <c>REDIS_URL</c>, checks) a server satisfying <paramref name="options"/> and logs which one it is.
    /// </summary>
    /// <param name="options">What the test needs; <see langword="null"/> accepts any server.</param>
    /// <param name="ct">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop it.</returns>
    /// <exception cref="TestServerUnavailableException">No server satisfying the options could be started.</exception>
    public static async Task<TestServer> StartAsync(TestServerOptions? options = null, CancellationToken ct = default)
    {
        options ??= new TestServerOptions();
        var log = options.Log ?? (static line => Console.Error.WriteLine(line));
        var skipped = new List<string>();
        var reason = string.IsNullOrWhiteSpace(options.Reason) ? string.Empty : $"{options.Reason}: ";

        if (IsGarnetForced)
        {
            if (options.NeedsRealRedis)
            {
                throw new TestServerUnavailableException(
                    $"{reason}{NeedDescription(options)}, but REDIS_TEST_SERVER=garnet forces embedded Garnet.");
            }

            skipped.Add("REDIS_URL, Docker and redis-server (REDIS_TEST_SERVER=garnet)");
            return Announce(await StartGarnetAsync(options, ct).ConfigureAwait(false), skipped, log);
        }

        if (options.NeedsRealRedis)
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("REDIS_URL")))
            {
                skipped.Add(options.NeedsLocalRedisServer
                    ? "REDIS_URL (a locally started redis-server is required)"
                    : "REDIS_URL (a real Redis is required)");
            }
        }
        else
        {
            if (options.PreferEmbedded)
            {
                return Announce(await StartGarnetAsync(options, ct).ConfigureAwait(false), skipped, log);
            }

            if (Environment.GetEnvironmentVariable("REDIS_URL") is { Length: > 0 } redisUrl)
            {
                return Announce(await FromUrlAsync(redisUrl, ct).ConfigureAwait(false), skipped, log);
            }
        }

        if (options.NeedsLocalRedisServer)
        {
            skipped.Add("Docker (a locally started redis-server is required)");
        }
        else
        {
            var whyNotDocker = await DockerProbe.WhyUnavailableAsync(ct).ConfigureAwait(false);
            if (whyNotDocker is null)
            {
                var container = await RedisContainerHost.TryStartAsync(log, ct).ConfigureAwait(false);
                if (container is not null)
                {
                    return Announce(FromContainer(container), skipped, log);
                }

                skipped.Add("Docker (Testcontainers failed to start a container)");
            }
            else
            {
                skipped.Add($"Docker ({whyNotDocker})");
            }
        }

        var executable = RedisServerExecutablePath;
        if (executable is not null)
        {
            var process = await RedisServerProcess.StartAsync(executable, options, ct).ConfigureAwait(false);
            return Announce(FromProcess(process), skipped, log);
        }

        skipped.Add($"redis-server ({ExecutableLocator.RedisServerSearchDescription})");
        if (!options.NeedsRealRedis)
        {
            return Announce(await StartGarnetAsync(options, ct).ConfigureAwait(false), skipped, log);
        }

        var need = NeedDescription(options) + (options.NeedsLocalRedisServer ? string.Empty : " and no Docker engine answers");
        throw new TestServerUnavailableException(
            $"{reason}{need}, but {ExecutableLocator.RedisServerSearchDescription}; {InstallHint} (or set REDIS_SERVER_PATH).");
    }

    /// <summary>Synchronous form of <see cref="StartAsync"/> (safe to call under a synchronization context).</summary>
    /// <param name="options">What the test needs; <see langword="null"/> accepts any server.</param>
    /// <param name="ct">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop it.</returns>
    /// <exception cref="TestServerUnavailableException">No server satisfying the options could be started.</exception>
    public static TestServer Start(TestServerOptions? options = null, CancellationToken ct = default) =>
        Task.Run(() => StartAsync(options, ct), ct).GetAwaiter().GetResult();

    /// <summary>
    /// The process-wide default server, started on first use with default options and stopped at process exit,
    /// so a test run does not start a server per test. Disposing it does nothing. A failed start is retried on
    /// the next call.
    /// </summary>
    /// <param name="ct">Stops waiting (the start itself continues for other callers).</param>
    /// <returns>The shared server.</returns>
    public static Task<TestServer> SharedAsync(CancellationToken ct = default)
    {
        Task<TestServer> task;
        lock (SharedGate)
        {
            if (_shared is null || _shared.IsFaulted || _shared.IsCanceled)
            {
                _shared = StartSharedAsync();
                if (!_sharedExitHookRegistered)
                {
                    _sharedExitHookRegistered = true;
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => StopShared();
                }
            }

            task = _shared;
        }

        return ct.CanBeCanceled ? task.WaitAsync(ct) : task;
    }

    /// <summary>A free TCP port on 127.0.0.1 (not handed out twice in a row by this process), e.g. for a TLS port in <see cref="TestServerOptions.ExtraArgsFactory"/>.</summary>
    /// <returns>The port number.</returns>
    public static int AllocateFreePort() => FreePort.Allocate();

    /// <summary>Finds an executable such as <c>redis-cli</c> or <c>redis-benchmark</c> on PATH, /usr/bin or /usr/local/bin.</summary>
    /// <param name="name">File name without directory (".exe" is added on Windows).</param>
    /// <returns>The full path, or <see langword="null"/> when not found.</returns>
    public static string? FindExecutable(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return ExecutableLocator.Find(name);
    }

    /// <summary>Stops the server (kills a local redis-server and deletes its directory, stops Garnet, removes a container). Does nothing for the shared instance.</summary>
    public void Dispose()
    {
        if (IsShared || Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _process?.Dispose();
        _garnet?.Dispose();
        if (_container is not null)
        {
            Task.Run(() => _container.DisposeAsync().AsTask()).Wait(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Stops the server asynchronously; see <see cref="Dispose"/>.</summary>
    /// <returns>A task completing when the server is stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (IsShared || Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_process is not null)
        {
            await _process.DisposeAsync().ConfigureAwait(false);
        }

        _garnet?.Dispose();
        if (_container is not null)
        {
            await _container.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Returns <see cref="Description"/>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Description;

    private static string NeedDescription(TestServerOptions options) => options.NeedsLocalRedisServer
        ? "a locally started redis-server is required (ExtraArgs, ExtraArgsFactory, UnixSocket or RequireLocalRedisServer)"
        : "a real Redis is required (RequireRealRedis)";

    private static async Task<TestServer> StartSharedAsync()
    {
        var server = await StartAsync().ConfigureAwait(false);
        server.IsShared = true;
        return server;
    }

    private static void StopShared()
    {
        Task<TestServer>? shared;
        lock (SharedGate)
        {
            shared = _shared;
        }

        if (shared is { IsCompletedSuccessfully: true })
        {
            var server = shared.Result;
            server.IsShared = false;
            server.Dispose();
        }
    }

    private static TestServer Announce(TestServer server, List<string> skipped, Action<string> log)
    {
        var line = "test server: " + server.Description;
        if (skipped.Count > 0)
        {
            line += "; skipped " + string.Join(", ", skipped);
        }

        log(line);
        return server;
    }

    private static async Task<TestServer> StartGarnetAsync(TestServerOptions options, CancellationToken ct)
    {
        var garnet = await GarnetHost.StartAsync(options.StartTimeout, ct).ConfigureAwait(false);
        var address = RedisUrl.FormatAddress("127.0.0.1", garnet.Port);
        return new TestServer(
            TestServerKind.Garnet,
            "127.0.0.1",
            garnet.Port,
            "redis://" + address,
            isRealRedis: false,
            GarnetHost.Version,
            $"embedded Garnet {GarnetHost.Version} on {address} (in-process)",
            garnet: garnet);
    }

    private static TestServer FromProcess(RedisServerProcess process)
    {
        var address = RedisUrl.FormatAddress("127.0.0.1", process.Port);
        var description = string.Create(
            CultureInfo.InvariantCulture,
            $"redis-server {process.Version ?? "(unknown version)"} on {address} (pid {process.ProcessId})");
        if (process.UnixSocketPath is not null)
        {
            description += " and unix socket " + process.UnixSocketPath;
        }

        return new TestServer(
            TestServerKind.RedisServer,
            "127.0.0.1",
            process.Port,
            "redis://" + address,
            isRealRedis: true,
            process.Version,
            description,
            process: process);
    }

    private static TestServer FromContainer(RedisContainerHost container)
    {
        var address = RedisUrl.FormatAddress(container.Host, container.Port);
        var id = container.ContainerId.Length > 12 ? container.ContainerId[..12] : container.ContainerId;
        var colon = container.Image.LastIndexOf(':');
        var version = colon >= 0 ? container.Image[(colon + 1)..] : null;
        return new TestServer(
            TestServerKind.Testcontainers,
            container.Host,
            container.Port,
            "redis://" + address,
            isRealRedis: true,
            version,
            $"Testcontainers {container.Image} on {address} (container {id})",
            container: container);
    }

    private static async Task<TestServer> FromUrlAsync(string value, CancellationToken ct)
    {
        var url = RedisUrl.Parse(value);
        string? version = null;
        var isRedis = false;
        string what;
        if (url.Tls)
        {
            what = "TLS, not probed";
        }
        else
        {
            var info = await RespProbe.TryInfoServerAsync(url.Host, url.Port, url.User, url.Password, TimeSpan.FromSeconds(5), ct)
                .ConfigureAwait(false);
            if (info is null)
            {
                var ping = await RespProbe.TryPingAsync(url.Host, url.Port, null, TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
                if (ping is null)
                {
                    throw new TestServerUnavailableException($"REDIS_URL is set but nothing answers PING at {url}; unset it to start a local server.");
                }

                what = "unidentified server";
            }
            else if (RespProbe.InfoField(info, "garnet_version") is { } garnet)
            {
                version = garnet;
                what = "Garnet " + garnet;
            }
            else
            {
                version = RespProbe.InfoField(info, "redis_version");
                isRedis = version is not null && RespProbe.InfoField(info, "server_name") is null or "redis";
                what = isRedis ? "Redis " + version : "server reporting version " + (version ?? "?");
            }
        }

        return new TestServer(
            TestServerKind.Url,
            url.Host,
            url.Port,
            url.Url,
            isRedis,
            version,
            $"REDIS_URL {url} ({what})");
    }
}
