using System.Diagnostics;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests;

/// <summary>RedisCluster when a master is killed with SIGKILL (a cluster of the test's own).</summary>
[Trait("Server", "RedisOnly")]
public class RedisClusterKillTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task KilledMaster_CommandsRecoverAfterPromotion_OtherShardsServeOrRetryClusterDown_EveryFailureARedisException()
    {
        await using LocalCluster local = await DedicatedCluster.StartAsync();
        await using RedisCluster cluster = await RedisCluster.ConnectAsync(local.Seeds, RedisClusterRoutingTests.Bounded, new ClusterOptions { CommandTimeout = TimeSpan.FromSeconds(3) });
        IReadOnlyList<LocalClusterNode> masters = await local.GetMastersAsync();
        LocalClusterNode victim = masters[0];
        LocalClusterNode heir = await local.GetReplicaOfAsync(victim);
        string prefix = $"kill:{Guid.NewGuid():N}:";
        string[] keys = [.. Enumerable.Range(0, 200).Select(i => prefix + i)];
        string OwnedBy(LocalClusterNode m) => keys.First(k => cluster.Topology.ShardOf(RedisCluster.Slot(k))!.Master.Endpoint == m.Address);
        string doomed = OwnedBy(victim);
        string[] others = [.. masters.Skip(1).Select(OwnedBy)];

        // The doomed key is on the replica before the kill (WAIT on the writing connection).
        using (IConnWithTimeout conn = cluster.GetDedicated(doomed))
        {
            Assert.Equal("OK", Text(conn.Do("SET", doomed, "kept")));
            Assert.Equal(1L, conn.Do("WAIT", 1, 5000));
        }
        foreach (string key in others) cluster.Do("SET", key, "0");

        await local.KillAsync(victim);

        var failures = new List<Exception>();
        var clock = Stopwatch.StartNew();
        object? recovered = null;
        long othersServed = 0;
        for (int round = 0; round < 300 && clock.Elapsed < TimeSpan.FromSeconds(45) && recovered is null; round++)
        {
            foreach (string key in others)
            {
                try
                {
                    await cluster.DoAsync("INCR", key);
                    othersServed++;
                }
                catch (Exception ex)
                {
                    failures.Add(ex);
                }
            }
            try
            {
                recovered = await cluster.DoAsync("GET", doomed);
            }
            catch (Exception ex)
            {
                failures.Add(ex);
                await Task.Delay(100);
            }
        }

        output.WriteLine($"recovered after {clock.Elapsed.TotalSeconds:0.0} s; {othersServed} INCRs on other shards served, {failures.Count} failures ({string.Join("; ", failures.Select(f => f.GetType().Name + ": " + f.Message).Distinct().Take(6))}); {cluster.Stats}");
        Assert.All(failures, ex => Assert.IsAssignableFrom<RedisException>(ex));
        Assert.Equal("kept", Text(recovered));
        Assert.True(othersServed > 0);
        Assert.Equal("OK", Text(await cluster.DoAsync("SET", doomed, "after")));
        Assert.Equal(heir.Address, await RedisClusterFailoverTests.OwnerAfterRefreshAsync(cluster, doomed, heir.Address));
        long total = others.Sum(k => long.Parse(Text(cluster.Do("GET", k)), System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(total, othersServed, othersServed + failures.Count); // no acknowledged INCR lost on the surviving shards
    }
}
