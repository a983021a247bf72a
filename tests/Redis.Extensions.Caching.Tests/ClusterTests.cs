using Microsoft.Extensions.Caching.Distributed;
using Redis.Testing;

namespace Redis.Extensions.Caching.Tests;

/// <summary>The cache over a <see cref="RedisCluster"/>: each entry's script runs on the master of its key's slot.</summary>
public class ClusterTests
{
    [SkippableFact]
    public async Task OverARedisCluster_EntriesOnEveryMaster_AreWrittenReadAndSlid()
    {
        LocalCluster cluster;
        try
        {
            cluster = await LocalCluster.StartAsync(masters: 3, replicasPerMaster: 0);
        }
        catch (TestServerUnavailableException ex)
        {
            if (TestServer.IsCi) Assert.Fail($"CI must run the cluster tests: {ex.Message}");
            Skip.If(true, $"needs a local Redis Cluster: {ex.Message}");
            throw; // unreachable
        }
        await using var _ = cluster;
        await using var client = await RedisCluster.ConnectAsync(cluster.Seeds);
        var cache = new RedisDistributedCache(client, "app:");

        // Enough keys to land on every master.
        string[] keys = [.. Enumerable.Range(0, 30).Select(i => $"key{i}")];
        foreach (string key in keys)
        {
            await cache.SetAsync(key, System.Text.Encoding.UTF8.GetBytes(key), new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(10) });
        }
        var masters = new HashSet<string>();
        foreach (string key in keys)
        {
            masters.Add((await cluster.GetMasterOfKeyAsync("app:" + key)).Address);
            await client.DoAsync("PEXPIRE", "app:" + key, 1_000);
            Assert.Equal(System.Text.Encoding.UTF8.GetBytes(key), cache.Get(key));
            Assert.InRange((long)(await client.DoAsync("PTTL", "app:" + key))!, 1_001, 600_000);
        }
        Assert.Equal(3, masters.Count);
    }
}
