using System.Text;

namespace Redis.Tests.Client;

/// <summary>
/// Commands the bundled table cannot route by itself, against two scripted nodes that split the slots:
/// a module command described once by COMMAND INFO (then routed from the table), keys only the
/// server can tell (SORT ... BY) asked with COMMAND GETKEYS, and a MOVED that names no host.
/// </summary>
public class RedisClusterUnknownCommandTests
{
    private static readonly DialOptions Bounded = new() { ConnectTimeout = TimeSpan.FromSeconds(5), ReadTimeout = TimeSpan.FromSeconds(5), WriteTimeout = TimeSpan.FromSeconds(5) };
    private static readonly ClusterOptions Options = new() { CommandTimeout = TimeSpan.FromSeconds(3), TopologyRefreshInterval = TimeSpan.Zero };

    // COMMAND INFO of a module read command with one key at index 1 (RESP2, as Redis 7 answers).
    private static string CommandInfoReply(string name) =>
        "*1\r\n*10\r\n" + ScriptedServer.Bulk(name) + ":2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*0\r\n*0\r\n" +
        "*1\r\n*6\r\n" + ScriptedServer.Bulk("flags") + "*2\r\n" + ScriptedServer.Bulk("RO") + ScriptedServer.Bulk("access") +
        ScriptedServer.Bulk("begin_search") + "*4\r\n" + ScriptedServer.Bulk("type") + ScriptedServer.Bulk("index") + ScriptedServer.Bulk("spec") + "*2\r\n" + ScriptedServer.Bulk("index") + ":1\r\n" +
        ScriptedServer.Bulk("find_keys") + "*4\r\n" + ScriptedServer.Bulk("type") + ScriptedServer.Bulk("range") + ScriptedServer.Bulk("spec") + "*6\r\n" +
        ScriptedServer.Bulk("lastkey") + ":0\r\n" + ScriptedServer.Bulk("keystep") + ":1\r\n" + ScriptedServer.Bulk("limit") + ":0\r\n" +
        "*0\r\n";

    private static async Task<(FakeClusterNode Low, FakeClusterNode High, RedisCluster Cluster)> StartAsync(Action<FakeClusterNode> script)
    {
        var low = new FakeClusterNode();
        var high = new FakeClusterNode();
        foreach (FakeClusterNode node in (FakeClusterNode[])[low, high])
        {
            node.Script("CLUSTER SHARDS", "-ERR unknown subcommand 'SHARDS'.\r\n");
            node.Script("CLUSTER SLOTS", FakeClusterNode.SlotsReply((0, 8191, "127.0.0.1", low.Port, "low"), (8192, 16383, "127.0.0.1", high.Port, "high")));
            script(node);
        }
        RedisCluster cluster = await RedisCluster.ConnectAsync(low.Address, Bounded, Options).AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        return (low, high, cluster);
    }

    [Fact]
    public async Task AModuleCommand_IsDescribedOnceByCommandInfo_ThenRoutedToItsKeysOwner()
    {
        string name = "TESTMOD" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant() + ".GET";
        var (low, high, cluster) = await StartAsync(node => node.Script("COMMAND INFO", CommandInfoReply(name.ToLowerInvariant())).Script(name, "$5\r\nvalue\r\n"));
        await using (low)
        await using (high)
        await using (cluster)
        {
            // "a" is slot 15495 (high), "b" slot 3300 (low).
            Assert.True(RedisCluster.Slot("a") >= 8192 && RedisCluster.Slot("b") < 8192);
            Assert.Equal("value", Encoding.UTF8.GetString((byte[])(await cluster.DoAsync(name, "a"))!));
            Assert.Equal("value", Encoding.UTF8.GetString((byte[])cluster.Do(name, "b")!));
            Assert.Equal("value", Encoding.UTF8.GetString((byte[])(await cluster.DoAsync(name, "a"))!));

            Assert.Equal(1, low.Count("COMMAND INFO") + high.Count("COMMAND INFO"));
            Assert.Equal(2, high.Count(name));
            Assert.Equal(1, low.Count(name));
            CommandInfo registered = Redis.CommandTable.Find(name);
            Assert.True(registered.IsReadOnly);
            Assert.Equal(1, registered.KeySpecs[0].Index);
        }
    }

    [Fact]
    public async Task SortWithBy_AsksCommandGetKeys_AndGoesToTheKeysOwner()
    {
        var (low, high, cluster) = await StartAsync(node => node
            .Script("COMMAND GETKEYS", "*1\r\n" + ScriptedServer.Bulk("a"))
            .Script("SORT", "*0\r\n"));
        await using (low)
        await using (high)
        await using (cluster)
        {
            Assert.Empty((object?[])(await cluster.DoAsync("SORT", "a", "BY", "weight_*"))!);

            Assert.Equal(1, low.Count("COMMAND GETKEYS") + high.Count("COMMAND GETKEYS"));
            Assert.Equal(1, high.Count("SORT"));
            Assert.Equal(0, low.Count("SORT"));
        }
    }

    [Fact]
    public async Task AMovedWithoutAHost_GoesToThePortOnTheRedirectingNodesHost()
    {
        var (low, high, cluster) = await StartAsync(_ => { });
        await using (low)
        await using (high)
        await using (cluster)
        {
            // "b" is slot 3300, owned by "low" in the map; low answers as a node that does not know its own address would.
            low.Script("GET", $"-MOVED 3300 :{high.Port}\r\n");
            high.Script("GET", "$2\r\nok\r\n");
            Assert.Equal("ok", Encoding.UTF8.GetString((byte[])(await cluster.DoAsync("GET", "b"))!));
            Assert.Equal(1, high.Count("GET"));
            Assert.True(cluster.Stats.Moved >= 1);
        }
    }
}
