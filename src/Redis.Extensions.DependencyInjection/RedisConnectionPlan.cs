using Microsoft.Extensions.Logging;

namespace Redis.Extensions.DependencyInjection;

/// <summary>
/// What <see cref="RedisOptions"/> say, checked and resolved into the arguments of one <c>Connect</c> call. Built twice
/// with the same code: by the start-up validator (which only checks it) and by the registration's factory (which connects),
/// so an application that starts is never refused later for a setting the validator let through.
/// </summary>
internal sealed class RedisConnectionPlan
{
    private RedisConnectionPlan(RedisMode mode, DialOptions dialOptions, ClientOptions clientOptions, ClusterOptions clusterOptions)
    {
        Mode = mode;
        DialOptions = dialOptions;
        ClientOptions = clientOptions;
        ClusterOptions = clusterOptions;
    }

    public RedisMode Mode { get; }

    public DialOptions DialOptions { get; private set; }

    public ClientOptions ClientOptions { get; }

    public ClusterOptions ClusterOptions { get; }

    /// <summary>Standalone: <c>"tcp"</c> or <c>"unix"</c>.</summary>
    public string? Network { get; private set; }

    /// <summary>Standalone: <c>host:port</c> or a socket path.</summary>
    public string? Address { get; private set; }

    /// <summary>Cluster: the seeds as <see cref="RedisCluster.Connect"/> takes them.</summary>
    public string? Seeds { get; private set; }

    /// <summary>Sentinel: the sentinels and the master's name.</summary>
    public Sentinel? Sentinel { get; private set; }

