using System.Diagnostics;
using System.Globalization;

namespace Redis.Testing;

/// <summary>
/// A real Redis Cluster of local <c>redis-server</c> processes on free 127.0.0.1 ports (each node's port P and its
/// bus port P+10000 free), each in its own temporary directory, created with <c>redis-cli --cluster create</c>, for
/// integration tests and samples. It offers the operations cluster tests need: slot migration (whole, or step by
/// step to act inside the ASK window), manual failover, <c>kill -9</c>, SIGSTOP/SIGCONT, restart on the same port
/// and nodes.conf, waiting until healthy, and a FLUSHALL reset. Every wait is bounded and throws a
/// <see cref="TimeoutException"/> saying what did not happen. Disposing kills every node and deletes the
/// directories; nodes of a test process that dies are killed by the next run (stale-server reaper).
/// </summary>
public sealed partial class LocalCluster : IAsyncDisposable, IDisposable
{
    /// <summary>Number of hash slots in a Redis Cluster.</summary>
    public const int SlotCount = 16384;

    private const string InstallHint = "install them with: apt-get install -y redis-server redis-tools";
    private const int MaxPortAttempts = 5;

    private readonly LocalClusterOptions _options;
    private readonly string _serverPath;
    private readonly List<string> _nodeArgs;
    private readonly Action<string> _log;
    private readonly List<LocalClusterNode> _nodes = [];
    private int _disposed;

    private LocalCluster(LocalClusterOptions options, string serverPath, List<string> nodeArgs, Action<string> log)
    {
        _options = options;
        _serverPath = serverPath;
        _nodeArgs = nodeArgs;
        _log = log;
    }

    /// <summary>
    /// Why a local cluster cannot run here (no <c>redis-server</c> or no <c>redis-cli</c>), or <see langword="null"/>
    /// when it can. <see cref="StartAsync"/> throws a <see cref="TestServerUnavailableException"/> with this text.
    /// </summary>
    public static string? WhyUnavailable
    {
        get
        {
            if (TestServer.IsGarnetForced)
            {
                return "a local Redis Cluster needs redis-server, but REDIS_TEST_SERVER=garnet forces embedded Garnet";
            }

            var missing = new List<string>();
            if (TestServer.RedisServerExecutablePath is null)
            {
                missing.Add(ExecutableLocator.RedisServerSearchDescription);
            }

            if (ExecutableLocator.Find("redis-cli") is null)
            {
                missing.Add(ExecutableLocator.RedisCliSearchDescription);
            }

            return missing.Count == 0
                ? null
                : $"a local Redis Cluster needs redis-server and redis-cli, but {string.Join(" and ", missing)}; {InstallHint}";
        }
    }

    /// <summary>Every node started, masters first in creation order (roles change later; ask <see cref="GetShardsAsync"/>).</summary>
    public IReadOnlyList<LocalClusterNode> Nodes => _nodes;

    /// <summary>The seed list for a cluster client: <c>"127.0.0.1:p1,127.0.0.1:p2,..."</c>, every node.</summary>
    public string Seeds => string.Join(',', _nodes.Select(n => n.Address));

