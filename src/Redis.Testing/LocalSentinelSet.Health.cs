using System.Diagnostics;
using System.Globalization;

namespace Redis.Testing;

// LocalSentinelSet: bounded waits and the health check (sentinels agree on the master, replicas online).
public sealed partial class LocalSentinelSet
{
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
}
