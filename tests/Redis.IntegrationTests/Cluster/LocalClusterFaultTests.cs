using Redis.Testing;
using Redis.Tests.Infrastructure;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests.Cluster;

/// <summary>
/// Destructive local-cluster operations (failover, kill -9, restart, pause), each on a cluster of its own,
/// checked with the low-level connection only.
/// </summary>
[Trait("Server", "RedisOnly")]
public class LocalClusterFaultTests
{
    private static readonly DialOptions Bounded = new() { ConnectTimeout = TimeSpan.FromSeconds(5), ReadTimeout = TimeSpan.FromSeconds(10), WriteTimeout = TimeSpan.FromSeconds(10) };

    [SkippableFact]
    public async Task Failover_PromotesTheReplica_WhichServesTheData_AndTheOldMasterRedirects()
    {
        await using LocalCluster cluster = await DedicatedCluster.StartAsync();
        string key = ClusterFixture.Key("failover");
        int slot = await cluster.GetSlotAsync(key);
        LocalClusterNode master = await cluster.GetMasterOfSlotAsync(slot);
        LocalClusterNode replica = await cluster.GetReplicaOfAsync(master);
        await using (IConn conn = Conn.Dial("tcp", master.Address, Bounded))
        {
            conn.Do("SET", key, "before");
            Assert.Equal(1L, conn.Do("WAIT", 1, 5000));
        }

        await cluster.FailoverAsync(replica);

        Assert.True(await replica.IsMasterAsync());
        Assert.False(await master.IsMasterAsync());
        Assert.Same(replica, await cluster.GetMasterOfSlotAsync(slot));
        await using (IConn conn = Conn.Dial("tcp", replica.Address, Bounded))
        {
            Assert.Equal("before", Text(conn.Do("GET", key)));
        }

        await using (IConn conn = Conn.Dial("tcp", master.Address, Bounded))
        {
            Assert.Equal($"MOVED {slot} {replica.Address}", Assert.Throws<RedisServerException>(() => conn.Do("GET", key)).Message);
        }
    }

    [SkippableFact]
    public async Task KillAMaster_ItsReplicaTakesOver_AndTheRestartedNodeRejoinsAsReplica()
    {
        await using LocalCluster cluster = await DedicatedCluster.StartAsync();
        string key = ClusterFixture.Key("kill");
        int slot = await cluster.GetSlotAsync(key);
        LocalClusterNode master = await cluster.GetMasterOfSlotAsync(slot);
        LocalClusterNode replica = await cluster.GetReplicaOfAsync(master);
        string id = master.NodeId;
        await master.ExecuteAsync("SET", key, "kept");
        Assert.Equal(1L, await master.ExecuteAsync("WAIT", "1", "5000"));

        await cluster.KillAsync(master);
        Assert.False(master.IsRunning);
        await cluster.WaitForHealthyAsync(); // waits for the failure detection and the replica's promotion

        Assert.Same(replica, await cluster.GetMasterOfSlotAsync(slot));
        await using (IConn conn = Conn.Dial("tcp", replica.Address, Bounded))
        {
            Assert.Equal("kept", Text(conn.Do("GET", key)));
        }

        await cluster.RestartAsync(master);

        Assert.True(master.IsRunning);
        Assert.Equal(id, master.NodeId);
        Assert.Equal(id, await master.ExecuteAsync("CLUSTER", "MYID")); // same nodes.conf
        Assert.False(await master.IsMasterAsync());
        Assert.Same(master, await cluster.GetReplicaOfAsync(replica));
    }

    [SkippableFact]
    public async Task PauseAndResume_TheNodeStopsAnsweringThenAnswersAgain()
    {
        await using LocalCluster cluster = await DedicatedCluster.StartAsync(masters: 3, replicasPerMaster: 0);
        LocalClusterNode node = cluster.Nodes[0];

        await cluster.PauseAsync(node);
        Assert.True(node.IsPaused);
        await using (IConn conn = Conn.Dial("tcp", node.Address, new DialOptions { ConnectTimeout = TimeSpan.FromSeconds(5), ReadTimeout = TimeSpan.FromMilliseconds(300) }))
        {
            // The kernel still accepts the connection; nothing answers.
            Assert.ThrowsAny<RedisConnectionException>(() => conn.Do("PING"));
        }

        await cluster.ResumeAsync(node);
        Assert.False(node.IsPaused);
        Assert.Equal("PONG", await node.ExecuteAsync("PING"));
        await cluster.WaitForHealthyAsync();
    }
}