    /// <summary>How long <see cref="StartAsync"/> took (nodes started, cluster created, healthy).</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <summary>
    /// Starts <paramref name="masters"/> × (1 + <paramref name="replicasPerMaster"/>) nodes, creates the cluster and waits
    /// until it is healthy (<see cref="WaitForHealthyAsync"/>): every node reports <c>cluster_state:ok</c> and is
    /// online in every node's <c>CLUSTER SHARDS</c>, and all 16384 slots are served.
    /// </summary>
    /// <param name="masters">Number of masters, at least 3 (what <c>redis-cli --cluster create</c> requires).</param>
    /// <param name="replicasPerMaster">Replicas per master.</param>
    /// <param name="options">Timeouts, node timeout, extra arguments; <see langword="null"/> for the defaults.</param>
    /// <param name="ct">Cancels the start (nodes already started are stopped).</param>
    /// <returns>The running cluster; dispose it to stop it.</returns>
    /// <exception cref="TestServerUnavailableException">redis-server or redis-cli is missing, or a node does not start.</exception>
    public static async Task<LocalCluster> StartAsync(int masters = 3, int replicasPerMaster = 1, LocalClusterOptions? options = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(masters, 3);
        ArgumentOutOfRangeException.ThrowIfNegative(replicasPerMaster);
        options ??= new LocalClusterOptions();
        if (WhyUnavailable is { } why)
        {
            throw new TestServerUnavailableException(why);
        }

        var serverPath = TestServer.RedisServerExecutablePath!;
        var cliPath = ExecutableLocator.Find("redis-cli")!;
        var nodeArgs = new List<string>
        {
            "--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", ((long)options.NodeTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            "--enable-debug-command", "yes",

            // Measured here: with the defaults a replica's first sync waits 5 s (repl-diskless-sync-delay), and
            // CLUSTER SHARDS reports a replica as "loading" until its replication offset moves, i.e. until the
            // first replication PING (repl-ping-replica-period, 10 s): a fresh empty cluster took ~10 s to look healthy.
            "--repl-diskless-sync-delay", "0",
            "--repl-ping-replica-period", "1",
        };
        nodeArgs.AddRange(options.ExtraArgs);
        var cluster = new LocalCluster(options, serverPath, nodeArgs, options.Log ?? (static line => Console.Error.WriteLine(line)));
        var clock = Stopwatch.StartNew();
        try
        {
            var total = masters * (1 + replicasPerMaster);
            var started = await Task.WhenAll(Enumerable.Range(0, total).Select(_ => cluster.StartNodeAsync(ct))).ConfigureAwait(false);
            cluster._nodes.AddRange(started);
            var nodesUp = clock.Elapsed;

            var createArgs = new List<string> { "--cluster", "create" };
            createArgs.AddRange(started.Select(n => n.Address));
            createArgs.AddRange(["--cluster-replicas", replicasPerMaster.ToString(CultureInfo.InvariantCulture), "--cluster-yes"]);
            await RunCliAsync(cliPath, createArgs, options.StartTimeout, ct).ConfigureAwait(false);
            var created = clock.Elapsed;

            foreach (var node in started)
            {
                node.NodeId = (string)(await node.ExecuteAsync(["CLUSTER", "MYID"], ct).ConfigureAwait(false))!;
            }

            if (replicasPerMaster > 0)
            {
                await cluster.NudgeReplicationAsync(ct).ConfigureAwait(false);
            }

            await cluster.WaitForHealthyAsync(null, ct).ConfigureAwait(false);
            cluster.StartDuration = clock.Elapsed;
            cluster._log(string.Create(
                CultureInfo.InvariantCulture,
                $"local cluster: {masters} masters + {masters * replicasPerMaster} replicas (redis-server {RedisServerProcess.GetVersion(serverPath)}) on {cluster.Seeds}: nodes up {nodesUp.TotalSeconds:0.00} s, created {created.TotalSeconds:0.00} s, healthy {cluster.StartDuration.TotalSeconds:0.00} s"));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The shards as <paramref name="from"/> (default: the first answering node) reports them in <c>CLUSTER SHARDS</c>.</summary>
    /// <param name="from">The node to ask; it must be answering.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The shards, masters with slots first, in slot order.</returns>
    public async Task<IReadOnlyList<LocalClusterShard>> GetShardsAsync(LocalClusterNode? from = null, CancellationToken ct = default)
    {
        from ??= AnyAnsweringNode();
        var view = await ReadViewAsync(from, ct).ConfigureAwait(false);
        var shards = new List<LocalClusterShard>();
        foreach (var shard in view)
        {
            var master = shard.Nodes.FirstOrDefault(n => n.IsMaster);
            var masterNode = master is null ? null : FindNode(master.Id);
            if (masterNode is null)
            {
                continue;
            }

            var replicas = shard.Nodes.Where(n => !n.IsMaster).Select(n => FindNode(n.Id)).OfType<LocalClusterNode>().ToList();
            shards.Add(new LocalClusterShard(masterNode, replicas, shard.Ranges));
        }

        return [.. shards.OrderBy(s => s.SlotRanges.Count == 0 ? int.MaxValue : s.SlotRanges[0].Start)];
    }

    /// <summary>The masters that serve slots right now (as the first answering node reports).</summary>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The masters, in slot order.</returns>
    public async Task<IReadOnlyList<LocalClusterNode>> GetMastersAsync(CancellationToken ct = default) =>
        [.. (await GetShardsAsync(null, ct).ConfigureAwait(false)).Where(s => s.SlotCount > 0).Select(s => s.Master)];

    /// <summary>A replica of <paramref name="master"/> right now.</summary>
    /// <param name="master">A master.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>Its first replica.</returns>
    /// <exception cref="InvalidOperationException">The node is not a master or has no replica.</exception>
    public async Task<LocalClusterNode> GetReplicaOfAsync(LocalClusterNode master, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(master);
        var shard = (await GetShardsAsync(null, ct).ConfigureAwait(false)).FirstOrDefault(s => s.Master == master)
            ?? throw new InvalidOperationException($"{master} is not a master");
        return shard.Replicas.FirstOrDefault() ?? throw new InvalidOperationException($"master {master} has no replica");
    }

    /// <summary>The slot of <paramref name="key"/>, computed by the server (<c>CLUSTER KEYSLOT</c>), independently of the client under test.</summary>
    /// <param name="key">A key (a <c>{hash tag}</c> counts).</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The slot, 0-16383.</returns>
    public async Task<int> GetSlotAsync(string key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var reply = await AnyAnsweringNode().ExecuteAsync(["CLUSTER", "KEYSLOT", key], ct).ConfigureAwait(false);
        return checked((int)(long)reply!);
    }

    /// <summary>The master serving <paramref name="slot"/> right now (as the first answering node reports).</summary>
    /// <param name="slot">A slot, 0-16383.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The owner.</returns>
    /// <exception cref="InvalidOperationException">No master serves the slot.</exception>
    public async Task<LocalClusterNode> GetMasterOfSlotAsync(int slot, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, SlotCount);
        var shards = await GetShardsAsync(null, ct).ConfigureAwait(false);
        return shards.FirstOrDefault(s => s.Owns(slot))?.Master
            ?? throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"no master serves slot {slot}"));
    }

