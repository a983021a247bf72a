using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Redis;

/// <summary>
/// The live pools, client-side caches and cluster clients that the observable instruments read when a
/// collector asks: registering costs one weak-table entry per object at creation, and nothing is counted
/// twice on the command path (the instruments read the statistics the objects keep anyway). Each object
/// registers a function that reads its figures, so this layer names none of the types above it.
/// </summary>
internal static class TelemetryRegistry
{
    private static readonly ConditionalWeakTable<object, PoolSource> s_pools = new();
    private static readonly ConditionalWeakTable<object, CacheSource> s_caches = new();
    private static readonly ConditionalWeakTable<object, Func<ClusterReading>> s_clusters = new();
    private static int s_poolNumber;

    /// <summary>What a pool instrument reads: connections idle and active now, and the pool's limits (0: none).</summary>
    internal readonly record struct PoolReading(int Idle, int Active, int MaxActive, int MaxIdle);

    /// <summary>What a cache instrument reads (the counters of <c>CacheStats</c>).</summary>
    internal readonly record struct CacheReading(long Hits, long Misses, long Invalidations, long Evictions, long Entries);

    /// <summary>What a cluster instrument reads (the counters of <c>ClusterStats</c>).</summary>
    internal readonly record struct ClusterReading(long Moved, long Asked, long Retries, long TopologyRefreshes);

    private sealed class PoolSource(string name, Func<PoolReading> read)
    {
        public string Name = name;
        public readonly Func<PoolReading> Read = read;
    }

    private sealed record CacheSource(TelemetryTarget Target, Func<CacheReading> Read);

    /// <summary>Registers a pool under a generated name (<c>pool-N</c>) until <see cref="Name"/> gives it a better one.</summary>
    public static void AddPool(object pool, Func<PoolReading> read)
        => s_pools.AddOrUpdate(pool, new PoolSource("pool-" + Interlocked.Increment(ref s_poolNumber).ToString(System.Globalization.CultureInfo.InvariantCulture), read));

    /// <summary>Names a pool after the server it dials (<c>host:port</c>, or the socket path).</summary>
    public static void Name(object pool, string name)
    {
        if (s_pools.TryGetValue(pool, out PoolSource? entry)) entry.Name = name;
    }

    /// <summary>A disposed pool reports nothing more.</summary>
    public static void Remove(object pool) => s_pools.Remove(pool);

    /// <summary>Registers a client-side cache with the attributes of its client's server.</summary>
    public static void AddCache(object cache, TelemetryTarget target, Func<CacheReading> read) => s_caches.AddOrUpdate(cache, new CacheSource(target, read));

    /// <summary>Registers a cluster client.</summary>
    public static void AddCluster(object cluster, Func<ClusterReading> read) => s_clusters.AddOrUpdate(cluster, read);

    /// <summary>A disposed cluster client reports nothing more.</summary>
    public static void RemoveCluster(object cluster) => s_clusters.Remove(cluster);

    /// <summary>Creates the observable instruments on <paramref name="meter"/>; true when done (a field initializer's value).</summary>
    public static bool CreateObservableInstruments(Meter meter)
    {
        meter.CreateObservableUpDownCounter(RedisTelemetry.ConnectionCountMetric, ConnectionCounts, "{connection}",
            "The number of connections that are currently in the state described by the state attribute.");
        meter.CreateObservableUpDownCounter(RedisTelemetry.ConnectionMaxMetric, static () => PoolLimits(max: true), "{connection}",
            "The maximum number of open connections allowed.");
        meter.CreateObservableUpDownCounter(RedisTelemetry.ConnectionIdleMaxMetric, static () => PoolLimits(max: false), "{connection}",
            "The maximum number of idle open connections allowed.");
        meter.CreateObservableCounter(RedisTelemetry.CacheRequestsMetric, CacheRequests, "{request}",
            "Client-side cache reads, by result (hit or miss).");
        meter.CreateObservableCounter(RedisTelemetry.CacheInvalidationsMetric, static () => CacheValues(static s => s.Invalidations), "{entry}",
            "Client-side cache entries dropped because the server said their key changed.");
        meter.CreateObservableCounter(RedisTelemetry.CacheEvictionsMetric, static () => CacheValues(static s => s.Evictions), "{entry}",
            "Client-side cache entries dropped for room or age.");
        meter.CreateObservableUpDownCounter(RedisTelemetry.CacheEntriesMetric, static () => CacheValues(static s => s.Entries), "{entry}",
            "Client-side cache entries held now.");
        meter.CreateObservableCounter(RedisTelemetry.ClusterRedirectsMetric, ClusterRedirects, "{redirect}",
            "Cluster redirects followed, by type (moved or ask).");
        meter.CreateObservableCounter(RedisTelemetry.ClusterRetriesMetric, static () => ClusterValues(static s => s.Retries), "{retry}",
            "Cluster retries after TRYAGAIN, CLUSTERDOWN, LOADING or READONLY.");
        meter.CreateObservableCounter(RedisTelemetry.ClusterTopologyRefreshesMetric, static () => ClusterValues(static s => s.TopologyRefreshes), "{refresh}",
            "Cluster topology reads.");
        return true;
    }

