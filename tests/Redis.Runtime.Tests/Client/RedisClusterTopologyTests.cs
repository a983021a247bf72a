namespace Redis.Tests.Client;

/// <summary>
/// RedisCluster.Connect against a scripted node answering malformed or odd CLUSTER SHARDS / CLUSTER SLOTS replies:
/// a clear RedisException naming the problem, never a hang; CLUSTER SLOTS when CLUSTER SHARDS is unknown.
/// </summary>
public class RedisClusterTopologyTests
{
    private static readonly DialOptions Bounded = new() { ConnectTimeout = TimeSpan.FromSeconds(5), ReadTimeout = TimeSpan.FromSeconds(5), WriteTimeout = TimeSpan.FromSeconds(5) };
    private static readonly ClusterOptions Options = new() { CommandTimeout = TimeSpan.FromSeconds(3), TopologyRefreshInterval = TimeSpan.Zero };

    // A bound on the whole connect, so a hang fails the test instead of stalling the run.
    private static async Task<RedisCluster> ConnectAsync(FakeClusterNode node) =>
        await RedisCluster.ConnectAsync(node.Address, Bounded, Options).AsTask().WaitAsync(TimeSpan.FromSeconds(60));

    public static TheoryData<string, string> MalformedShards() => new()
    {
        { "+OK\r\n", "did not return an array" },
        { "*1\r\n:5\r\n", "not a map or a list of name/value pairs" },
        { "*1\r\n*3\r\n$5\r\nslots\r\n*0\r\n$5\r\nnodes\r\n", "not a map or a list of name/value pairs" },
        { "*1\r\n*4\r\n$5\r\nslots\r\n*3\r\n:0\r\n:1\r\n:2\r\n$5\r\nnodes\r\n*0\r\n", "slots are not pairs" },
        { "*1\r\n*4\r\n$5\r\nslots\r\n*2\r\n$1\r\nx\r\n:1\r\n$5\r\nnodes\r\n*0\r\n", "slot is not a number" },
        { "*1\r\n*2\r\n$5\r\nnodes\r\n*0\r\n", "no slots field" },
        { "*1\r\n*4\r\n$5\r\nslots\r\n*2\r\n:0\r\n:16383\r\n$5\r\nnodes\r\n*1\r\n*4\r\n$2\r\nid\r\n$1\r\na\r\n$4\r\nrole\r\n$6\r\nmaster\r\n", "lacks its id, role or a valid port" },
        { "*1\r\n*4\r\n$5\r\nslots\r\n*2\r\n:0\r\n:16383\r\n$5\r\nnodes\r\n*1\r\n*6\r\n$2\r\nid\r\n$1\r\na\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$4\r\nport\r\n:70000\r\n", "lacks its id, role or a valid port" },
        { "*1\r\n*4\r\n$5\r\nslots\r\n*2\r\n:0\r\n:20000\r\n$5\r\nnodes\r\n*1\r\n*6\r\n$2\r\nid\r\n$1\r\na\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$4\r\nport\r\n:7000\r\n", "invalid slot range" },
        { "*1\r\n*4\r\n$5\r\nslots\r\n*2\r\n:0\r\n:1\r\n$5\r\nnodes\r\n*2\r\n*6\r\n$2\r\nid\r\n$1\r\na\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$4\r\nport\r\n:7000\r\n*6\r\n$2\r\nid\r\n$1\r\nb\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$4\r\nport\r\n:7001\r\n", "two masters" },
    };

    [Theory, MemberData(nameof(MalformedShards))]
    public async Task Connect_WithAMalformedClusterShardsReply_FailsWithARedisExceptionNamingTheProblem(string reply, string problem)
    {
        await using var node = new FakeClusterNode().Script("CLUSTER SHARDS", reply);

        var error = await Assert.ThrowsAnyAsync<RedisException>(() => ConnectAsync(node));

        Assert.IsType<RedisConnectionException>(error);
        Assert.Contains(node.Address, error.Message);
        Assert.Contains(problem, error.Message);
        Assert.IsAssignableFrom<RedisProtocolException>(error.InnerException);
        Assert.Equal(0, node.Count("CLUSTER SLOTS"));
    }