    /// <summary>The master serving the slot of <paramref name="key"/> right now.</summary>
    /// <param name="key">A key.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The owner.</returns>
    public async Task<LocalClusterNode> GetMasterOfKeyAsync(string key, CancellationToken ct = default) =>
        await GetMasterOfSlotAsync(await GetSlotAsync(key, ct).ConfigureAwait(false), ct).ConfigureAwait(false);

    /// <summary>FLUSHALL on every answering master, then <c>WAIT</c> for its replicas, so a test starts from empty nodes.</summary>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>A task completing when every master and its replicas are empty.</returns>
    public async Task FlushAllAsync(CancellationToken ct = default)
    {
        var shards = await GetShardsAsync(null, ct).ConfigureAwait(false);
        foreach (var shard in shards.Where(s => s.Master.IsAnswering))
        {
            await shard.Master.ExecuteAsync(["FLUSHALL"], ct).ConfigureAwait(false);
            var replicas = shard.Replicas.Count(r => r.IsAnswering);
            if (replicas > 0)
            {
                await shard.Master.ExecuteAsync(
                    ["WAIT", replicas.ToString(CultureInfo.InvariantCulture), ((long)_options.CommandTimeout.TotalMilliseconds / 2).ToString(CultureInfo.InvariantCulture)],
                    ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Kills every node and deletes their directories.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var node in _nodes)
        {
            var process = node.Process;
            node.Process = null;
            process?.Dispose();
            RedisServerProcess.DeleteDirectory(node.Directory);
        }
    }

    /// <summary>Kills every node and deletes their directories.</summary>
    /// <returns>A task completing when done.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Task.WhenAll(_nodes.Select(async node =>
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

    /// <summary>"local cluster 127.0.0.1:p1,...".</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "local cluster " + Seeds;

    private async Task<LocalClusterNode> StartNodeAsync(CancellationToken ct)
    {
        var directory = RedisServerProcess.CreateDirectory();
        string? failure = null;
        try
        {
            for (var attempt = 1; attempt <= MaxPortAttempts; attempt++)
            {
                var port = FreePort.AllocateWithBusPort();
                var (process, why) = await RedisServerProcess.StartInDirectoryAsync(_serverPath, directory, port, _nodeArgs, _options.StartTimeout, ct).ConfigureAwait(false);
                if (process is not null)
                {
                    return new LocalClusterNode(process, directory, port, _options.CommandTimeout);
                }

                failure = why;

                // Another process took the port or its bus port (P+10000) since the check: try other ports.
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
        throw new TestServerUnavailableException($"a cluster node (redis-server {_serverPath}) did not start: {failure}");
    }

    /// <summary>
    /// Once every replica's link is up, sends one (empty) FLUSHALL to each master: it replicates, so the replicas'
    /// offsets move now rather than at the next replication PING, and CLUSTER SHARDS stops calling them "loading" sooner.
    /// </summary>
    private async Task NudgeReplicationAsync(CancellationToken ct)
    {
        await WaitUntilAsync(
            "every replica's replication link is up",
            async token =>
            {
                foreach (var node in _nodes)
                {
                    if (await node.ExecuteAsync(["ROLE"], token).ConfigureAwait(false) is object?[] { Length: >= 4 } role &&
                        string.Equals(role[0] as string, "slave", StringComparison.Ordinal) &&
                        !string.Equals(role[3] as string, "connected", StringComparison.Ordinal))
                    {
                        return $"replica {node.Address} is {role[3]} to its master";
                    }
                }

                return null;
            },
            ct).ConfigureAwait(false);
        foreach (var node in _nodes)
        {
            if (await node.IsMasterAsync(ct).ConfigureAwait(false))
            {
                await node.ExecuteAsync(["FLUSHALL"], ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task RunCliAsync(string cliPath, List<string> args, TimeSpan timeout, CancellationToken ct)
    {
        var startInfo = new ProcessStartInfo(cliPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo) ?? throw new TestServerUnavailableException($"{cliPath} could not be started");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (ct.IsCancellationRequested)
            {
                throw;
            }

            throw new TimeoutException($"redis-cli {string.Join(' ', args.Take(2))} did not finish within {timeout.TotalSeconds:0.#} s");
        }

        var output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);

        // redis-cli reports some failures ("[ERR] ...") with exit code 0.
        if (process.ExitCode != 0 || output.Contains("[ERR]", StringComparison.Ordinal))
        {
            var tail = string.Join(Environment.NewLine, output.Split('\n').TakeLast(15));
            throw new TestServerUnavailableException(string.Create(CultureInfo.InvariantCulture, $"redis-cli {string.Join(' ', args.Take(2))} failed (exit code {process.ExitCode}):{Environment.NewLine}{tail}"));
        }
    }

    private LocalClusterNode? FindNode(string id) => _nodes.FirstOrDefault(n => n.NodeId == id);

    private LocalClusterNode AnyAnsweringNode() =>
        _nodes.FirstOrDefault(n => n.IsAnswering) ?? throw new InvalidOperationException($"{this}: no node is running");

    private void CheckMember(LocalClusterNode node)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_nodes.Contains(node))
        {
            throw new ArgumentException($"{node} is not a node of {this}", nameof(node));
        }
    }
}
