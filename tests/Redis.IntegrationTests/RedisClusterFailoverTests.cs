using System.Collections.Concurrent;
using System.Diagnostics;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests;

/// <summary>
/// RedisCluster while a shard changes hands or stops answering: a manual CLUSTER FAILOVER under concurrent INCR load
/// and a SIGSTOPped master. The class's own cluster is left healthy (roles may have swapped; tests look them up).
/// </summary>
[Trait("Server", "RedisOnly")]
public class RedisClusterFailoverTests(ClusterFixture fixture, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    [SkippableFact]
    public async Task ManualFailoverUnderIncrLoad_LosesNoAcknowledgedWrite_AndEveryFailureIsARedisException()
    {
        LocalCluster local = fixture.Cluster;
        await using RedisCluster cluster = await RedisCluster.ConnectAsync(local.Seeds, RedisClusterRoutingTests.Bounded, new ClusterOptions { CommandTimeout = TimeSpan.FromSeconds(10) });
        IRedisCommands c = cluster.Commands();

        // Eight counters on the shard that fails over.
        string prefix = $"fo:{Guid.NewGuid():N}:";
        string firstKey = prefix + "0";
        LocalClusterNode master = await local.GetMasterOfKeyAsync(firstKey);
        LocalClusterNode replica = await local.GetReplicaOfAsync(master);
        bool OnMaster(string key) => cluster.Topology.ShardOf(RedisCluster.Slot(key))!.Master.Endpoint == master.Address;
        string[] keys = [.. Enumerable.Range(0, 400).Select(i => $"{prefix}{i}").Where(OnMaster).Take(8)];
        Assert.Equal(8, keys.Length);

        const int perWriter = 400;
        var acknowledged = new long[keys.Length];
        var failed = new long[keys.Length];
        var failures = new ConcurrentQueue<Exception>();
        var clock = Stopwatch.StartNew();
        async Task Writer(int index)
        {
            for (int i = 0; i < perWriter && clock.Elapsed < TimeSpan.FromSeconds(60); i++)
            {
                try
                {
                    await c.IncrAsync(keys[index]);
                    acknowledged[index]++;
                }
                catch (Exception ex)
                {
                    failed[index]++;
                    failures.Enqueue(ex);
                    await Task.Delay(20);
                }
            }
        }
        Task[] writers = [.. Enumerable.Range(0, keys.Length).Select(i => Task.Run(() => Writer(i)))];
        for (int i = 0; i < 200 && acknowledged.Sum() < 100 && !writers.All(w => w.IsCompleted); i++) await Task.Delay(10);
        await local.FailoverAsync(replica);
        await Task.WhenAll(writers);

        output.WriteLine($"acknowledged {acknowledged.Sum()}, failed {failed.Sum()} ({string.Join("; ", failures.Select(f => f.GetType().Name + ": " + f.Message).Distinct().Take(5))}); {cluster.Stats}");
        Assert.All(failures, ex => Assert.IsAssignableFrom<RedisException>(ex));
        Assert.True(await replica.IsMasterAsync());
        for (int i = 0; i < keys.Length; i++)
        {
            long value = long.Parse(Text(await cluster.DoAsync("GET", keys[i])), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(value, acknowledged[i], acknowledged[i] + failed[i]);
        }
        Assert.Equal(perWriter * keys.Length, acknowledged.Sum() + failed.Sum());
        // Writes reach the new master now.
        Assert.InRange(await c.IncrAsync(keys[0]), acknowledged[0] + 1, acknowledged[0] + failed[0] + 1);
        Assert.Equal(replica.Address, await OwnerAfterRefreshAsync(cluster, keys[0], replica.Address));
    }

    [SkippableFact]
    public async Task PausedMaster_OnlyItsSlotsTimeOut_OtherSlotsServe_AndItServesAgainAfterResume()
    {
        LocalCluster local = fixture.Cluster;
        await local.WaitForHealthyAsync();
        await using RedisCluster cluster = await RedisCluster.ConnectAsync(local.Seeds, RedisClusterRoutingTests.Bounded, new ClusterOptions { CommandTimeout = TimeSpan.FromMilliseconds(400) });
        IReadOnlyList<LocalClusterNode> masters = await local.GetMastersAsync();
        string prefix = $"pause:{Guid.NewGuid():N}:";
        string[] keys = [.. Enumerable.Range(0, 200).Select(i => prefix + i)];
        string paused = keys.First(k => cluster.Topology.ShardOf(RedisCluster.Slot(k))!.Master.Endpoint == masters[0].Address);
        string[] others = [.. masters.Skip(1).Select(m => keys.First(k => cluster.Topology.ShardOf(RedisCluster.Slot(k))!.Master.Endpoint == m.Address))];
        foreach (string key in (string[])[paused, .. others]) cluster.Do("SET", key, "v");

        await local.PauseAsync(masters[0]);
        Exception? pausedError;
        var otherReplies = new List<string>();
        try
        {
            pausedError = await Record(() => cluster.DoAsync("GET", paused).AsTask());
            foreach (string key in others) otherReplies.Add(Text(await cluster.DoAsync("GET", key)));
            foreach (string key in others) otherReplies.Add(Text(cluster.Do("GET", key)));
        }
        finally
        {
            await local.ResumeAsync(masters[0]);
        }
        Assert.IsType<RedisTimeoutException>(pausedError);
        Assert.Equal(Enumerable.Repeat("v", others.Length * 2), otherReplies);

        // After SIGCONT the shard serves again (the timed-out connection is replaced); bounded.
        object? value = null;
        for (int i = 0; i < 100 && value is null; i++)
        {
            try
            {
                value = await cluster.DoAsync("GET", paused);
            }
            catch (RedisConnectionException)
            {
                await Task.Delay(100);
            }
        }
        Assert.Equal("v", Text(value));
        await local.WaitForHealthyAsync();
    }

    private static async Task<Exception?> Record(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    internal static async Task<string?> OwnerAfterRefreshAsync(RedisCluster cluster, string key, string expected)
    {
        int slot = RedisCluster.Slot(key);
        for (int i = 0; i < 100 && cluster.Topology.ShardOf(slot)?.Master.Endpoint != expected; i++)
        {
            await cluster.DoAsync("GET", key);
            await Task.Delay(50);
        }
        return cluster.Topology.ShardOf(slot)?.Master.Endpoint;
    }
}
