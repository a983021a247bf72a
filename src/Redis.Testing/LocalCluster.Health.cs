using System.Diagnostics;
using System.Globalization;

namespace Redis.Testing;

// LocalCluster: bounded waits and the health check every node's view must pass.
public sealed partial class LocalCluster
{
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

    private sealed record ShardView(List<(int Start, int End)> Ranges, List<NodeView> Nodes);

    private sealed record NodeView(string Id, bool IsMaster, string Health);
}
