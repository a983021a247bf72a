using System.Diagnostics;
using System.Globalization;
using System.Text;
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

    /// <summary>
    /// <c>SENTINEL FAILOVER &lt;name&gt;</c> on the first answering sentinel (retried while it answers <c>-NOGOODSLAVE</c>, i.e.
    /// it has not yet judged a replica fit; <c>-INPROG</c> counts as accepted), then waits until every answering sentinel names another master and that node
    /// answers <c>ROLE</c> master (<see cref="WaitForMasterChangeAsync"/>). The old master is still a master at that point:
    /// Sentinel demotes it ~8-15 s later; <see cref="WaitForHealthyAsync"/> waits for that.
    /// </summary>
    /// <param name="ct">Cancels the wait.</param>
    /// <returns>The new master.</returns>
    public async Task<LocalSentinelNode> FailoverAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var old = await GetMasterAsync(ct).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        LocalSentinelNode? sentTo = null;
        await WaitUntilAsync(
            "a sentinel accepts SENTINEL FAILOVER",
            async token =>
            {
                var sentinel = AnyAnswering(_sentinels, "sentinel");
                try
                {
                    await sentinel.ExecuteAsync(["SENTINEL", "FAILOVER", MasterName], token).ConfigureAwait(false);
                    sentTo = sentinel;
                    return null;
                }
                catch (InvalidOperationException e) when (e.Message.Contains("NOGOODSLAVE", StringComparison.Ordinal))
                {
                    return e.Message;
                }
                catch (InvalidOperationException e) when (e.Message.Contains("INPROG", StringComparison.Ordinal))
                {
                    // A failover is already under way (e.g. an earlier attempt that timed out on our side was accepted): wait for it.
                    sentTo = sentinel;
                    return null;
                }
            },
            ct).ConfigureAwait(false);
        var accepted = clock.Elapsed;
        var promoted = await WaitForMasterChangeAsync(old, null, ct).ConfigureAwait(false);
        _log(string.Create(CultureInfo.InvariantCulture, $"local sentinel set: SENTINEL FAILOVER on {sentTo!.Address} accepted in {accepted.TotalMilliseconds:0} ms; {old.Address} -> {promoted.Address} agreed by every sentinel and confirmed by ROLE in {clock.Elapsed.TotalMilliseconds:0} ms"));
        return promoted;
    }

    /// <summary>
    /// Waits until every answering sentinel names the same master, other than <paramref name="oldMaster"/>, and that data
    /// node answers <c>ROLE</c> master. Use after <see cref="KillAsync"/> or <see cref="PauseAsync"/> of the master.
    /// </summary>
    /// <param name="oldMaster">The master being replaced.</param>
    /// <param name="timeout">How long to wait; <see langword="null"/> for <see cref="LocalSentinelOptions.OperationTimeout"/>.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <returns>The new master.</returns>
    /// <exception cref="TimeoutException">No agreed new master in time; the message says what was last seen.</exception>
    public async Task<LocalSentinelNode> WaitForMasterChangeAsync(LocalSentinelNode oldMaster, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(oldMaster);
        CheckMember(oldMaster);
        var clock = Stopwatch.StartNew();
        LocalSentinelNode? result = null;
        await WaitUntilAsync(
            $"every sentinel names a new master instead of {oldMaster.Address} and it answers ROLE master",
            async token =>
            {
                var (agreed, problem) = await ReadAgreedMasterAsync(token).ConfigureAwait(false);
                if (agreed is null)
                {
                    return problem;
                }

                if (agreed == oldMaster)
                {
                    return $"the sentinels still name {oldMaster.Address}";
                }

                if (!agreed.IsAnswering)
                {
                    return $"the sentinels name {agreed}, which does not answer";
                }

                var role = await GetRoleAsync(agreed, token).ConfigureAwait(false);
                if (role != "master")
                {
                    return $"the sentinels name {agreed.Address}, whose ROLE is still {role}";
                }

                result = agreed;
                return null;
            },
            ct,
            timeout).ConfigureAwait(false);
        _log(string.Create(CultureInfo.InvariantCulture, $"local sentinel set: new master {result!.Address} (was {oldMaster.Address}) agreed after {clock.Elapsed.TotalMilliseconds:0} ms of waiting"));
        return result;
    }

    /// <summary>Kills the node's process with SIGKILL (<c>kill -9</c>: no shutdown, sockets reset); its directory and config stay for <see cref="RestartAsync"/>.</summary>
    /// <param name="node">A running node of this set.</param>
    /// <returns>A completed task once the process is gone.</returns>
    public Task KillAsync(LocalSentinelNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckMember(node);
        node.Kill();
        _log($"local sentinel set: killed {node.Address}");
        return Task.CompletedTask;
    }

    /// <summary>Stops the node's process with SIGSTOP: it keeps its sockets open and answers nothing, like a frozen host.</summary>
    /// <param name="node">A running node of this set.</param>
    /// <returns>A completed task.</returns>
    public Task PauseAsync(LocalSentinelNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckMember(node);
        node.Pause();
        _log($"local sentinel set: paused {node.Address}");
        return Task.CompletedTask;
    }

    /// <summary>Continues a paused node with SIGCONT.</summary>
    /// <param name="node">A paused node of this set.</param>
    /// <returns>A completed task.</returns>
    public Task ResumeAsync(LocalSentinelNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckMember(node);
        node.Resume();
        _log($"local sentinel set: resumed {node.Address}");
        return Task.CompletedTask;
    }

    /// <summary>
    /// Starts the node again on its port with its directory and config file (as Sentinel last rewrote it: a demoted master
    /// comes back as a replica, a sentinel with its id and the peers it knew); kills it first when it is still running.
    /// By default then waits until the set is healthy. A master killed before Sentinel could rewrite its config comes back
    /// as a master (a "zombie") until Sentinel demotes it, ~8-15 s later; the healthy wait includes that.
    /// </summary>
    /// <param name="node">A node of this set.</param>
    /// <param name="waitForHealthy">Wait for <see cref="WaitForHealthyAsync"/> after the node answers PING.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>A task completing when the node answers (and the set is healthy, if asked).</returns>
    public async Task RestartAsync(LocalSentinelNode node, bool waitForHealthy = true, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckMember(node);
        if (node.Process is not null)
        {
            await KillAsync(node).ConfigureAwait(false);
        }

        var clock = Stopwatch.StartNew();
        var (process, failure) = await RedisServerProcess.StartWithArgumentsAsync(_serverPath, node.Directory, node.Port, Arguments(node.IsSentinel, node.ConfigPath), _options.StartTimeout, ct).ConfigureAwait(false);
        node.Process = process ?? throw new InvalidOperationException($"{node.Address} did not restart: {failure}");
        var answering = clock.Elapsed;
        if (waitForHealthy)
        {
            await WaitForHealthyAsync(null, ct).ConfigureAwait(false);
        }

        _log(string.Create(CultureInfo.InvariantCulture, $"local sentinel set: restarted {node.Address}: answering {answering.TotalMilliseconds:0} ms{(waitForHealthy ? string.Create(CultureInfo.InvariantCulture, $", healthy {clock.Elapsed.TotalMilliseconds:0} ms") : string.Empty)}"));
    }

    /// <summary>
    /// Waits until the set is healthy, counting only answering nodes (killed and paused ones are not required): every
    /// sentinel names the same master, which answers <c>ROLE</c> master and has every other data node online as a
    /// connected replica; every sentinel reports the master without down or failover flags, lists every other sentinel
    /// and every replica, none of them down or disconnected.
    /// </summary>
    /// <param name="timeout">How long to wait; <see langword="null"/> for <see cref="LocalSentinelOptions.OperationTimeout"/>.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <returns>A task completing when healthy.</returns>
    /// <exception cref="TimeoutException">Not healthy in time; the message says what was last wrong.</exception>
    public Task WaitForHealthyAsync(TimeSpan? timeout = null, CancellationToken ct = default) =>
        WaitUntilAsync("the sentinel set is healthy", CheckHealthAsync, ct, timeout);

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

    private string DataConfig(int port, string directory, int? masterPort)
    {
        var conf = new StringBuilder();
        CommonConfig(conf, port, directory);
        conf.AppendLine("save \"\"");
        conf.AppendLine("appendonly no");
        conf.AppendLine("enable-debug-command yes");

        // As for cluster nodes: without these a replica's first sync waits 5 s and its offset moves only every 10 s.
        conf.AppendLine("repl-diskless-sync-delay 0");
        conf.AppendLine("repl-ping-replica-period 1");
        if (_options.DataPassword is { } password)
        {
            conf.Append("requirepass ").AppendLine(Quote(password));
            conf.Append("masterauth ").AppendLine(Quote(password));
        }

        if (masterPort is { } master)
        {
            conf.AppendLine(string.Create(CultureInfo.InvariantCulture, $"replicaof 127.0.0.1 {master}"));
        }

        foreach (var line in _options.DataNodeConfig)
        {
            conf.AppendLine(line);
        }

        return conf.ToString();
    }

    private string SentinelConfig(int port, string directory, int masterPort)
    {
        var conf = new StringBuilder();
        CommonConfig(conf, port, directory);
        conf.AppendLine("sentinel resolve-hostnames no");
        conf.AppendLine(string.Create(CultureInfo.InvariantCulture, $"sentinel monitor {MasterName} 127.0.0.1 {masterPort} {Quorum}"));
        conf.AppendLine(string.Create(CultureInfo.InvariantCulture, $"sentinel down-after-milliseconds {MasterName} {(long)_options.DownAfter.TotalMilliseconds}"));
        conf.AppendLine(string.Create(CultureInfo.InvariantCulture, $"sentinel failover-timeout {MasterName} {(long)_options.FailoverTimeout.TotalMilliseconds}"));
        conf.AppendLine(string.Create(CultureInfo.InvariantCulture, $"sentinel parallel-syncs {MasterName} 1"));
        if (_options.DataPassword is { } dataPassword)
        {
            conf.Append(CultureInfo.InvariantCulture, $"sentinel auth-pass {MasterName} ").AppendLine(Quote(dataPassword));
        }

        if (_options.SentinelPassword is { } sentinelPassword)
        {
            conf.Append("requirepass ").AppendLine(Quote(sentinelPassword));
            conf.Append("sentinel sentinel-pass ").AppendLine(Quote(sentinelPassword));
        }

        foreach (var line in _options.SentinelConfig)
        {
            conf.AppendLine(line);
        }

        return conf.ToString();
    }

    private static void CommonConfig(StringBuilder conf, int port, string directory)
    {
        conf.AppendLine("bind 127.0.0.1");
        conf.AppendLine(string.Create(CultureInfo.InvariantCulture, $"port {port}"));
        conf.Append("dir ").AppendLine(Quote(directory));
        conf.AppendLine("daemonize no");
        conf.AppendLine("logfile \"\"");
    }

    /// <summary>A config-file string literal: double quotes, with backslash escapes for quotes, backslashes and control characters.</summary>
    private static string Quote(string value)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' or '\\' => quoted.Append('\\').Append(c),
                '\n' => quoted.Append("\\n"),
                '\r' => quoted.Append("\\r"),
                '\t' => quoted.Append("\\t"),
                < ' ' => quoted.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>The master every answering sentinel names, or null and what is wrong (a sentinel that does not know it, a disagreement).</summary>
    private async Task<(LocalSentinelNode? Master, string? Problem)> ReadAgreedMasterAsync(CancellationToken ct)
    {
        var answering = _sentinels.Where(s => s.IsAnswering).ToList();
        if (answering.Count == 0)
        {
            return (null, "no sentinel is running");
        }

        string? first = null;
        LocalSentinelNode? firstSentinel = null;
        foreach (var sentinel in answering)
        {
            var address = await GetMasterAddressAsync(sentinel, ct).ConfigureAwait(false);
            if (first is null)
            {
                (first, firstSentinel) = (address, sentinel);
            }
            else if (address != first)
            {
                return (null, $"sentinel {firstSentinel!.Address} names {first} but sentinel {sentinel.Address} names {address}");
            }
        }

        var master = FindDataNode(first!);
        return master is null ? (null, $"the sentinels name {first}, which is not a data node of this set") : (master, null);
    }

    private async Task<string?> CheckReplicationAsync(LocalSentinelNode master, CancellationToken ct)
    {
        var info = (string)(await master.ExecuteAsync(["INFO", "replication"], ct).ConfigureAwait(false))!;
        var online = OnlineReplicaPorts(info);
        foreach (var node in _dataNodes.Where(n => n != master && n.IsAnswering))
        {
            if (!online.Contains(node.Port))
            {
                return $"replica {node.Address} is not online in INFO replication of master {master.Address}";
            }

            var role = await node.ExecuteAsync(["ROLE"], ct).ConfigureAwait(false) as object?[] ?? [];
            if (role.Length < 4 || !string.Equals(role[0] as string, "slave", StringComparison.Ordinal) ||
                role[2] is not long masterPort || masterPort != master.Port ||
                !string.Equals(role[3] as string, "connected", StringComparison.Ordinal))
            {
                return $"{node.Address} reports ROLE {string.Join(' ', role.Take(4))}, not a replica connected to {master.Address}";
            }
        }

        return null;
    }

    private async Task<string?> CheckHealthAsync(CancellationToken ct)
    {
        var (master, problem) = await ReadAgreedMasterAsync(ct).ConfigureAwait(false);
        if (master is null)
        {
            return problem;
        }

        if (!master.IsAnswering)
        {
            return $"the sentinels name {master} as the master, which does not answer";
        }

        if (await GetRoleAsync(master, ct).ConfigureAwait(false) != "master")
        {
            return $"the sentinels name {master.Address}, which is not a master (ROLE)";
        }

        if (await CheckReplicationAsync(master, ct).ConfigureAwait(false) is { } replication)
        {
            return replication;
        }

        var sentinels = _sentinels.Where(s => s.IsAnswering).ToList();
        var replicas = _dataNodes.Where(n => n != master && n.IsAnswering).ToList();
        foreach (var sentinel in sentinels)
        {
            var state = Pairs(await sentinel.ExecuteAsync(["SENTINEL", "MASTER", MasterName], ct).ConfigureAwait(false));
            var flags = state.GetValueOrDefault("flags") ?? string.Empty;
            if (flags != "master")
            {
                return $"sentinel {sentinel.Address} reports master flags '{flags}'";
            }

            var peers = await ListAsync(sentinel, "SENTINELS", ct).ConfigureAwait(false);
            foreach (var other in sentinels.Where(s => s != sentinel))
            {
                if (Check(peers, other, "sentinel") is { } missing)
                {
                    return $"sentinel {sentinel.Address} {missing}";
                }
            }

            var listed = await ListAsync(sentinel, "REPLICAS", ct).ConfigureAwait(false);
            foreach (var replica in replicas)
            {
                if (Check(listed, replica, "replica") is { } missing)
                {
                    return $"sentinel {sentinel.Address} {missing}";
                }
            }
        }

        return null;
    }

    private static string? Check(List<Dictionary<string, string?>> entries, LocalSentinelNode node, string what)
    {
        var port = node.Port.ToString(CultureInfo.InvariantCulture);
        var entry = entries.FirstOrDefault(e => e.GetValueOrDefault("port") == port);
        if (entry is null)
        {
            return $"does not list {what} {node.Address}";
        }

        var flags = entry.GetValueOrDefault("flags") ?? string.Empty;
        return flags.Contains("down", StringComparison.Ordinal) || flags.Contains("disconnected", StringComparison.Ordinal)
            ? $"lists {what} {node.Address} with flags '{flags}'"
            : null;
    }

    private async Task<List<Dictionary<string, string?>>> ListAsync(LocalSentinelNode sentinel, string subcommand, CancellationToken ct)
    {
        var reply = await sentinel.ExecuteAsync(["SENTINEL", subcommand, MasterName], ct).ConfigureAwait(false) as object?[] ?? [];
        return [.. reply.Select(Pairs)];
    }

    /// <summary>Ports of the replicas INFO replication lists as <c>state=online</c> (<c>slave0:ip=...,port=...,state=online,...</c>).</summary>
    private static HashSet<int> OnlineReplicaPorts(string info)
    {
        var ports = new HashSet<int>();
        foreach (var raw in info.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (!line.StartsWith("slave", StringComparison.Ordinal) || line.IndexOf(':', StringComparison.Ordinal) is var colon && colon < 0)
            {
                continue;
            }

            var fields = line[(colon + 1)..].Split(',')
                .Select(f => f.Split('=', 2))
                .Where(kv => kv.Length == 2)
                .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
            if (fields.GetValueOrDefault("state") == "online" &&
                int.TryParse(fields.GetValueOrDefault("port"), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                ports.Add(port);
            }
        }

        return ports;
    }

    /// <summary>A RESP2 flat key/value array (SENTINEL MASTER/REPLICAS/SENTINELS entries) as a dictionary of strings.</summary>
    private static Dictionary<string, string?> Pairs(object? flat)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (flat is object?[] items)
        {
            for (var i = 0; i + 1 < items.Length; i += 2)
            {
                if (items[i] is string key)
                {
                    result[key] = items[i + 1] is long n ? n.ToString(CultureInfo.InvariantCulture) : items[i + 1] as string;
                }
            }
        }

        return result;
    }

    private async Task WaitUntilAsync(string what, Func<CancellationToken, Task<string?>> check, CancellationToken ct, TimeSpan? timeout = null)
    {
        var limit = timeout ?? _options.OperationTimeout;
        var trace = Environment.GetEnvironmentVariable("LOCAL_SENTINEL_TRACE") == "1" || Environment.GetEnvironmentVariable("LOCAL_CLUSTER_TRACE") == "1";
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

            if (trace)
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
