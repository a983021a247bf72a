using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Redis.Testing;

/// <summary>
/// A real Redis Sentinel deployment of local <c>redis-server</c> processes on free 127.0.0.1 ports, each in its own
/// temporary directory with its own writable config file: one master, replicas (<c>replicaof</c>) and sentinels
/// (<c>redis-server sentinel.conf --sentinel</c> monitoring the master), for integration tests of Sentinel clients.
/// It offers what such tests need: asking the sentinels for the master, <c>SENTINEL FAILOVER</c>, <c>kill -9</c>,
/// SIGSTOP/SIGCONT, restart on the same port and config, waiting for a new master or until healthy. Data nodes and
/// sentinels may have separate passwords. Every wait is bounded and throws a <see cref="TimeoutException"/> saying what
/// did not happen. Disposing kills every process and deletes the directories; processes of a test process that dies
/// are killed by the next run (stale-server reaper).
/// </summary>
public sealed partial class LocalSentinelSet : IAsyncDisposable, IDisposable
{
    private const string InstallHint = "install it with: apt-get install -y redis-server";
    private const int MaxPortAttempts = 5;

    private readonly LocalSentinelOptions _options;
    private readonly string _serverPath;
    private readonly Action<string> _log;
    private readonly List<LocalSentinelNode> _dataNodes = [];
    private readonly List<LocalSentinelNode> _sentinels = [];
    private int _disposed;

    private LocalSentinelSet(string masterName, int quorum, LocalSentinelOptions options, string serverPath, Action<string> log)
    {
        MasterName = masterName;
        Quorum = quorum;
        _options = options;
        _serverPath = serverPath;
        _log = log;
    }

    /// <summary>
    /// Why a local Sentinel set cannot run here (no <c>redis-server</c>; sentinels run as <c>redis-server --sentinel</c>,
    /// so the redis-sentinel package is not needed), or <see langword="null"/> when it can.
    /// <see cref="StartAsync"/> throws a <see cref="TestServerUnavailableException"/> with this text.
    /// </summary>
    public static string? WhyUnavailable =>
        TestServer.IsGarnetForced
            ? "a local Sentinel set needs redis-server, but REDIS_TEST_SERVER=garnet forces embedded Garnet"
            : TestServer.RedisServerExecutablePath is null
            ? $"a local Sentinel set needs redis-server, but {ExecutableLocator.RedisServerSearchDescription}; {InstallHint}"
            : null;

    /// <summary>The name the sentinels monitor the master under (<c>sentinel monitor &lt;name&gt; ...</c>).</summary>
    public string MasterName { get; }

    /// <summary>The quorum of <c>sentinel monitor</c>.</summary>
    public int Quorum { get; }

    /// <summary>The settings the set was started with (passwords included).</summary>
    public LocalSentinelOptions Options => _options;

    /// <summary>The sentinels, in start order.</summary>
    public IReadOnlyList<LocalSentinelNode> Sentinels => _sentinels;

    /// <summary>The data nodes, the initial master first (roles change later; ask <see cref="GetMasterAsync"/> or <see cref="GetRoleAsync"/>).</summary>
    public IReadOnlyList<LocalSentinelNode> DataNodes => _dataNodes;

    /// <summary>Every sentinel's address, <c>"127.0.0.1:p"</c>, in start order: what a Sentinel client is given.</summary>
    public IReadOnlyList<string> SentinelAddresses => [.. _sentinels.Select(s => s.Address)];

