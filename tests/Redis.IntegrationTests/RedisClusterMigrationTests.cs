using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests;

/// <summary>
/// RedisCluster while slots move between masters (hand-driven with the local cluster's migration steps): MOVED
/// under concurrent load, ASK for keys already moved, TRYAGAIN for a multi-key command whose keys are split between
/// source and target. The class's cluster stays healthy: every migration is finished.
/// </summary>
[Trait("Server", "RedisOnly")]
public class RedisClusterMigrationTests(ClusterFixture fixture, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    private static async Task<(int Slot, LocalClusterNode Source, LocalClusterNode Target)> PlanAsync(LocalCluster local, string key)
    {
        int slot = await local.GetSlotAsync(key);
        LocalClusterNode source = await local.GetMasterOfSlotAsync(slot);
        LocalClusterNode target = (await local.GetMastersAsync()).First(m => m != source);
        return (slot, source, target);
    }

    [SkippableFact]
    public async Task SlotMigratedUnderLoad_NoCommandFails_ReadsSeeTheLastWrite_MovedFollowed_RefreshesCoalesced()
    {
        LocalCluster local = fixture.Cluster;
        await using RedisCluster cluster = await RedisCluster.ConnectAsync(local.Seeds, RedisClusterRoutingTests.Bounded, new ClusterOptions { CommandTimeout = TimeSpan.FromSeconds(10) });
        IRedisCommands c = cluster.Commands();
        string tag = Guid.NewGuid().ToString("N");
        string[] keys = [.. Enumerable.Range(0, 16).Select(i => $"mv:{{{tag}}}:{i}")];
        (int slot, LocalClusterNode source, LocalClusterNode target) = await PlanAsync(local, keys[0]);
        foreach (string key in keys) c.Set(key, "0");
        long refreshesBefore = cluster.Stats.TopologyRefreshes;

        var failures = new ConcurrentQueue<Exception>();
        var staleReads = new ConcurrentQueue<string>();
        long operations = 0;
        long afterMigration = -1;
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        async Task Worker(string key, int index)
        {
            for (int i = 1; i <= 5000 && !stop.IsCancellationRequested && clock.Elapsed < TimeSpan.FromSeconds(60); i++)
            {
                try
                {
                    string value = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    if (index % 2 == 0) await c.SetAsync(key, value);
                    else cluster.Do("SET", key, value);
                    byte[]? read = index % 2 == 0 ? await c.GetAsync(key) : (byte[]?)await cluster.DoAsync("GET", key);
                    if (read is null || Encoding.UTF8.GetString(read) != value) staleReads.Enqueue($"{key}: wrote {value}, read {(read is null ? "nil" : Encoding.UTF8.GetString(read))}");
                    Interlocked.Increment(ref operations);
                }
                catch (Exception ex)
                {
                    failures.Enqueue(ex);
                    return;
                }
                if (index % 2 == 1) await Task.Yield();
            }
        }
        // Replica reads of the same slot meanwhile (values may lag; none may fail): the replica of the old owner
        // answers MOVED once the slot is gone, and the slot's route then knows only the new master until a refresh.
        await using RedisCluster replicaReader = await RedisCluster.ConnectAsync(local.Seeds, RedisClusterRoutingTests.Bounded, new ClusterOptions { CommandTimeout = TimeSpan.FromSeconds(10), ReadFrom = ReadFrom.Replica });
        async Task ReplicaReads()
        {
            for (int i = 0; i < 20000 && !stop.IsCancellationRequested && clock.Elapsed < TimeSpan.FromSeconds(60); i++)
            {
                try
                {
                    await replicaReader.DoAsync("GET", keys[i % keys.Length]);
                    Interlocked.Increment(ref operations);
                }
                catch (Exception ex)
                {
                    failures.Enqueue(ex);
                    return;
                }
            }
        }
        Task[] workers = [.. keys.Select((k, i) => Task.Run(() => Worker(k, i))), Task.Run(ReplicaReads)];

        // Let the load start, move the slot, then keep going until the old owner's MOVED was followed.
        for (int i = 0; i < 200 && Interlocked.Read(ref operations) < 200 && failures.IsEmpty; i++) await Task.Delay(20);
        await local.MigrateSlotAsync(slot, source, target);
        Interlocked.Exchange(ref afterMigration, Interlocked.Read(ref operations));
        for (int i = 0; i < 500 && (cluster.Stats.Moved == 0 || replicaReader.Stats.Moved == 0 || Interlocked.Read(ref operations) < afterMigration + 500) && failures.IsEmpty && workers.Any(w => !w.IsCompleted); i++) await Task.Delay(20);
        stop.Cancel();
        await Task.WhenAll(workers);

        ClusterStats stats = cluster.Stats;
        output.WriteLine($"{Interlocked.Read(ref operations)} operations ({afterMigration} before the move ended), {failures.Count} failed, {staleReads.Count} stale; writer/reader {stats}; replica reader {replicaReader.Stats}");
        Assert.Empty(failures);
        Assert.Empty(staleReads);
        Assert.True(stats.Moved > 0, $"no MOVED followed ({stats})");
        Assert.True(stats.TopologyRefreshes - refreshesBefore <= 5, $"refreshes not coalesced: {stats}");
        Assert.True(replicaReader.Stats.Moved > 0, $"the replica reader never met the move: {replicaReader.Stats}");

        // The map catches up (a refresh was requested by the MOVED replies).
        for (int i = 0; i < 100 && cluster.Topology.ShardOf(slot)?.Master.Endpoint != target.Address; i++)
        {
            cluster.Do("GET", keys[0]);
            await Task.Delay(50);
        }
        Assert.Equal(target.Address, cluster.Topology.ShardOf(slot)?.Master.Endpoint);
        foreach (string key in keys) Assert.NotNull(await c.GetAsync(key));
    }

    [SkippableFact]
    public async Task MidMigration_MovedKeysAreReadWithAsk_AndAMultiKeyReadGettingTryAgainIsRetriedUntilTheMigrationEnds()
    {
        LocalCluster local = fixture.Cluster;
        await using RedisCluster cluster = await RedisCluster.ConnectAsync(local.Seeds, RedisClusterRoutingTests.Bounded, new ClusterOptions { CommandTimeout = TimeSpan.FromSeconds(10) });
        string tag = Guid.NewGuid().ToString("N");
        string[] keys = [.. Enumerable.Range(0, 20).Select(i => $"ask:{{{tag}}}:{i}")];
        string elsewhere = $"ask:{{e{tag}}}";
        for (int i = 0; RedisCluster.Slot(elsewhere) == RedisCluster.Slot(keys[0]) && i < 10; i++) elsewhere += "x";
        (int slot, LocalClusterNode source, LocalClusterNode target) = await PlanAsync(local, keys[0]);
        cluster.Do("MSET", [.. keys.SelectMany(k => new object?[] { k, "v-" + k }), elsewhere, "e"]);

        await local.BeginMigrationAsync(slot, source, target);
        try
        {
            Assert.Equal(10, await local.MoveKeysAsync(slot, source, target, maxKeys: 10));

            // Every key reads, wherever it is now; moved ones through ASK; a write to a moved key lands on the target.
            foreach (string key in keys) Assert.Equal("v-" + key, Text(await cluster.DoAsync("GET", key)));
            Assert.True(cluster.Stats.Asked >= 10, $"expected ASK redirects: {cluster.Stats}");
            var movedKeys = ((object?[])(await target.ExecuteAsync("CLUSTER", "GETKEYSINSLOT", slot.ToString(System.Globalization.CultureInfo.InvariantCulture), "100"))!).Cast<string>().ToArray();
            Assert.Equal(10, movedKeys.Length);
            Assert.Equal("OK", Text(cluster.Do("SET", movedKeys[0], "new")));
            Assert.Equal("new", Text(cluster.Do("GET", movedKeys[0])));
            Assert.Equal(0, cluster.Stats.Moved);

            // A transaction on a moved key: ASK, then ASKING + MULTI ... EXEC on the importing node (sync and async).
            object?[] tx = cluster.Transaction(t =>
            {
                t.Send("SET", movedKeys[1], "tx");
                t.Send("GET", movedKeys[1]);
            });
            Assert.Equal("tx", Text(tx[1]));
            object?[] txAsync = await cluster.TransactionAsync(t => t.Send("APPEND", movedKeys[1], "2"));
            Assert.Equal(3L, txAsync[0]);
            Assert.Equal("tx2", Text(cluster.Do("GET", movedKeys[1])));

            // MGET over keys on both sides (plus one of another slot: a split) gets TRYAGAIN until the migration ends.
            long retriesBefore = cluster.Stats.Retries;
            Task<object?> mget = cluster.DoAsync("MGET", [elsewhere, .. keys]).AsTask();
            for (int i = 0; i < 200 && cluster.Stats.Retries == retriesBefore && !mget.IsCompleted; i++) await Task.Delay(20);
            Assert.False(mget.IsCompleted, $"MGET ended mid-migration: {(mget.IsFaulted ? mget.Exception!.InnerException!.Message : "a reply")}");
            Assert.True(cluster.Stats.Retries > retriesBefore);

            await local.MoveKeysAsync(slot, source, target);
            await local.FinishMigrationAsync(slot, source, target);
            var values = Assert.IsType<object?[]>(await mget);
            output.WriteLine($"after the TRYAGAIN MGET: {cluster.Stats}");
            string[] expected = ["e", .. keys.Select(k => k == movedKeys[0] ? "new" : k == movedKeys[1] ? "tx2" : "v-" + k)];
            Assert.Equal(expected, values.Select(Text).ToArray());
        }
        finally
        {
            if (await local.GetMasterOfSlotAsync(slot) == source)
            {
                // Failed midway: finish it so the class's cluster stays healthy.
                await local.MoveKeysAsync(slot, source, target);
                await local.FinishMigrationAsync(slot, source, target);
            }
        }
        Assert.Equal("v-" + keys[^1], Text(cluster.Do("GET", keys[^1])));

        // The client's map still names the source (ASK leaves it alone): a transaction now follows MOVED.
        object?[] after = await cluster.TransactionAsync(t => t.Send("INCR", $"ask:{{{tag}}}:counter"));
        Assert.Equal(1L, after[0]);
        object?[]? watched = cluster.Transaction([keys[2]], conn =>
        {
            string current = Text(conn.Do("GET", keys[2]));
            return tx => tx.Send("SET", keys[2], current + "!");
        });
        Assert.Equal("v-" + keys[2] + "!", Text(cluster.Do("GET", keys[2])));
        Assert.NotNull(watched);
    }
}