    private static IEnumerable<Measurement<long>> ConnectionCounts()
    {
        var measurements = new List<Measurement<long>>();
        foreach (KeyValuePair<object, PoolSource> entry in s_pools)
        {
            PoolReading reading = entry.Value.Read();
            measurements.Add(new(reading.Idle, PoolTags(entry.Value.Name, "idle")));
            measurements.Add(new(reading.Active - reading.Idle, PoolTags(entry.Value.Name, "used")));
        }
        return measurements;
    }

    private static IEnumerable<Measurement<long>> PoolLimits(bool max)
    {
        var measurements = new List<Measurement<long>>();
        foreach (KeyValuePair<object, PoolSource> entry in s_pools)
        {
            PoolReading reading = entry.Value.Read();
            int value = max ? reading.MaxActive : reading.MaxIdle;
            if (max && value == 0) continue; // unlimited
            measurements.Add(new(value, PoolTags(entry.Value.Name, state: null)));
        }
        return measurements;
    }

    private static TagList PoolTags(string name, string? state)
    {
        var tags = new TagList
        {
            { RedisTelemetry.DbSystemName, RedisTelemetry.DbSystemValue },
            { RedisTelemetry.ConnectionPoolName, name },
        };
        if (state is not null) tags.Add(RedisTelemetry.ConnectionState, state);
        return tags;
    }

    private static IEnumerable<Measurement<long>> CacheRequests()
    {
        var measurements = new List<Measurement<long>>();
        foreach (KeyValuePair<object, CacheSource> entry in s_caches)
        {
            CacheReading reading = entry.Value.Read();
            measurements.Add(new(reading.Hits, CacheTags(entry.Value.Target, "hit")));
            measurements.Add(new(reading.Misses, CacheTags(entry.Value.Target, "miss")));
        }
        return measurements;
    }

    private static IEnumerable<Measurement<long>> CacheValues(Func<CacheReading, long> value)
    {
        var measurements = new List<Measurement<long>>();
        foreach (KeyValuePair<object, CacheSource> entry in s_caches)
        {
            measurements.Add(new(value(entry.Value.Read()), CacheTags(entry.Value.Target, result: null)));
        }
        return measurements;
    }

    private static TagList CacheTags(TelemetryTarget target, string? result)
    {
        var tags = new TagList();
        target.AddTo(ref tags);
        if (result is not null) tags.Add(RedisTelemetry.CacheResult, result);
        return tags;
    }

    private static IEnumerable<Measurement<long>> ClusterRedirects()
    {
        var measurements = new List<Measurement<long>>();
        foreach (KeyValuePair<object, Func<ClusterReading>> entry in s_clusters)
        {
            ClusterReading stats = entry.Value();
            measurements.Add(new(stats.Moved, ClusterTags("moved")));
            measurements.Add(new(stats.Asked, ClusterTags("ask")));
        }
        return measurements;
    }

    private static IEnumerable<Measurement<long>> ClusterValues(Func<ClusterReading, long> value)
    {
        var measurements = new List<Measurement<long>>();
        foreach (KeyValuePair<object, Func<ClusterReading>> entry in s_clusters)
        {
            measurements.Add(new(value(entry.Value()), ClusterTags(redirect: null)));
        }
        return measurements;
    }

    private static TagList ClusterTags(string? redirect)
    {
        var tags = new TagList { { RedisTelemetry.DbSystemName, RedisTelemetry.DbSystemValue } };
        if (redirect is not null) tags.Add(RedisTelemetry.ClusterRedirectType, redirect);
        return tags;
    }
}
