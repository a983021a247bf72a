namespace Redis.Tests.Client;

/// <summary>The scripted cluster node answers scripted replies in order, repeats the last, and records what it received.</summary>
public class FakeClusterNodeTests
{
    private static readonly DialOptions Bounded = new() { ConnectTimeout = TimeSpan.FromSeconds(5), ReadTimeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task ScriptedReplies_AreAnsweredInOrder_TheLastRepeats_AndCommandsAreRecorded()
    {
        await using var node = new FakeClusterNode()
            .Script("CLUSTER SLOTS", "*1\r\n:0\r\n", FakeClusterNode.SlotsReply((0, 16383, "127.0.0.1", 7000, "abc")));
        await using IConn conn = Conn.Dial("tcp", node.Address, Bounded);

        var malformed = Assert.IsType<object?[]>(conn.Do("CLUSTER", "SLOTS"));
        Assert.Equal([0L], malformed);
        for (int i = 0; i < 2; i++)
        {
            var slots = Assert.IsType<object?[]>(Assert.Single(Assert.IsType<object?[]>(conn.Do("cluster", "slots"))));
            Assert.Equal(0L, slots[0]);
            Assert.Equal(16383L, slots[1]);
            Assert.Equal(7000L, Assert.IsType<object?[]>(slots[2])[1]);
        }

        Assert.Equal("ERR", Assert.Throws<RedisServerException>(() => conn.Do("CLUSTER", "SHARDS")).Prefix);
        Assert.Equal(3, node.Count("CLUSTER SLOTS"));
        Assert.Equal(["CLUSTER", "SHARDS"], node.Received[^1]);
    }

    [Fact]
    public async Task ShardsReply_IsAWellFormedClusterShardsReply_AndACallbackTakesOver()
    {
        await using var node = new FakeClusterNode(words => words[0] == "GET" ? "-MOVED 42 127.0.0.1:7001\r\n" : null)
            .Script("CLUSTER SHARDS", FakeClusterNode.ShardsReply(([(0, 8191), (8192, 16383)], "127.0.0.1", 7000, "abc", "online")));
        await using IConn conn = Conn.Dial("tcp", node.Address, Bounded);

        var shard = Assert.IsType<object?[]>(Assert.Single(Assert.IsType<object?[]>(conn.Do("CLUSTER", "SHARDS"))));
        Assert.Equal([0L, 8191L, 8192L, 16383L], Assert.IsType<object?[]>(shard[1]));
        var master = Assert.IsType<object?[]>(Assert.Single(Assert.IsType<object?[]>(shard[3])));
        Assert.Equal("online", System.Text.Encoding.UTF8.GetString(Assert.IsType<byte[]>(master[13])));

        Assert.Equal("MOVED 42 127.0.0.1:7001", Assert.Throws<RedisServerException>(() => conn.Do("GET", "k")).Message);
    }
}