    /// <summary>How long <see cref="StartAsync"/> took (data nodes started and synced, sentinels started, healthy).</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <summary>
    /// Starts one master, <paramref name="replicas"/> replicas of it and <paramref name="sentinels"/> sentinels monitoring it
    /// as <paramref name="masterName"/>, then waits until healthy (<see cref="WaitForHealthyAsync"/>): the replicas are
    /// online on the master, and every sentinel names the master, sees the other sentinels and lists the replicas.
    /// </summary>
    /// <param name="masterName">The monitored name (letters, digits, '.', '_', '-').</param>
    /// <param name="replicas">Number of replicas (0 or more; a failover needs at least one).</param>
    /// <param name="sentinels">Number of sentinels, at least 1.</param>
    /// <param name="options">Timings, passwords, extra config; <see langword="null"/> for the defaults.</param>
    /// <param name="ct">Cancels the start (processes already started are stopped).</param>
    /// <returns>The running set; dispose it to stop it.</returns>
    /// <exception cref="TestServerUnavailableException">redis-server is missing, or a process does not start.</exception>
    public static async Task<LocalSentinelSet> StartAsync(string masterName = "mymaster", int replicas = 1, int sentinels = 3, LocalSentinelOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(masterName);
        if (!MasterNamePattern().IsMatch(masterName))
        {
            throw new ArgumentException($"master name '{masterName}' must be letters, digits, '.', '_' or '-'", nameof(masterName));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        ArgumentOutOfRangeException.ThrowIfLessThan(sentinels, 1);
        options ??= new LocalSentinelOptions();
        var quorum = options.Quorum ?? (sentinels / 2) + 1;
        ArgumentOutOfRangeException.ThrowIfLessThan(quorum, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quorum, sentinels, nameof(options));
        if (WhyUnavailable is { } why)
        {
            throw new TestServerUnavailableException(why);
        }

        var set = new LocalSentinelSet(masterName, quorum, options, TestServer.RedisServerExecutablePath!, options.Log ?? (static line => Console.Error.WriteLine(line)));
        var clock = Stopwatch.StartNew();
        try
        {
            var master = await set.StartNodeAsync(sentinel: false, masterPort: null, ct).ConfigureAwait(false);
            set._dataNodes.Add(master);
            set._dataNodes.AddRange(await Task.WhenAll(Enumerable.Range(0, replicas).Select(_ => set.StartNodeAsync(sentinel: false, master.Port, ct))).ConfigureAwait(false));
            await set.WaitUntilAsync(
                "every replica is online on the master",
                token => set.CheckReplicationAsync(master, token),
                ct).ConfigureAwait(false);
            var dataUp = clock.Elapsed;

            set._sentinels.AddRange(await Task.WhenAll(Enumerable.Range(0, sentinels).Select(_ => set.StartNodeAsync(sentinel: true, master.Port, ct))).ConfigureAwait(false));
            var sentinelsUp = clock.Elapsed;

            await set.WaitForHealthyAsync(null, ct).ConfigureAwait(false);
            set.StartDuration = clock.Elapsed;
            set._log(string.Create(
                CultureInfo.InvariantCulture,
                $"local sentinel set '{masterName}': master {master.Address} + {replicas} replicas, {sentinels} sentinels (quorum {quorum}) on {string.Join(',', set.SentinelAddresses)} (redis-server {RedisServerProcess.GetVersion(set._serverPath)}): data nodes synced {dataUp.TotalSeconds:0.00} s, sentinels up {sentinelsUp.TotalSeconds:0.00} s, healthy {set.StartDuration.TotalSeconds:0.00} s"));
            return set;
        }
        catch
        {
            await set.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Asks one sentinel <c>SENTINEL GET-MASTER-ADDR-BY-NAME</c>.</summary>
    /// <param name="sentinel">The sentinel to ask; <see langword="null"/> for the first answering one.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The master's address as that sentinel reports it, <c>"127.0.0.1:p"</c>.</returns>
    /// <exception cref="InvalidOperationException">The sentinel does not know the master.</exception>
    public async Task<string> GetMasterAddressAsync(LocalSentinelNode? sentinel = null, CancellationToken ct = default)
    {
        sentinel ??= AnyAnswering(_sentinels, "sentinel");
        if (!sentinel.IsSentinel)
        {
            throw new ArgumentException($"{sentinel} is not a sentinel", nameof(sentinel));
        }

        var reply = await sentinel.ExecuteAsync(["SENTINEL", "GET-MASTER-ADDR-BY-NAME", MasterName], ct).ConfigureAwait(false);
        return reply is object?[] { Length: 2 } pair && pair[0] is string host && pair[1] is string port
            ? $"{host}:{port}"
            : throw new InvalidOperationException($"{sentinel.Address} does not know master '{MasterName}'");
    }

    /// <summary>The data node a sentinel (the first answering one) names as the master. Its ROLE is not checked (see <see cref="WaitForMasterChangeAsync"/>).</summary>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The master according to Sentinel.</returns>
    /// <exception cref="InvalidOperationException">The sentinel names an address that is not a data node of this set.</exception>
    public async Task<LocalSentinelNode> GetMasterAsync(CancellationToken ct = default)
    {
        var address = await GetMasterAddressAsync(null, ct).ConfigureAwait(false);
        return FindDataNode(address) ?? throw new InvalidOperationException($"{this}: a sentinel names {address} as the master, which is not a data node of this set");
    }

    /// <summary>The answering data nodes that report themselves replicas (<c>ROLE</c>) right now.</summary>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The replicas, in <see cref="DataNodes"/> order.</returns>
    public async Task<IReadOnlyList<LocalSentinelNode>> GetReplicasAsync(CancellationToken ct = default)
    {
        var replicas = new List<LocalSentinelNode>();
        foreach (var node in _dataNodes.Where(n => n.IsAnswering))
        {
            if (await GetRoleAsync(node, ct).ConfigureAwait(false) == "slave")
            {
                replicas.Add(node);
            }
        }

        return replicas;
    }

    /// <summary>The node's own view of its role: the first element of its <c>ROLE</c> reply.</summary>
    /// <param name="node">A node of this set.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns><c>"master"</c>, <c>"slave"</c> or <c>"sentinel"</c>.</returns>
    public async Task<string> GetRoleAsync(LocalSentinelNode node, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckMember(node);
        var reply = await node.ExecuteAsync(["ROLE"], ct).ConfigureAwait(false);
        return reply is object?[] { Length: > 0 } role && role[0] is string name
            ? name
            : throw new InvalidOperationException($"{node.Address} answered ROLE with an unexpected reply");
    }

    /// <summary>Kills every process and deletes their directories.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var node in _sentinels.Concat(_dataNodes))
        {
            var process = node.Process;
            node.Process = null;
            process?.Dispose();
            RedisServerProcess.DeleteDirectory(node.Directory);
        }
    }

    /// <summary>Kills every process and deletes their directories.</summary>
    /// <returns>A task completing when done.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Task.WhenAll(_sentinels.Concat(_dataNodes).Select(async node =>
        {
            var process = node.Process;
            node.Process = null;
            if (process is not null)
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }

            RedisServerProcess.DeleteDirectory(node.Directory);
        })).ConfigureAwait(false);
    }

    /// <summary>"local sentinel set 'name' (sentinels 127.0.0.1:p1,...)".</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"local sentinel set '{MasterName}' (sentinels {string.Join(',', SentinelAddresses)})";

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex MasterNamePattern();

    private static List<string> Arguments(bool sentinel, string configPath) => sentinel ? [configPath, "--sentinel"] : [configPath];

    private async Task<LocalSentinelNode> StartNodeAsync(bool sentinel, int? masterPort, CancellationToken ct)
    {
        var directory = RedisServerProcess.CreateDirectory();
        var configPath = Path.Combine(directory, sentinel ? "sentinel.conf" : "redis.conf");
        string? failure = null;
        try
        {
            for (var attempt = 1; attempt <= MaxPortAttempts; attempt++)
            {
                // Below Linux's ephemeral range (like cluster nodes): no outgoing connection can take the port while a
                // killed node is down, so RestartAsync finds it free.
                var port = FreePort.AllocateWithBusPort();
                await File.WriteAllTextAsync(configPath, sentinel ? SentinelConfig(port, directory, masterPort!.Value) : DataConfig(port, directory, masterPort), ct).ConfigureAwait(false);
                var (process, why) = await RedisServerProcess.StartWithArgumentsAsync(_serverPath, directory, port, Arguments(sentinel, configPath), _options.StartTimeout, ct).ConfigureAwait(false);
                if (process is not null)
                {
                    var node = new LocalSentinelNode(sentinel, directory, configPath, port, sentinel ? _options.SentinelPassword : _options.DataPassword, _options.CommandTimeout)
                    {
                        Process = process,
                    };
                    return node;
                }

                failure = why;
                if (why is null || !why.Contains("in use", StringComparison.OrdinalIgnoreCase))
                {
                    break;
                }
            }
        }
        catch
        {
            RedisServerProcess.DeleteDirectory(directory);
            throw;
        }

        RedisServerProcess.DeleteDirectory(directory);
        throw new TestServerUnavailableException($"a {(sentinel ? "sentinel" : "data node")} (redis-server {_serverPath}) did not start: {failure}");
    }

    private LocalSentinelNode? FindDataNode(string address) => _dataNodes.FirstOrDefault(n => n.Address == address);

    private static LocalSentinelNode AnyAnswering(List<LocalSentinelNode> nodes, string what) =>
        nodes.FirstOrDefault(n => n.IsAnswering) ?? throw new InvalidOperationException($"no {what} is running");

    private void CheckMember(LocalSentinelNode node)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_dataNodes.Contains(node) && !_sentinels.Contains(node))
        {
            throw new ArgumentException($"{node} is not a node of {this}", nameof(node));
        }
    }
}
