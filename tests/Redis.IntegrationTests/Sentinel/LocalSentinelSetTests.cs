using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests.Sentinel;

/// <summary>
/// The local Sentinel test infrastructure against real redis-server processes (data nodes and sentinels), checked with
/// the low-level connection only (not a Sentinel client): start-up agreement, separate credentials, pause/resume of a
/// sentinel. The first test shares the class's set; the others take a set of their own. SENTINEL FAILOVER and kill -9
/// are in <see cref="LocalSentinelFailoverTests"/> and <see cref="LocalSentinelKillTests"/>: separate classes, so xunit
/// runs them in parallel (each spends ~10 s waiting for Sentinel to demote an old master).
/// </summary>
[Trait("Server", "RedisOnly")]
public class LocalSentinelSetTests(SentinelFixture fixture, ITestOutputHelper output) : IClassFixture<SentinelFixture>
{
    // Bounded: a node that stops answering fails the test instead of hanging it.
    private static readonly DialOptions Bounded = new() { ConnectTimeout = TimeSpan.FromSeconds(5), ReadTimeout = TimeSpan.FromSeconds(10), WriteTimeout = TimeSpan.FromSeconds(10) };

    private void Log(string line)
    {
        output.WriteLine(line);
        Console.Error.WriteLine(line);
    }

    [SkippableFact]
    public async Task Start_EverySentinelNamesTheMaster_KnowsItsPeersAndTheReplica_AndDataReplicates()
    {
        LocalSentinelSet set = fixture.Set;
        Assert.Equal("mymaster", set.MasterName);
        Assert.Equal(2, set.Quorum);
        Assert.Equal(3, set.Sentinels.Count);
        Assert.Equal(2, set.DataNodes.Count);
        Assert.Equal(set.Sentinels.Select(s => s.Address), set.SentinelAddresses);
        Assert.All(set.Sentinels, s => Assert.True(s.IsSentinel && s.IsAnswering && s.ProcessId > 0));
        Assert.All(set.DataNodes, n => Assert.False(n.IsSentinel));

        LocalSentinelNode master = await set.GetMasterAsync();
        LocalSentinelNode replica = set.DataNodes[1];
        Assert.Same(set.DataNodes[0], master);
        Assert.Equal("master", await set.GetRoleAsync(master));
        Assert.Equal("slave", await set.GetRoleAsync(replica));
        Assert.Equal("sentinel", await set.GetRoleAsync(set.Sentinels[0]));
        Assert.Equal([replica], await set.GetReplicasAsync());

        foreach (LocalSentinelNode sentinel in set.Sentinels)
        {
            await using IConn conn = SentinelFixture.Dial(sentinel, Bounded);
            var address = Assert.IsType<object[]>(conn.Do("SENTINEL", "GET-MASTER-ADDR-BY-NAME", set.MasterName));
            Assert.Equal(master.Address, $"{Text(address[0])}:{Text(address[1])}");
            Assert.Equal(2, Assert.IsType<object[]>(conn.Do("SENTINEL", "SENTINELS", set.MasterName)).Length);
            var replicas = Assert.IsType<object[]>(conn.Do("SENTINEL", "REPLICAS", set.MasterName));
            Assert.Equal(replica.Port.ToString(), Field(Assert.Single(replicas), "port"));
            Assert.StartsWith("OK 3 usable Sentinels", Text(conn.Do("SENTINEL", "CKQUORUM", set.MasterName)));
        }

        string key = SentinelFixture.Key("replicated");
        await using (IConn conn = SentinelFixture.Dial(master, Bounded))
        {
            conn.Do("SET", key, "v");
            Assert.Equal(1L, conn.Do("WAIT", 1, 5000));
        }

        await using (IConn conn = SentinelFixture.Dial(replica, Bounded))
        {
            Assert.Equal("v", Text(conn.Do("GET", key)));
        }
    }

    [SkippableFact]
    public async Task SeparateCredentials_SentinelsAndDataNodesEachAcceptOnlyTheirOwnPassword()
    {
        const string dataPassword = "data-secret-1";
        const string sentinelPassword = "sentinel-secret-2";
        await using LocalSentinelSet set = await DedicatedSentinelSet.StartAsync(options: new LocalSentinelOptions { DataPassword = dataPassword, SentinelPassword = sentinelPassword, Log = Log });
        LocalSentinelNode master = await set.GetMasterAsync();
        LocalSentinelNode sentinel = set.Sentinels[0];

        await using (IConn conn = SentinelFixture.Dial(sentinel, Bounded with { Password = sentinelPassword }))
        {
            var address = Assert.IsType<object[]>(conn.Do("SENTINEL", "GET-MASTER-ADDR-BY-NAME", set.MasterName));
            Assert.Equal(master.Address, $"{Text(address[0])}:{Text(address[1])}");
        }

        await using (IConn conn = SentinelFixture.Dial(sentinel, Bounded))
        {
            Assert.Equal("NOAUTH", Assert.Throws<RedisServerException>(() => conn.Do("SENTINEL", "GET-MASTER-ADDR-BY-NAME", set.MasterName)).Prefix);
        }

        Assert.Equal("WRONGPASS", Assert.Throws<RedisServerException>(() => SentinelFixture.Dial(sentinel, Bounded with { Password = dataPassword })).Prefix);
        Assert.Equal("WRONGPASS", Assert.Throws<RedisServerException>(() => SentinelFixture.Dial(master, Bounded with { Password = sentinelPassword })).Prefix);
        await using (IConn conn = SentinelFixture.Dial(master, Bounded with { Password = dataPassword }))
        {
            Assert.Equal("PONG", Text(conn.Do("PING")));
        }
    }

    [SkippableFact]
    public async Task PauseASentinel_TheOthersStillAgree_AndAfterResumeTheSetIsHealthy()
    {
        await using LocalSentinelSet set = await DedicatedSentinelSet.StartAsync(options: new LocalSentinelOptions { Log = Log });
        LocalSentinelNode paused = set.Sentinels[2];
        LocalSentinelNode master = await set.GetMasterAsync();

        await set.PauseAsync(paused);
        Assert.True(paused.IsPaused);
        Assert.False(paused.IsAnswering);
        await using (IConn conn = SentinelFixture.Dial(paused, new DialOptions { ConnectTimeout = TimeSpan.FromSeconds(5), ReadTimeout = TimeSpan.FromMilliseconds(300) }))
        {
            // The kernel still accepts the connection; nothing answers.
            Assert.ThrowsAny<RedisConnectionException>(() => conn.Do("PING"));
        }

        await set.WaitForHealthyAsync(); // counts only answering sentinels
        Assert.Same(master, await set.GetMasterAsync());

        await set.ResumeAsync(paused);
        Assert.False(paused.IsPaused);
        await set.WaitForHealthyAsync();
        Assert.Equal(master.Address, await set.GetMasterAddressAsync(paused));
    }

    private static string Field(object? entry, string name)
    {
        var items = Assert.IsType<object[]>(entry);
        for (int i = 0; i + 1 < items.Length; i += 2)
        {
            if (Text(items[i]) == name) return Text(items[i + 1]);
        }

        throw new Xunit.Sdk.XunitException($"no field '{name}' in the entry");
    }
}
