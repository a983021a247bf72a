using Redis.Testing;
using Redis.Tests.Infrastructure;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests.Cluster;

/// <summary>
/// The local-cluster test infrastructure against real redis-server nodes, checked with the low-level
/// connection only (not the cluster client): coverage, key slots, migration with MOVED and ASK, reset.
/// These tests share one cluster and leave it healthy.
/// </summary>
[Trait("Server", "RedisOnly")]
public class LocalClusterTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    // Bounded: a node that stops answering fails the test instead of hanging it.
    private static readonly DialOptions Bounded = new() { ConnectTimeout = TimeSpan.FromSeconds(5), ReadTimeout = TimeSpan.FromSeconds(10), WriteTimeout = TimeSpan.FromSeconds(10) };

    [SkippableFact]
    public async Task Start_GivesThreeShardsCoveringAllSlotsWithOneReplicaEach()
    {
        LocalCluster cluster = fixture.Cluster;
        Assert.Equal(6, cluster.Nodes.Count);
        Assert.Equal(cluster.Nodes.Select(n => n.Address), cluster.Seeds.Split(','));
        Assert.All(cluster.Nodes, n => Assert.Matches("^[0-9a-f]{40}$", n.NodeId));

        IReadOnlyList<LocalClusterShard> shards = await cluster.GetShardsAsync();
        Assert.Equal(3, shards.Count);
        Assert.Equal(LocalCluster.SlotCount, shards.Sum(s => s.SlotCount));
        Assert.All(shards, s => Assert.Single(s.Replicas));

        foreach (LocalClusterNode node in cluster.Nodes)
        {
            await using IConn conn = Conn.Dial("tcp", node.Address, Bounded);
            string info = Text(conn.Do("CLUSTER", "INFO"));
            Assert.Contains("cluster_state:ok", info);
            Assert.Contains("cluster_slots_assigned:16384", info);
        }
    }

    [SkippableFact]
    public async Task GetSlotAsync_IsTheServersKeySlot_AndAHashTagPicksTheSlot()
    {
        LocalCluster cluster = fixture.Cluster;
        Assert.Equal(12182, await cluster.GetSlotAsync("foo"));
        Assert.Equal(await cluster.GetSlotAsync("tag"), await cluster.GetSlotAsync("a{tag}b"));
    }

    [SkippableFact]
    public async Task MigrateSlot_MovesTheKey_AndTheOldOwnerAnswersMoved()
    {
        LocalCluster cluster = fixture.Cluster;
        string key = ClusterFixture.Key("migrate");
        int slot = await cluster.GetSlotAsync(key);
        LocalClusterNode source = await cluster.GetMasterOfSlotAsync(slot);
        LocalClusterNode target = (await cluster.GetMastersAsync()).First(m => m != source);

        await using (IConn conn = Conn.Dial("tcp", source.Address, Bounded))
        {
            Assert.Equal("OK", conn.Do("SET", key, "v1"));
        }

        await cluster.MigrateSlotAsync(slot, source, target);

        Assert.Same(target, await cluster.GetMasterOfSlotAsync(slot));
        await using (IConn conn = Conn.Dial("tcp", target.Address, Bounded))
        {
            Assert.Equal("v1", Text(conn.Do("GET", key)));
        }

        await using (IConn conn = Conn.Dial("tcp", source.Address, Bounded))
        {
            var moved = Assert.Throws<RedisServerException>(() => conn.Do("GET", key));
            Assert.Equal("MOVED", moved.Prefix);
            Assert.Equal($"MOVED {slot} {target.Address}", moved.Message);
        }
    }

    [SkippableFact]
    public async Task MidMigration_TheSourceAnswersAskForAMovedKey_AndTheTargetServesItAfterAsking()
    {
        LocalCluster cluster = fixture.Cluster;
        string tag = Guid.NewGuid().ToString("N");
        string first = ClusterFixture.Key("ask1", tag), second = ClusterFixture.Key("ask2", tag);
        int slot = await cluster.GetSlotAsync(first);
        LocalClusterNode source = await cluster.GetMasterOfSlotAsync(slot);
        LocalClusterNode target = (await cluster.GetMastersAsync()).First(m => m != source);
        await using (IConn conn = Conn.Dial("tcp", source.Address, Bounded))
        {
            conn.Do("SET", first, "1");
            conn.Do("SET", second, "2");
        }

        await cluster.BeginMigrationAsync(slot, source, target);
        Assert.Equal(1, await cluster.MoveKeysAsync(slot, source, target, maxKeys: 1));

        await using (IConn conn = Conn.Dial("tcp", source.Address, Bounded))
        {
            // One key moved (GETKEYSINSLOT picks which): the source still serves the other and sends ASK for the moved one.
            var outcomes = new[] { first, second }.Select(k =>
            {
                try { return (Key: k, Reply: (object?)conn.Do("EXISTS", k)); }
                catch (RedisServerException e) { return (Key: k, Reply: e); }
            }).ToList();
            Assert.Single(outcomes, o => o.Reply is 1L);
            var ask = Assert.IsType<RedisServerException>(Assert.Single(outcomes, o => o.Reply is RedisServerException).Reply);
            Assert.Equal($"ASK {slot} {target.Address}", ask.Message);

            string movedKey = outcomes.First(o => o.Reply is RedisServerException).Key;
            await using IConn onTarget = Conn.Dial("tcp", target.Address, Bounded);
            Assert.Equal("MOVED", Assert.Throws<RedisServerException>(() => onTarget.Do("GET", movedKey)).Prefix);
            Assert.Equal("OK", onTarget.Do("ASKING"));
            Assert.NotNull(onTarget.Do("GET", movedKey));
        }

        Assert.Equal(1, await cluster.MoveKeysAsync(slot, source, target));
        await cluster.FinishMigrationAsync(slot, source, target);
        await using (IConn conn = Conn.Dial("tcp", target.Address, Bounded))
        {
            Assert.Equal("1", Text(conn.Do("GET", first)));
            Assert.Equal("2", Text(conn.Do("GET", second)));
        }

        await cluster.WaitForHealthyAsync();
    }

    [SkippableFact]
    public async Task FlushAll_EmptiesEveryMasterAndReplica()
    {
        LocalCluster cluster = fixture.Cluster;
        string key = ClusterFixture.Key("flush");
        LocalClusterNode owner = await cluster.GetMasterOfKeyAsync(key);
        await owner.ExecuteAsync("SET", key, "x");

        await cluster.FlushAllAsync();

        foreach (LocalClusterNode node in cluster.Nodes)
        {
            Assert.Equal(0L, await node.ExecuteAsync("DBSIZE"));
        }
    }
}
