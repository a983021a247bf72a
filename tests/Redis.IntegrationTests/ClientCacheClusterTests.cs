using System.Text;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redis.Tests;

/// <summary>
/// Client-side caching through RedisCluster (ClusterOptions.Cache, cluster.Cached(ttl)) on a local cluster of this
/// class's own: reads are cached per node, another client's write invalidates, a slot migration (MIGRATE deletes the
/// keys from the source, which sends invalidations) and a manual failover (the demoted master keeps sending
/// invalidations through replication) cause no stale read. The cluster is left healthy (roles may have swapped).
/// </summary>
[Trait("Server", "RedisOnly")]
public class ClientCacheClusterTests(ClusterFixture fixture, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(1);

    private static ClusterOptions Options(bool cache) => new() { CommandTimeout = TimeSpan.FromSeconds(10), Cache = cache ? new CacheOptions() : null };

    private static DialOptions Dial(int protocol) => RedisClusterRoutingTests.Bounded with { Protocol = protocol };

    private static string? S(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);

    private static CacheStats Stats(RedisCluster cluster) => cluster.CacheStats ?? throw new Xunit.Sdk.XunitException("no cache stats");

    /// <summary>A barrier on the connection of the key's node: a keyed command's reply comes after any invalidation push sent before it.</summary>
    private static async Task BarrierAsync(RedisCluster cluster, string key) => await cluster.DoAsync("EXISTS", key);

    [SkippableTheory]
    [InlineData(3)]
    [InlineData(2)]
    public async Task CachedReads_AreKeptPerNode_AndAnotherClientsWriteInvalidatesThem(int protocol)
    {
        LocalCluster local = fixture.Cluster;
        await using RedisCluster cluster = await RedisCluster.ConnectAsync(local.Seeds, Dial(protocol), Options(cache: true));
        await using RedisCluster writer = await RedisCluster.ConnectAsync(local.Seeds, Dial(3), Options(cache: false));
        IRedisCommands cached = cluster.Cached(Ttl);
        IRedisCommands w = writer.Commands();

        // One key on each master.
        IReadOnlyList<LocalClusterNode> masters = await local.GetMastersAsync();
        string prefix = $"csc:{Guid.NewGuid():N}:";
        var keys = new List<string>();
        foreach (LocalClusterNode master in masters)
        {
            for (int i = 0; ; i++)
            {
                if ((await local.GetMasterOfKeyAsync(prefix + i)).Address != master.Address || keys.Contains(prefix + i)) continue;
                keys.Add(prefix + i);
                break;
            }
        }
        foreach (string key in keys) await w.SetAsync(key, "v1");
        foreach (string key in keys) Assert.Equal("v1", S(await cached.GetAsync(key)));
        foreach (string key in keys) Assert.Equal("v1", S(cached.Get(key)));
        CacheStats stats = Stats(cluster);
        Assert.Equal(masters.Count, stats.Entries);
        Assert.Equal(masters.Count, stats.Misses);
        Assert.Equal(masters.Count, stats.Hits);

        for (int round = 2; round <= 5; round++)
        {
            long invalidations = Stats(cluster).Invalidations;
            foreach (string key in keys) await w.SetAsync(key, "v" + round);
            foreach (string key in keys)
            {
                await BarrierAsync(cluster, key);
                if (protocol == 2) await ClientCacheTests.WaitUntilAsync(() => Stats(cluster).Invalidations >= invalidations + keys.Count, "the RESP2 invalidations");
                Assert.Equal("v" + round, S(await cached.GetAsync(key)));
            }
        }
        Assert.Equal(masters.Count * 5, Stats(cluster).Misses);
    }

    [SkippableFact]
    public async Task SlotMigration_CausesNoStaleRead()
    {
        LocalCluster local = fixture.Cluster;
        await using RedisCluster cluster = await RedisCluster.ConnectAsync(local.Seeds, Dial(3), Options(cache: true));
        IRedisCommands cached = cluster.Cached(Ttl);
        string key = $"csc-mig:{Guid.NewGuid():N}";
        int slot = await local.GetSlotAsync(key);
        LocalClusterNode source = await local.GetMasterOfSlotAsync(slot);
        LocalClusterNode target = (await local.GetMastersAsync()).First(m => m.Address != source.Address);
        using IConn direct = Conn.Dial("tcp", source.Address);
        direct.Do("SET", key, "before");
        Assert.Equal("before", S(await cached.GetAsync(key)));
        Assert.Equal("before", S(await cached.GetAsync(key)));
        long invalidations = Stats(cluster).Invalidations;

        await local.MigrateSlotAsync(slot, source, target);
        // MIGRATE deleted the key on the source: its invalidation reached the source's connection.
        await ClientCacheTests.WaitUntilAsync(() => Stats(cluster).Invalidations > invalidations, "the invalidation MIGRATE sends");
        using (IConn onTarget = Conn.Dial("tcp", target.Address)) onTarget.Do("SET", key, "after");

        for (int i = 0; i < 20; i++)
        {
            await BarrierAsync(cluster, key);
            Assert.Equal("after", S(await cached.GetAsync(key)));
        }
        output.WriteLine($"after the migration: {Stats(cluster)}; {cluster.Stats}");

        // And back, so the class's cluster keeps its layout.
        await local.MigrateSlotAsync(slot, target, source);
        direct.Do("SET", key, "back");
        for (int i = 0; i < 20; i++)
        {
            await BarrierAsync(cluster, key);
            Assert.Equal("back", S(await cached.GetAsync(key)));
        }
    }

    [SkippableFact]
    public async Task ManualFailover_CausesNoStaleRead()
    {
        LocalCluster local = fixture.Cluster;
        await local.WaitForHealthyAsync();
        await using RedisCluster cluster = await RedisCluster.ConnectAsync(local.Seeds, Dial(3), Options(cache: true));
        IRedisCommands cached = cluster.Cached(Ttl);
        string key = $"csc-fo:{Guid.NewGuid():N}";
        LocalClusterNode master = await local.GetMasterOfKeyAsync(key);
        LocalClusterNode replica = await local.GetReplicaOfAsync(master);
        using (IConn onMaster = Conn.Dial("tcp", master.Address))
        {
            onMaster.Do("SET", key, "before");
            onMaster.Do("WAIT", "1", "5000");
        }
        Assert.Equal("before", S(await cached.GetAsync(key)));
        Assert.Equal("before", S(await cached.GetAsync(key)));
        Assert.Equal(1, Stats(cluster).Hits);

        await local.FailoverAsync(replica);
        Assert.True(await replica.IsMasterAsync());
        using IConn onNewMaster = Conn.Dial("tcp", replica.Address);
        for (int round = 1; round <= 20; round++)
        {
            // Acknowledged by the new master and replicated to the demoted one (which then invalidates our entry).
            onNewMaster.Do("SET", key, $"after{round}");
            onNewMaster.Do("WAIT", "1", "5000");
            await BarrierAsync(cluster, key);
            Assert.Equal($"after{round}", S(await cached.GetAsync(key)));
            Assert.Equal($"after{round}", S(await cached.GetAsync(key)));
        }
        output.WriteLine($"after the failover: {Stats(cluster)}; {cluster.Stats}");
    }
}
