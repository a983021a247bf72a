using Microsoft.Extensions.Logging;

namespace Redis;

/// <summary>
/// A thread-safe client for a Redis Cluster, for many concurrent callers, sync and async. Every command is
/// routed by what the one command table (<see cref="CommandTable"/>, generated from <c>commands.json</c>)
/// says about it: the slot of its keys (from the key specs), its routing tips (<c>request_policy</c>,
/// <c>response_policy</c>) and whether it only reads. Each node gets one <see cref="RedisClient"/>: an
/// auto-pipelined shared connection, with dedicated connections for blocking commands, transactions and
/// subscriptions, exactly as on a single server.
/// </summary>
/// <remarks>
/// <para><b>Routing.</b> A keyed command goes to the master of its slot (to a replica, after READONLY, for a
/// read-only command when <see cref="ClusterOptions.ReadFrom"/> says so). Keyless commands go to one master,
/// or to every master (<c>all_shards</c>: DBSIZE, KEYS, FLUSHALL...) or every node (<c>all_nodes</c>: SCRIPT
/// LOAD, CONFIG SET...) with the replies merged by the command's <c>response_policy</c> (DBSIZE sums, KEYS
/// concatenates, FLUSHALL must succeed everywhere; <c>special</c> replies are the first master's). Multi-key
/// commands whose keys span slots are split per slot when the spec allows it (<c>multi_shard</c>: MGET,
/// MSET, DEL, UNLINK, EXISTS, TOUCH), sent in parallel and merged in the caller's key order; any other
/// multi-key command across slots fails with a <see cref="RedisException"/> before anything is sent.</para>
/// <para><b>Redirects.</b> The server's answer is the truth, never a cached role: MOVED is followed at once
/// and schedules one topology refresh (a burst of MOVEDs causes one); ASK sends ASKING and the command to the
/// importing node and leaves the map alone; TRYAGAIN, CLUSTERDOWN, LOADING and READONLY (a demoted master)
/// are retried with backoff. All of these mean the command did not run, so retrying is safe; a lost
/// connection is not retried (the command may have run) and fails with <see cref="RedisConnectionException"/>.
/// At most <see cref="ClusterOptions.MaxRedirects"/> redirects and retries per command.</para>
/// <para><b>Topology</b> is read with CLUSTER SHARDS (CLUSTER SLOTS on older servers) from the known nodes in
/// turn, preferring a view that covers every slot; it is re-read on MOVED, on a lost connection, and every
/// <see cref="ClusterOptions.TopologyRefreshInterval"/>.</para>
/// </remarks>
public sealed partial class RedisCluster : IRedisClient
{
    private readonly string _network = "tcp";
    private readonly DialOptions _dialOptions;
    private readonly DialOptions _replicaDialOptions;
    private readonly ClusterOptions _options;
    private readonly ClientOptions _clientOptions;
    private readonly ILogger? _logger;
    private readonly string[] _seeds;
    private readonly Lock _nodesLock = new();
    private readonly Dictionary<string, RedisClient> _masterClients = new(StringComparer.OrdinalIgnoreCase);   // READWRITE connections, by endpoint
    private readonly Dictionary<string, RedisClient> _replicaClients = new(StringComparer.OrdinalIgnoreCase);  // READONLY connections, by endpoint
    private readonly Timer? _refreshTimer;
    private RouteTable _routes;
    private bool _disposed;

    private long _moved;
    private long _asked;
    private long _retries;
    private long _refreshes;
    private long _splits;
    private long _fanOuts;

    private RedisCluster(string[] seeds, DialOptions dialOptions, ClusterOptions options)
    {
        _seeds = seeds;
        _dialOptions = dialOptions;
        _replicaDialOptions = dialOptions with { ClusterReadOnly = true };
        _options = options;
        _clientOptions = options.ToClientOptions();
        _logger = options.Logger;
        _routes = RouteTable.CreateEmpty();
        TelemetryRegistry.AddCluster(this, () => { ClusterStats s = Stats; return new(s.Moved, s.Asked, s.Retries, s.TopologyRefreshes); }); // read by the cluster counters of RedisTelemetry
        if (options.TopologyRefreshInterval > TimeSpan.Zero)
        {
            _refreshTimer = new Timer(static state => ((RedisCluster)state!).RequestRefresh(), this, options.TopologyRefreshInterval, options.TopologyRefreshInterval);
        }
    }

