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
public sealed class LocalCluster : IAsyncDisposable, IDisposable
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

    /// <summary>
    /// Moves <paramref name="slot"/> and its keys from <paramref name="source"/> to <paramref name="target"/> as
    /// <c>redis-cli --cluster reshard</c> does: <see cref="BeginMigrationAsync"/>, <see cref="MoveKeysAsync"/>,
    /// <see cref="FinishMigrationAsync"/> (which waits until every answering node names the new owner).
    /// </summary>
    /// <param name="slot">The slot.</param>
    /// <param name="source">Its current master.</param>
    /// <param name="target">Another master.</param>
    /// <param name="ct">Cancels the migration (the slot may then be left migrating).</param>
    /// <returns>A task completing when every node agrees that <paramref name="target"/> serves the slot.</returns>
    public async Task MigrateSlotAsync(int slot, LocalClusterNode source, LocalClusterNode target, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        await BeginMigrationAsync(slot, source, target, ct).ConfigureAwait(false);
        var moved = await MoveKeysAsync(slot, source, target, null, ct).ConfigureAwait(false);
        await FinishMigrationAsync(slot, source, target, ct).ConfigureAwait(false);
        _log(string.Create(CultureInfo.InvariantCulture, $"local cluster: slot {slot} ({moved} keys) moved {source.Address} -> {target.Address} in {clock.Elapsed.TotalMilliseconds:0} ms"));
    }

    /// <summary>
    /// First step of a migration: <c>CLUSTER SETSLOT slot IMPORTING source-id</c> on the target, then
    /// <c>CLUSTER SETSLOT slot MIGRATING target-id</c> on the source. From now on the source answers <c>ASK</c> for
    /// keys of the slot it no longer has.
    /// </summary>
    /// <param name="slot">The slot.</param>
    /// <param name="source">Its current master.</param>
    /// <param name="target">Another master.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>A task completing when both nodes have the slot's migration state.</returns>
    public async Task BeginMigrationAsync(int slot, LocalClusterNode source, LocalClusterNode target, CancellationToken ct = default)
    {
        CheckMigration(slot, source, target);
        var s = slot.ToString(CultureInfo.InvariantCulture);
        await target.ExecuteAsync(["CLUSTER", "SETSLOT", s, "IMPORTING", source.NodeId], ct).ConfigureAwait(false);
        await source.ExecuteAsync(["CLUSTER", "SETSLOT", s, "MIGRATING", target.NodeId], ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Second step: moves keys of <paramref name="slot"/> from <paramref name="source"/> to <paramref name="target"/>
    /// with <c>CLUSTER GETKEYSINSLOT</c> and <c>MIGRATE 127.0.0.1 port "" 0 timeout KEYS ...</c>, in batches of 100.
    /// </summary>
    /// <param name="slot">The slot being migrated.</param>
    /// <param name="source">The migrating node.</param>
    /// <param name="target">The importing node.</param>
    /// <param name="maxKeys">Move at most this many keys (leaving the rest on the source); <see langword="null"/> for all.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The number of keys moved.</returns>
    public async Task<int> MoveKeysAsync(int slot, LocalClusterNode source, LocalClusterNode target, int? maxKeys = null, CancellationToken ct = default)
    {
        CheckMigration(slot, source, target);
        const int batch = 100;
        var s = slot.ToString(CultureInfo.InvariantCulture);
        var timeoutMs = ((long)_options.CommandTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        var moved = 0;
        while (maxKeys is null || moved < maxKeys)
        {
            var count = maxKeys is null ? batch : Math.Min(batch, maxKeys.Value - moved);
            var keys = (object?[])(await source.ExecuteAsync(["CLUSTER", "GETKEYSINSLOT", s, count.ToString(CultureInfo.InvariantCulture)], ct).ConfigureAwait(false))!;
            if (keys.Length == 0)
            {
                break;
            }

            var args = new List<string> { "MIGRATE", "127.0.0.1", target.Port.ToString(CultureInfo.InvariantCulture), string.Empty, "0", timeoutMs, "KEYS" };
            args.AddRange(keys.Cast<string>());
            await source.ExecuteAsync(args, ct).ConfigureAwait(false);
            moved += keys.Length;
        }

        return moved;
    }

    /// <summary>
    /// Last step: <c>CLUSTER SETSLOT slot NODE target-id</c> on the target, the source and every other master, then waits
    /// until every answering node (replicas learn by gossip) names the target as the slot's owner.
    /// </summary>
    /// <param name="slot">The slot being migrated.</param>
    /// <param name="source">The migrating node (it must hold no more keys of the slot).</param>
    /// <param name="target">The importing node.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <returns>A task completing when all nodes agree.</returns>
    public async Task FinishMigrationAsync(int slot, LocalClusterNode source, LocalClusterNode target, CancellationToken ct = default)
    {
        CheckMigration(slot, source, target);
        var s = slot.ToString(CultureInfo.InvariantCulture);
        string[] setNode = ["CLUSTER", "SETSLOT", s, "NODE", target.NodeId];

        // Target first: were the source told first, it would redirect clients to a target that does not yet accept the slot.
        await target.ExecuteAsync(setNode, ct).ConfigureAwait(false);
        await source.ExecuteAsync(setNode, ct).ConfigureAwait(false);
        foreach (var node in _nodes.Where(n => n != source && n != target && n.IsAnswering))
        {
            if (await node.IsMasterAsync(ct).ConfigureAwait(false))
            {
                await node.ExecuteAsync(setNode, ct).ConfigureAwait(false);
            }
        }

        await WaitUntilAsync(
            $"every node names {target.Address} as the owner of slot {s}",
            async token =>
            {
                foreach (var node in _nodes.Where(n => n.IsAnswering))
                {
                    var view = await ReadViewAsync(node, token).ConfigureAwait(false);
                    var owner = view.FirstOrDefault(sh => sh.Ranges.Any(r => r.Start <= slot && slot <= r.End))?.Nodes.FirstOrDefault(n => n.IsMaster)?.Id;
                    if (owner != target.NodeId)
                    {
                        return $"{node.Address} names {FindNode(owner ?? string.Empty)?.Address ?? owner ?? "no node"}";
                    }
                }

                return null;
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Manual failover: <c>CLUSTER FAILOVER</c> (or <c>FORCE</c>) on <paramref name="replica"/>, then waits until it is a
    /// master in every answering node's view and the cluster is healthy.
    /// </summary>
    /// <param name="replica">A replica.</param>
    /// <param name="force">Send <c>CLUSTER FAILOVER FORCE</c> (needed when the master is down or paused).</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <returns>A task completing when the promotion is agreed.</returns>
    public async Task FailoverAsync(LocalClusterNode replica, bool force = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(replica);
        CheckMember(replica);
        if (await replica.IsMasterAsync(ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"{replica} is a master; CLUSTER FAILOVER needs a replica");
        }

        var clock = Stopwatch.StartNew();
        await replica.ExecuteAsync(force ? ["CLUSTER", "FAILOVER", "FORCE"] : ["CLUSTER", "FAILOVER"], ct).ConfigureAwait(false);
        await WaitUntilAsync(
            $"{replica.Address} is promoted to master in every node's view",
            async token =>
            {
                foreach (var node in _nodes.Where(n => n.IsAnswering))
                {
                    var view = await ReadViewAsync(node, token).ConfigureAwait(false);
                    var shard = view.FirstOrDefault(sh => sh.Nodes.Any(n => n.Id == replica.NodeId));
                    if (shard is null || shard.Ranges.Count == 0 || !shard.Nodes.Any(n => n.Id == replica.NodeId && n.IsMaster))
                    {
                        return $"{node.Address} does not yet see it as a master with slots";
                    }
                }

                return null;
            },
            ct).ConfigureAwait(false);
        var promoted = clock.Elapsed;
        await WaitForHealthyAsync(null, ct).ConfigureAwait(false);
        _log(string.Create(CultureInfo.InvariantCulture, $"local cluster: failover to {replica.Address}: agreed by all nodes {promoted.TotalMilliseconds:0} ms, healthy {clock.Elapsed.TotalMilliseconds:0} ms"));
    }

    /// <summary>Kills the node's process with SIGKILL (<c>kill -9</c>: no shutdown, sockets reset); its directory stays for <see cref="RestartAsync"/>.</summary>
    /// <param name="node">A running node.</param>
    /// <returns>A completed task once the process is gone.</returns>
    public Task KillAsync(LocalClusterNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckMember(node);
        node.Kill();
        _log($"local cluster: killed {node.Address}");
        return Task.CompletedTask;
    }

    /// <summary>Stops the node's process with SIGSTOP: it keeps its sockets open and answers nothing, like a frozen host.</summary>
    /// <param name="node">A running node.</param>
    /// <returns>A completed task.</returns>
    public Task PauseAsync(LocalClusterNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckMember(node);
        node.Pause();
        return Task.CompletedTask;
    }

    /// <summary>Continues a paused node with SIGCONT.</summary>
    /// <param name="node">A paused node.</param>
    /// <returns>A completed task.</returns>
    public Task ResumeAsync(LocalClusterNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckMember(node);
        node.Resume();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Starts the node again on its port with its directory and nodes.conf (so with its node id); kills it first when it
    /// is still running. By default then waits until the cluster is healthy (the node rejoined, as a replica if its
    /// slots were taken over meanwhile).
    /// </summary>
    /// <param name="node">A node of this cluster.</param>
    /// <param name="waitForHealthy">Wait for <see cref="WaitForHealthyAsync"/> after the node answers PING.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>A task completing when the node answers (and the cluster is healthy, if asked).</returns>
    public async Task RestartAsync(LocalClusterNode node, bool waitForHealthy = true, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckMember(node);
        if (node.Process is not null)
        {
            await KillAsync(node).ConfigureAwait(false);
        }

        var clock = Stopwatch.StartNew();
        var (process, failure) = await RedisServerProcess.StartInDirectoryAsync(_serverPath, node.Directory, node.Port, _nodeArgs, _options.StartTimeout, ct).ConfigureAwait(false);
        node.Process = process ?? throw new InvalidOperationException($"{node.Address} did not restart: {failure}");
        if (waitForHealthy)
        {
            await WaitForHealthyAsync(null, ct).ConfigureAwait(false);
        }

        _log(string.Create(CultureInfo.InvariantCulture, $"local cluster: restarted {node.Address} in {clock.Elapsed.TotalMilliseconds:0} ms{(waitForHealthy ? " (healthy)" : string.Empty)}"));
    }

    /// <summary>
    /// Waits until the cluster is healthy in the view of every answering node: <c>cluster_state:ok</c>; all 16384 slots
    /// served by masters that run and are online; every answering node online (not <c>loading</c> or <c>fail</c>);
    /// and all nodes naming the same owner for every slot. Killed and paused nodes are not required, but a slot they
    /// still serve is not healthy (so after <see cref="KillAsync"/> of a master this waits for its replica's promotion).
    /// </summary>
    /// <param name="timeout">How long to wait; <see langword="null"/> for <see cref="LocalClusterOptions.OperationTimeout"/>.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <returns>A task completing when healthy.</returns>
    /// <exception cref="TimeoutException">Not healthy in time; the message says what was last wrong.</exception>
    public Task WaitForHealthyAsync(TimeSpan? timeout = null, CancellationToken ct = default) =>
        WaitUntilAsync("the cluster is healthy", CheckHealthAsync, ct, timeout);

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

    private async Task WaitUntilAsync(string what, Func<CancellationToken, Task<string?>> check, CancellationToken ct, TimeSpan? timeout = null)
    {
        var limit = timeout ?? _options.OperationTimeout;
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(10);
        string? last;
        while (true)
        {
            try
            {
                last = await check(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or IOException or System.Net.Sockets.SocketException or InvalidOperationException && !ct.IsCancellationRequested)
            {
                last = e.Message;
            }

            if (last is null)
            {
                return;
            }

            if (Environment.GetEnvironmentVariable("LOCAL_CLUSTER_TRACE") == "1")
            {
                _log(string.Create(CultureInfo.InvariantCulture, $"  {clock.ElapsedMilliseconds} ms: {last}"));
            }

            if (clock.Elapsed >= limit)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"{this}: waited {limit.TotalSeconds:0.#} s until {what}, but it did not happen; last seen: {last}"));
            }

            await Task.Delay(delay, ct).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 100));
        }
    }

    private async Task<string?> CheckHealthAsync(CancellationToken ct)
    {
        var answering = _nodes.Where(n => n.IsAnswering).ToList();
        if (answering.Count == 0)
        {
            return "no node is running";
        }

        // Each node's own ROLE: the views below must agree with it (right after create, a node may already look
        // "online" to the others while it is still a master without slots that has not become a replica yet).
        var isMaster = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var node in answering)
        {
            var role = await node.ExecuteAsync(["ROLE"], ct).ConfigureAwait(false) as object?[] ?? [];
            var master = role.Length > 0 && string.Equals(role[0] as string, "master", StringComparison.Ordinal);

            // A replica whose link is down has not (re)synced: tests that read from it or WAIT for it would flake.
            if (!master && (role.Length < 4 || !string.Equals(role[3] as string, "connected", StringComparison.Ordinal)))
            {
                return $"replica {node.Address} is {(role.Length >= 4 ? role[3] : "?")} to its master";
            }

            isMaster[node.NodeId] = master;
        }

        string? firstView = null;
        LocalClusterNode? firstViewer = null;
        foreach (var node in answering)
        {
            var info = (string)(await node.ExecuteAsync(["CLUSTER", "INFO"], ct).ConfigureAwait(false))!;
            var state = RespProbe.InfoField(info, "cluster_state");
            if (state != "ok")
            {
                return $"{node.Address} reports cluster_state:{state}";
            }

            var view = await ReadViewAsync(node, ct).ConfigureAwait(false);
            var covered = 0;
            var shards = new List<string>();
            foreach (var shard in view)
            {
                var master = shard.Nodes.FirstOrDefault(n => n.IsMaster);
                if (shard.Ranges.Count > 0)
                {
                    var masterNode = master is null ? null : FindNode(master.Id);
                    if (master is null || masterNode is null || !masterNode.IsAnswering || master.Health != "online")
                    {
                        return $"{node.Address} sees slots {shard.Ranges[0].Start}.. served by {masterNode?.ToString() ?? master?.Id ?? "no master"} (health {master?.Health ?? "none"})";
                    }

                    covered += shard.Ranges.Sum(r => r.End - r.Start + 1);
                }

                // Only answering nodes count: what a view says about a killed or paused node does not settle.
                var members = shard.Nodes.Where(n => FindNode(n.Id)?.IsAnswering == true).ToList();
                foreach (var member in members)
                {
                    if (member.IsMaster != isMaster[member.Id])
                    {
                        return $"{node.Address} sees {FindNode(member.Id)!.Address} as {(member.IsMaster ? "master" : "replica")}, which it is not";
                    }
                }

                if (members.Count > 0)
                {
                    var ranges = string.Join(' ', shard.Ranges.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Start}-{r.End}")));
                    shards.Add($"{string.Join('+', members.Select(m => (m.IsMaster ? "M" : "R") + m.Id).Order(StringComparer.Ordinal))}[{ranges}]");
                }
            }

            if (covered != SlotCount)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{node.Address} sees {covered} of {SlotCount} slots served");
            }

            foreach (var other in answering)
            {
                var seen = view.SelectMany(s => s.Nodes).FirstOrDefault(n => n.Id == other.NodeId);
                if (seen is null || seen.Health != "online")
                {
                    return $"{node.Address} sees {other.Address} as {seen?.Health ?? "absent"}";
                }
            }

            shards.Sort(StringComparer.Ordinal);
            var canonical = string.Join(',', shards);
            if (firstView is null)
            {
                (firstView, firstViewer) = (canonical, node);
            }
            else if (canonical != firstView)
            {
                return $"{node.Address} and {firstViewer!.Address} disagree on the shards (masters, replicas, slots)";
            }
        }

        return null;
    }

    private async Task<List<ShardView>> ReadViewAsync(LocalClusterNode node, CancellationToken ct)
    {
        var reply = await node.ExecuteAsync(["CLUSTER", "SHARDS"], ct).ConfigureAwait(false) as object?[]
            ?? throw new InvalidOperationException($"{node.Address}: CLUSTER SHARDS did not return an array");
        var shards = new List<ShardView>();
        foreach (var item in reply)
        {
            var shard = Pairs(item);
            var slots = (shard.GetValueOrDefault("slots") as object?[]) ?? [];
            var ranges = new List<(int Start, int End)>();
            for (var i = 0; i + 1 < slots.Length; i += 2)
            {
                ranges.Add((checked((int)(long)slots[i]!), checked((int)(long)slots[i + 1]!)));
            }

            var nodes = ((shard.GetValueOrDefault("nodes") as object?[]) ?? [])
                .Select(Pairs)
                .Select(n => new NodeView(
                    n.GetValueOrDefault("id") as string ?? string.Empty,
                    string.Equals(n.GetValueOrDefault("role") as string, "master", StringComparison.Ordinal),
                    n.GetValueOrDefault("health") as string ?? string.Empty))
                .ToList();
            ranges.Sort();
            shards.Add(new ShardView(ranges, nodes));
        }

        return shards;
    }

    /// <summary>A RESP2 flat key/value array as a dictionary (CLUSTER SHARDS shapes).</summary>
    private static Dictionary<string, object?> Pairs(object? flat)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (flat is object?[] items)
        {
            for (var i = 0; i + 1 < items.Length; i += 2)
            {
                if (items[i] is string key)
                {
                    result[key] = items[i + 1];
                }
            }
        }

        return result;
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

    private void CheckMigration(int slot, LocalClusterNode source, LocalClusterNode target)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, SlotCount);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        CheckMember(source);
        CheckMember(target);
        if (source == target)
        {
            throw new ArgumentException($"source and target are the same node {source}", nameof(target));
        }
    }

    private sealed record ShardView(List<(int Start, int End)> Ranges, List<NodeView> Nodes);

    private sealed record NodeView(string Id, bool IsMaster, string Health);
}