    /// <summary>
    /// Checks <paramref name="options"/> and resolves them. Throws <see cref="ArgumentException"/> whose message says what
    /// is wrong and how to fix it, and never holds a password.
    /// </summary>
    public static RedisConnectionPlan Build(RedisOptions options, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            return BuildCore(options, loggerFactory);
        }
        catch (ArgumentException ex)
        {
            // The runtime's parsers never quote a password, but a password typed into the wrong setting (a host,
            // a database) would be quoted as that setting's value: redact every secret the options hold.
            throw new ArgumentException(Redact(StripParameterName(ex), options));
        }
    }

    /// <summary>Connects as planned (synchronously: a service provider's factories are synchronous).</summary>
    public IRedisClient Connect() => Mode switch
    {
        RedisMode.Cluster => RedisCluster.Connect(Seeds!, DialOptions, ClusterOptions),
        RedisMode.Sentinel => RedisClient.Connect(Sentinel!, DialOptions, ClientOptions),
        _ => RedisClient.Connect(Network!, Address!, DialOptions, ClientOptions),
    };

    private static RedisConnectionPlan BuildCore(RedisOptions options, ILoggerFactory? loggerFactory)
    {
        string? url = string.IsNullOrWhiteSpace(options.Url) ? null : options.Url.Trim();
        string[] endpoints = [.. options.Endpoints.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim())];
        if (url is null && endpoints.Length == 0)
        {
            throw new ArgumentException("no server is configured: set Url (for example redis://localhost:6379) or Endpoints (host:port).");
        }
        if (url is not null && endpoints.Length > 0)
        {
            throw new ArgumentException("both Url and Endpoints are set: give the server one way, not both.");
        }

        RedisMode mode = options.EffectiveMode;
        bool sentinelUrl = url is not null && SentinelUrl.IsSentinelUrl(url);
        string? sentinelSetting = sentinelUrl ? "Url is a redis-sentinel:// URL" : options.Sentinel.IsConfigured ? "Sentinel settings are set" : null;
        switch (mode)
        {
            case RedisMode.Cluster when sentinelSetting is not null:
                throw new ArgumentException($"both Cluster and Sentinel are configured: Mode is Cluster but {sentinelSetting}. A deployment is one or the other.");
            case RedisMode.Standalone when sentinelSetting is not null:
                throw new ArgumentException($"Mode is Standalone but {sentinelSetting}: set Mode to Sentinel (or leave it out), or remove the Sentinel settings.");
            case RedisMode.Standalone when endpoints.Length > 1:
                throw new ArgumentException($"{endpoints.Length} Endpoints are set but Mode is Standalone (one server): set Mode to Cluster for cluster seeds, or to Sentinel (with Sentinel:MasterName) for sentinels.");
            case RedisMode.Sentinel when url is not null && !sentinelUrl:
                throw new ArgumentException("Mode is Sentinel but Url is not a redis-sentinel:// URL: use redis-sentinel://host:26379[,host:26379...][/db]#masterName, or give the sentinels as Endpoints with Sentinel:MasterName.");
            case RedisMode.Standalone or RedisMode.Cluster or RedisMode.Sentinel:
                break;
            default:
                throw new ArgumentException($"Mode must be Standalone, Cluster or Sentinel, not {(int)mode}.");
        }

        DialOptions dial = DialOptions.Default;
        if (!string.IsNullOrEmpty(options.Password))
        {
            dial = dial with { Password = options.Password, Username = string.IsNullOrEmpty(options.User) ? null : options.User };
        }
        if (options.Database is int database) dial = dial with { Database = database };
        if (options.UseTls is bool tls) dial = dial with { UseTls = tls };
        if (!string.IsNullOrEmpty(options.ClientName)) dial = dial with { ClientName = options.ClientName };
        if (options.Protocol is int protocol) dial = dial with { Protocol = protocol };
        if (options.ConnectTimeout is TimeSpan connectTimeout) dial = dial with { ConnectTimeout = connectTimeout };
        if (options.ConfigureDialOptions is { } configureDial) dial = configureDial(dial) ?? throw new ArgumentException("ConfigureDialOptions returned null.");

        ClientOptions client = ClientOptions.Default;
        ClusterOptions cluster = ClusterOptions.Default;
        if (options.CommandTimeout is TimeSpan commandTimeout)
        {
            client = client with { CommandTimeout = commandTimeout };
            cluster = cluster with { CommandTimeout = commandTimeout };
        }
        if (loggerFactory is not null)
        {
            client = client with { Logger = loggerFactory.CreateLogger<RedisClient>() };
            cluster = cluster with { Logger = loggerFactory.CreateLogger<RedisCluster>() };
        }
        if (options.ConfigureClientOptions is { } configureClient) client = configureClient(client) ?? throw new ArgumentException("ConfigureClientOptions returned null.");
        if (options.ConfigureClusterOptions is { } configureCluster) cluster = configureCluster(cluster) ?? throw new ArgumentException("ConfigureClusterOptions returned null.");

        var plan = new RedisConnectionPlan(mode, dial, client, cluster);
        switch (mode)
        {
            case RedisMode.Standalone:
                if (url is not null)
                {
                    RedisUrl.Target target = RedisUrl.Parse(url, dial);
                    (plan.Network, plan.Address, plan.DialOptions) = (target.Network, target.Address, target.Options);
                }
                else
                {
                    (string host, int port) = RedisUrl.ParseHostPort(endpoints[0], "localhost", "Endpoints");
                    (plan.Network, plan.Address) = ("tcp", RedisUrl.FormatAddress(host, port));
                }
                client.Validate();
                break;
            case RedisMode.Cluster:
                plan.Seeds = url ?? string.Join(",", endpoints);
                // The cluster's own seed parser: a URL's options win over the settings, and only database 0 exists.
                RedisCluster.ParseSeeds(plan.Seeds, dial);
                // It takes anything before the last ':' of a bare seed as the host, so user:password@host:port would pass
                // and be dialed (and quoted) as a host name: bare seeds must also be plain host:port.
                foreach (string seed in plan.Seeds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (!seed.Contains("://", StringComparison.Ordinal)) RedisUrl.ParseHostPort(seed, "", "Endpoints");
                }
                cluster.Validate();
                break;
            case RedisMode.Sentinel:
                plan.Sentinel = BuildSentinel(options, url, endpoints, ref dial);
                plan.DialOptions = dial;
                client.Validate();
                break;
        }
        plan.DialOptions.Validate();
        return plan;
    }

    private static Sentinel BuildSentinel(RedisOptions options, string? url, string[] endpoints, ref DialOptions dial)
    {
        string? masterName = string.IsNullOrWhiteSpace(options.Sentinel.MasterName) ? null : options.Sentinel.MasterName.Trim();
        DialOptions? sentinelDial = string.IsNullOrEmpty(options.Sentinel.Password)
            ? null
            : DialOptions.Default with
            {
                Password = options.Sentinel.Password,
                Username = string.IsNullOrEmpty(options.Sentinel.User) ? null : options.Sentinel.User,
            };
        if (url is not null)
        {
            (Sentinel fromUrl, DialOptions data) = SentinelUrl.Parse(url, dial);
            if (masterName is not null && masterName != fromUrl.MasterName)
            {
                throw new ArgumentException("the master name is given twice, differently: in the Url (#name) and in Sentinel:MasterName; keep one.");
            }
            dial = data;
            return sentinelDial is null ? fromUrl : new Sentinel(fromUrl.Addresses, fromUrl.MasterName, sentinelDial);
        }
        if (masterName is null)
        {
            throw new ArgumentException("Sentinel mode needs the master's name: set Sentinel:MasterName (the name the sentinels monitor it under, e.g. mymaster).");
        }
        var addresses = new List<string>(endpoints.Length);
        foreach (string endpoint in endpoints)
        {
            (string host, int port) = HasPort(endpoint)
                ? RedisUrl.ParseHostPort(endpoint, "localhost", "Endpoints")
                : (RedisUrl.ParseHostPort(endpoint, "localhost", "Endpoints").Host, SentinelUrl.DefaultSentinelPort);
            addresses.Add(RedisUrl.FormatAddress(host, port));
        }
        return new Sentinel(addresses, masterName, sentinelDial);
    }

    private static bool HasPort(string endpoint) =>
        endpoint.StartsWith('[') ? endpoint.Contains("]:", StringComparison.Ordinal) : endpoint.Contains(':');

    // "... (Parameter 'url')" names a parameter of a method the user never called.
    private static string StripParameterName(ArgumentException ex) =>
        ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal);

    private static string Redact(string message, RedisOptions options)
    {
        foreach (string? secret in Secrets(options))
        {
            if (!string.IsNullOrEmpty(secret)) message = message.Replace(secret, "***", StringComparison.Ordinal);
        }
        return message;
    }

    private static IEnumerable<string?> Secrets(RedisOptions options)
    {
        yield return options.Password;
        yield return options.Sentinel.Password;
        // The URLs' user info (a cluster's Url may list several, and a seed without a scheme may still carry one, which
        // the seed parser would quote): all of it, and its password part, as written and decoded.
        if (string.IsNullOrEmpty(options.Url)) yield break;
        foreach (string part in options.Url.Split(','))
        {
            int schemeEnd = part.IndexOf("://", StringComparison.Ordinal);
            int start = schemeEnd >= 0 ? schemeEnd + 3 : 0;
            int at = part.LastIndexOf('@');
            if (at <= start) continue;
            string userInfo = part[start..at];
            int colon = userInfo.IndexOf(':');
            foreach (string secret in colon >= 0 ? [userInfo, userInfo[(colon + 1)..]] : new[] { userInfo })
            {
                yield return secret;
                yield return Unescape(secret);
            }
        }
    }

    private static string Unescape(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }
}