    public static TheoryData<string, string> MalformedSlots() => new()
    {
        { "+OK\r\n", "CLUSTER SLOTS did not return an array" },
        { "*1\r\n*2\r\n:0\r\n:16383\r\n", "not [start, end, master, ...]" },
        { "*1\r\n*3\r\n:0\r\n:16383\r\n*1\r\n$9\r\n127.0.0.1\r\n", "not [host, port, ...]" },
        { "*1\r\n*3\r\n:0\r\n:16383\r\n*2\r\n$9\r\n127.0.0.1\r\n$3\r\nabc\r\n", "port is not a number" },
        { "*1\r\n*3\r\n:16383\r\n:0\r\n*2\r\n$9\r\n127.0.0.1\r\n:7000\r\n", "invalid slot range" },
    };

    [Theory, MemberData(nameof(MalformedSlots))]
    public async Task Connect_WithAMalformedClusterSlotsReplyAfterTheShardsFallback_FailsWithARedisExceptionNamingTheProblem(string reply, string problem)
    {
        await using var node = new FakeClusterNode()
            .Script("CLUSTER SHARDS", "-ERR unknown subcommand 'SHARDS'. Try CLUSTER HELP.\r\n")
            .Script("CLUSTER SLOTS", reply);

        var error = await Assert.ThrowsAnyAsync<RedisException>(() => ConnectAsync(node));

        Assert.IsType<RedisConnectionException>(error);
        Assert.Contains(problem, error.Message);
        Assert.IsAssignableFrom<RedisProtocolException>(error.InnerException);
    }

    [Fact]
    public async Task Connect_WhenClusterShardsIsUnknown_FallsBackToClusterSlots_AndRoutesByIt()
    {
        await using var node = new FakeClusterNode()
            .Script("CLUSTER SHARDS", "-ERR unknown subcommand 'SHARDS'. Try CLUSTER HELP.\r\n")
            .Script("GET", "$2\r\nok\r\n");
        node.Script("CLUSTER SLOTS", FakeClusterNode.SlotsReply((0, 8191, "127.0.0.1", node.Port, "n1"), (8192, 16383, "127.0.0.1", node.Port, "n1")));

        await using RedisCluster cluster = await ConnectAsync(node);

        ClusterShard shard = Assert.Single(cluster.Topology.Shards);
        Assert.True(cluster.Topology.IsComplete);
        Assert.Equal(node.Address, shard.Master.Endpoint);
        Assert.Equal(2, shard.Slots.Count);
        Assert.Equal("ok", System.Text.Encoding.UTF8.GetString(Assert.IsType<byte[]>(await cluster.DoAsync("GET", "k"))));
        Assert.True(node.Count("CLUSTER SHARDS") >= 1);
        Assert.True(node.Count("CLUSTER SLOTS") >= 1);
    }

    [Fact]
    public async Task Connect_WhenTheSeedIsNotACluster_FailsWithARedisConnectionExceptionCarryingTheServersError()
    {
        await using var node = new FakeClusterNode().Script("CLUSTER SHARDS", "-ERR This instance has cluster support disabled\r\n");

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectAsync(node));

        Assert.Contains("cluster support disabled", error.Message);
        Assert.Equal(0, node.Count("CLUSTER SLOTS"));
    }

    [Fact]
    public async Task Connect_WhenTheSeedAnswersNothing_FailsWithinTheCommandTimeout()
    {
        await using var node = new FakeClusterNode(words => words[0] == "CLUSTER" ? "" : null);

        var error = await Assert.ThrowsAnyAsync<RedisConnectionException>(() => ConnectAsync(node));

        Assert.Contains(node.Address, error.Message);
    }
}
