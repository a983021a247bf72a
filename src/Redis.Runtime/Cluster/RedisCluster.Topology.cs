using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Redis;

// Topology: read CLUSTER SHARDS (or CLUSTER SLOTS) from known nodes, prefer a view that covers every
// slot, and rebuild the slot routes. Refreshes requested while one runs are coalesced into one more.
public sealed partial class RedisCluster
{
    private readonly Lock _refreshLock = new();
    private bool _refreshRunning;
    private bool _refreshAgain;
    private long _lastRefreshTimestamp;

    /// <summary>
    /// Asks for a topology refresh without waiting for it. While one runs, any number of requests cause
    /// exactly one more; refreshes are at least <see cref="ClusterOptions.MinTopologyRefreshInterval"/> apart.
    /// </summary>
    private void RequestRefresh()
    {
        lock (_refreshLock)
        {
            if (Volatile.Read(ref _disposed)) return;
            if (_refreshRunning)
            {
                _refreshAgain = true;
                return;
            }
            _refreshRunning = true;
        }
        _ = Task.Run(RefreshWorkerAsync);
    }

    private async Task RefreshWorkerAsync()
    {
        while (true)
        {
            TimeSpan since = Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastRefreshTimestamp));
            if (since < _options.MinTopologyRefreshInterval) await Task.Delay(_options.MinTopologyRefreshInterval - since).ConfigureAwait(false);
            try
            {
                await RefreshTopologyAsync(initial: false, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or ObjectDisposedException or OperationCanceledException)
            {
                if (_logger is not null && !Volatile.Read(ref _disposed)) _logger.LogWarning(ex, "Cluster topology refresh failed: {Message}", ex.Message);
            }
            lock (_refreshLock)
            {
                if (!_refreshAgain || Volatile.Read(ref _disposed))
                {
                    _refreshRunning = false;
                    return;
                }
                _refreshAgain = false;
            }
        }
    }

    // Reads the topology from the known masters and the seeds in turn (at most a few nodes), keeps the
    // first view that covers every slot, else the widest one, and applies it.
    private async Task RefreshTopologyAsync(bool initial, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastRefreshTimestamp, Stopwatch.GetTimestamp());
        RouteTable current = Volatile.Read(ref _routes);
        var candidates = new List<string>();
        foreach (RedisClient master in current.Masters) candidates.Add(EndpointOf(master));
        Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(candidates));
        foreach (string seed in _seeds)
        {
            if (!candidates.Contains(seed, StringComparer.OrdinalIgnoreCase)) candidates.Add(seed);
        }

        ClusterTopology? best = null;
        Exception? lastError = null;
        int asked = 0;
        foreach (string endpoint in candidates)
        {
            if (asked == 5) break;
            asked++;
            try
            {
                ClusterTopology view = await ReadTopologyAsync(endpoint, cancellationToken).ConfigureAwait(false);
                if (best is null || view.CoveredSlots > best.CoveredSlots) best = view;
                if (view.IsComplete) break;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                lastError = ex;
            }
        }
        if (best is null)
        {
            throw new RedisConnectionException(
                $"No cluster node answered with a topology (asked {asked}: {string.Join(", ", candidates.Take(asked))}): {lastError?.Message}", lastError);
        }
        if (!best.IsComplete && !initial && current.Topology.IsComplete)
        {
            // A partial view during a failover: keep routing by the last complete map (redirects correct it).
            if (_logger is not null) _logger.LogInformation("Cluster topology from {Source} covers {Covered} of 16384 slots; keeping the previous map.", best.Source, best.CoveredSlots);
            return;
        }
        Apply(best);
        Interlocked.Increment(ref _refreshes);
    }

    private async Task<ClusterTopology> ReadTopologyAsync(string endpoint, CancellationToken cancellationToken)
    {
        RedisClient client = MasterClient(endpoint);
        try
        {
            object? shards = await client.DoAsync("CLUSTER", ["SHARDS"], cancellationToken).ConfigureAwait(false);
            return ClusterTopologyReader.FromShards(shards, endpoint);
        }
        catch (RedisServerException error) when (error.Prefix == "ERR" && error.Message.Contains("unknown", StringComparison.OrdinalIgnoreCase))
        {
            // Before Redis 7.0: CLUSTER SHARDS does not exist.
            object? slots = await client.DoAsync("CLUSTER", ["SLOTS"], cancellationToken).ConfigureAwait(false);
            return ClusterTopologyReader.FromSlots(slots, endpoint);
        }
    }

    private void Apply(ClusterTopology topology)
    {
        var bySlot = new SlotRoute?[ClusterTopology.SlotCount];
        var masters = new List<RedisClient>();
        var replicaEndpoints = new List<string>();
        foreach (ClusterShard shard in topology.Shards)
        {
            RedisClient master = MasterClient(shard.Master.Endpoint);
            masters.Add(master);
            var replicas = new List<RedisClient>();
            foreach (ClusterNode replica in shard.Replicas)
            {
                if (!replica.IsOnline) continue;
                replicaEndpoints.Add(replica.Endpoint);
                if (_options.ReadFrom != ReadFrom.Master) replicas.Add(NodeClient(replica.Endpoint, replica: true));
            }
            var route = new SlotRoute(master, [.. replicas]);
            foreach (SlotRange range in shard.Slots) bySlot.AsSpan(range.Start, range.Count).Fill(route);
        }
        Volatile.Write(ref _routes, new RouteTable(topology, bySlot, [.. masters], [.. replicaEndpoints]));
        PruneClients(topology);
        if (_logger is not null) _logger.LogDebug("Cluster topology: {Topology}", topology);
    }

    // Closes the clients of nodes the cluster no longer lists (removed nodes), so nothing keeps
    // reconnecting to them; seeds stay (they are how the cluster is found again).
    private void PruneClients(ClusterTopology topology)
    {
        var listed = new HashSet<string>(_seeds, StringComparer.OrdinalIgnoreCase);
        foreach (ClusterShard shard in topology.Shards)
        {
            listed.Add(shard.Master.Endpoint);
            foreach (ClusterNode replica in shard.Replicas) listed.Add(replica.Endpoint);
        }
        var gone = new List<RedisClient>();
        lock (_nodesLock)
        {
            foreach (Dictionary<string, RedisClient> clients in (Dictionary<string, RedisClient>[])[_masterClients, _replicaClients])
            {
                foreach (string endpoint in clients.Keys.Where(e => !listed.Contains(e)).ToList())
                {
                    gone.Add(clients[endpoint]);
                    clients.Remove(endpoint);
                }
            }
        }
        foreach (RedisClient client in gone) _ = client.DisposeAsync().AsTask();
    }

    /// <summary>Points one slot at a node named by MOVED until the next refresh rebuilds the map.</summary>
    private void PatchSlot(int slot, RedisClient master)
    {
        if ((uint)slot >= ClusterTopology.SlotCount) return;
        Volatile.Read(ref _routes).BySlot[slot] = new SlotRoute(master, [], provisional: true);
    }

    private static string EndpointOf(RedisClient client) => client.Endpoint.StartsWith("tcp ", StringComparison.Ordinal) ? client.Endpoint[4..] : client.Endpoint;
}