    /// <summary>
    /// Connects to a cluster: reads the topology from the first seed that answers and opens a connection to
    /// each master. <paramref name="seeds"/> is <c>"host:port[,host:port...]"</c> or <c>redis://</c> /
    /// <c>rediss://</c> URLs joined by commas (what a URL says — password, TLS — applies to every node).
    /// </summary>
    /// <exception cref="ArgumentException">No seed, a bad seed or option.</exception>
    /// <exception cref="RedisConnectionException">No seed answered with a cluster topology.</exception>
    public static RedisCluster Connect(string seeds, DialOptions? dialOptions = null, ClusterOptions? options = null)
        => ConnectAsync(seeds, dialOptions, options).AsTask().GetAwaiter().GetResult();

    /// <summary>The asynchronous twin of <see cref="Connect"/>.</summary>
    public static async ValueTask<RedisCluster> ConnectAsync(string seeds, DialOptions? dialOptions = null, ClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(seeds);
        options ??= ClusterOptions.Default;
        options.Validate();
        (string[] endpoints, DialOptions dial) = ParseSeeds(seeds, dialOptions ?? DialOptions.Default);
        dial.Validate();
        var cluster = new RedisCluster(endpoints, dial, options);
        try
        {
            await cluster.RefreshTopologyAsync(initial: true, cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The hash slot of <paramref name="key"/>: CRC16 of the key, or of its <c>{hash tag}</c>, mod 16384.</summary>
    public static int Slot(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int max = System.Text.Encoding.UTF8.GetMaxByteCount(key.Length);
        if (max <= 512)
        {
            Span<byte> buffer = stackalloc byte[max];
            return Slot(buffer[..System.Text.Encoding.UTF8.GetBytes(key, buffer)]);
        }
        return Slot(System.Text.Encoding.UTF8.GetBytes(key));
    }

    /// <summary>The hash slot of <paramref name="key"/> (its bytes), as the server computes it.</summary>
    public static int Slot(ReadOnlySpan<byte> key)
    {
        // Only the part between the first '{' and the first '}' after it, when that part is not empty.
        int open = key.IndexOf((byte)'{');
        if (open >= 0)
        {
            int close = key[(open + 1)..].IndexOf((byte)'}');
            if (close > 0) key = key.Slice(open + 1, close);
        }
        return Crc16.Compute(key) & (ClusterTopology.SlotCount - 1);
    }

    /// <summary>The shards as last read (slot ranges, master, replicas).</summary>
    public ClusterTopology Topology => Volatile.Read(ref _routes).Topology;

    /// <summary>Redirect, retry, refresh and fan-out counters.</summary>
    public ClusterStats Stats => new(
        Interlocked.Read(ref _moved), Interlocked.Read(ref _asked), Interlocked.Read(ref _retries),
        Interlocked.Read(ref _refreshes), Interlocked.Read(ref _splits), Interlocked.Read(ref _fanOuts));

    /// <summary>Closes every node's connections. Commands in flight fail with <see cref="RedisConnectionException"/>. Idempotent.</summary>
    public void Dispose()
    {
        foreach (RedisClient client in BeginDispose()) client.Dispose();
    }

    /// <summary>As <see cref="Dispose"/>, without blocking.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (RedisClient client in BeginDispose()) await client.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Describes the cluster client; never includes credentials.</summary>
    public override string ToString() => $"RedisCluster({Topology.Shards.Count} shards, seeds {string.Join(",", _seeds)})";

    private List<RedisClient> BeginDispose()
    {
        lock (_nodesLock)
        {
            if (_disposed) return [];
            _disposed = true;
            TelemetryRegistry.RemoveCluster(this);
            _refreshTimer?.Dispose();
            var all = new List<RedisClient>(_masterClients.Values);
            all.AddRange(_replicaClients.Values);
            _masterClients.Clear();
            _replicaClients.Clear();
            return all;
        }
    }

    /// <summary>The client of the master (READWRITE) at <paramref name="endpoint"/>, created on first use.</summary>
    private RedisClient MasterClient(string endpoint) => NodeClient(endpoint, replica: false);

    private RedisClient NodeClient(string endpoint, bool replica)
    {
        Dictionary<string, RedisClient> clients = replica ? _replicaClients : _masterClients;
        lock (_nodesLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (clients.TryGetValue(endpoint, out RedisClient? client)) return client;
            client = RedisClient.ConnectInBackground(_network, endpoint, replica ? _replicaDialOptions : _dialOptions, _clientOptions);
            clients.Add(endpoint, client);
            return client;
        }
    }

    // Seeds: "host:port,host:port" or URLs; what the first URL says (password, TLS, database 0 only) applies to every node.
    internal static (string[] Endpoints, DialOptions Options) ParseSeeds(string seeds, DialOptions options)
    {
        var endpoints = new List<string>();
        DialOptions? fromUrl = null;
        foreach (string part in seeds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.Contains("://", StringComparison.Ordinal))
            {
                RedisUrl.Target target = RedisUrl.Parse(part, options);
                if (target.Network != "tcp") throw new ArgumentException("Cluster seeds must be TCP endpoints.", nameof(seeds));
                fromUrl ??= target.Options;
                endpoints.Add(target.Address);
            }
            else
            {
                // user:password@host:port is not a host:port: reading it as one would dial a "host" made of the
                // credentials and could put them in an error message. Credentials come only from a URL.
                if (part.Contains('@'))
                {
                    throw new ArgumentException("A cluster seed with credentials must be a redis:// or rediss:// URL (redis://user:password@host:port).", nameof(seeds));
                }
                int colon = part.LastIndexOf(':');
                if (colon <= 0 || colon == part.Length - 1 || !int.TryParse(part.AsSpan(colon + 1), out int port) || port is <= 0 or > 65535)
                {
                    throw new ArgumentException($"A cluster seed must be host:port or a redis:// URL, not '{part}'.", nameof(seeds));
                }
                endpoints.Add(part);
            }
        }
        if (endpoints.Count == 0) throw new ArgumentException("No cluster seed given.", nameof(seeds));
        DialOptions result = fromUrl ?? options;
        if (result.Database != 0) throw new ArgumentException("Redis Cluster has only database 0.", nameof(seeds));
        return ([.. endpoints], result);
    }

    /// <summary>
    /// One slot's routes: its master's client and the clients of its replicas (for reads). A provisional
    /// route (from a MOVED reply, until the next refresh) knows only the master.
    /// </summary>
    private sealed class SlotRoute(RedisClient master, RedisClient[] replicas, bool provisional = false)
    {
        private int _next;

        public RedisClient Master => master;

        public RedisClient[] Replicas => replicas;

        public bool IsProvisional => provisional;

        /// <summary>
        /// A connected replica, round robin; when none is connected and <paramref name="evenIfNotConnected"/>,
        /// any replica (a client still opening its connection makes the command wait for the attempt, bounded
        /// by the command timeout; one that is down fails fast); null when there is none.
        /// </summary>
        public RedisClient? Replica(bool evenIfNotConnected)
        {
            for (int i = 0; i < replicas.Length; i++)
            {
                RedisClient candidate = replicas[(int)((uint)Interlocked.Increment(ref _next) % (uint)replicas.Length)];
                if (candidate.IsConnected) return candidate;
            }
            return evenIfNotConnected && replicas.Length > 0 ? replicas[(int)((uint)Interlocked.Increment(ref _next) % (uint)replicas.Length)] : null;
        }
    }

    /// <summary>The routes of every slot, and the topology they came from. Replaced whole on refresh.</summary>
    private sealed class RouteTable(ClusterTopology topology, SlotRoute?[] bySlot, RedisClient[] masters, string[] replicaEndpoints)
    {
        public static RouteTable CreateEmpty() => new(new ClusterTopology([], "(none)"), new SlotRoute?[ClusterTopology.SlotCount], [], []);

        public ClusterTopology Topology => topology;

        public SlotRoute?[] BySlot => bySlot;

        public RedisClient[] Masters => masters;

        /// <summary>The online replicas (their READWRITE clients are made on first use, by all_nodes commands).</summary>
        public string[] ReplicaEndpoints => replicaEndpoints;
    }
}
