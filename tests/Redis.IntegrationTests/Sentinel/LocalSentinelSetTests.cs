using System.Diagnostics;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests.Sentinel;

/// <summary>
/// The local Sentinel test infrastructure against real redis-server processes (data nodes and sentinels), checked with
/// the low-level connection only (not a Sentinel client): start-up agreement, separate credentials, SENTINEL FAILOVER
/// with <c>+switch-master</c>, kill -9 of the master, pause/resume, restart of a killed master. The first test shares
/// the class's set; the destructive ones take a set of their own. Timings are logged, never asserted.
/// </summary>
public class LocalSentinelSetTests(SentinelFixture fixture, ITestOutputHelper output) : IClassFixture<SentinelFixture>
{
    // Bounded: a node that stops answering fails the test instead of hanging it.
    private static readonly DialOptions Bounded = new() { ConnectTimeout = TimeSpan.FromSeconds(5), ReadTimeout = TimeSpan.FromSeconds(10), WriteTimeout = TimeSpan.FromSeconds(10) };

    private static readonly TimeSpan SwitchWait = TimeSpan.FromSeconds(20);

    private LocalSentinelOptions Logged(LocalSentinelOptions? options = null) => (options ?? new LocalSentinelOptions()) with { Log = Log };

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
        await using LocalSentinelSet set = await DedicatedSentinelSet.StartAsync(options: Logged(new LocalSentinelOptions { DataPassword = dataPassword, SentinelPassword = sentinelPassword }));
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
    public async Task SentinelFailover_MovesTheMaster_PublishesSwitchMaster_AndTheOldMasterBecomesAReplica()
    {
        await using LocalSentinelSet set = await DedicatedSentinelSet.StartAsync(options: Logged());
        LocalSentinelNode old = await set.GetMasterAsync();
        LocalSentinelNode replica = set.DataNodes[1];
        string key = SentinelFixture.Key("failover");
        await using (IConn conn = SentinelFixture.Dial(old, Bounded))
        {
            conn.Do("SET", key, "before");
            Assert.Equal(1L, conn.Do("WAIT", 1, 5000));
        }

        List<PubSubConn> subscribers = await SubscribeSwitchMasterAsync(set);
        try
        {
            var clock = Stopwatch.StartNew();
            Task<(TimeSpan At, string Text)>[] switches = [.. subscribers.Select(s => ReceiveSwitchMasterAsync(s, clock))];
            LocalSentinelNode promoted = await set.FailoverAsync();
            TimeSpan agreed = clock.Elapsed;
            (TimeSpan At, string Text)[] seen = await Task.WhenAll(switches);
            await set.WaitForHealthyAsync();
            TimeSpan demoted = clock.Elapsed;
            Log($"sentinel failover: SENTINEL FAILOVER -> all sentinels agree (and ROLE master) {agreed.TotalMilliseconds:0} ms; " +
                $"+switch-master on {string.Join(", ", seen.Select((s, i) => $"{set.Sentinels[i].Address} {s.At.TotalMilliseconds:0} ms"))}; " +
                $"old master demoted and set healthy {demoted.TotalMilliseconds:0} ms");

            Assert.Same(replica, promoted);
            Assert.All(seen, s => Assert.Equal($"{set.MasterName} 127.0.0.1 {old.Port} 127.0.0.1 {promoted.Port}", s.Text));
        }
        finally
        {
            foreach (PubSubConn s in subscribers) await s.DisposeAsync();
        }

        Assert.Same(replica, await set.GetMasterAsync());
        await using (IConn conn = SentinelFixture.Dial(replica, Bounded))
        {
            Assert.Equal("master", Text(Assert.IsType<object[]>(conn.Do("ROLE"))[0]));
            Assert.Equal("before", Text(conn.Do("GET", key)));
            conn.Do("SET", key, "after");
        }

        await using (IConn conn = SentinelFixture.Dial(old, Bounded))
        {
            var role = Assert.IsType<object[]>(conn.Do("ROLE"));
            Assert.Equal(("slave", (long)replica.Port), (Text(role[0]), (long)role[2]!));
            Assert.Equal("READONLY", Assert.Throws<RedisServerException>(() => conn.Do("SET", key, "x")).Prefix);
        }
    }

    [SkippableFact]
    public async Task KillTheMaster_TheSentinelsPromoteTheReplica_AndTheRestartedOldMasterRejoinsAsReplica()
    {
        await using LocalSentinelSet set = await DedicatedSentinelSet.StartAsync(options: Logged());
        LocalSentinelNode old = await set.GetMasterAsync();
        LocalSentinelNode replica = set.DataNodes[1];
        string key = SentinelFixture.Key("kill");
        await old.ExecuteAsync("SET", key, "kept");
        Assert.Equal(1L, await old.ExecuteAsync("WAIT", "1", "5000"));

        List<PubSubConn> subscribers = await SubscribeSwitchMasterAsync(set, count: 1);
        try
        {
            var clock = Stopwatch.StartNew();
            Task<(TimeSpan At, string Text)> switched = ReceiveSwitchMasterAsync(subscribers[0], clock);
            await set.KillAsync(old);
            LocalSentinelNode promoted = await set.WaitForMasterChangeAsync(old, SwitchWait);
            TimeSpan agreed = clock.Elapsed;
            (TimeSpan at, string text) = await switched;
            Log($"sentinel kill -9 of the master: +switch-master on {set.Sentinels[0].Address} {at.TotalMilliseconds:0} ms; all sentinels agree (and ROLE master) {agreed.TotalMilliseconds:0} ms");

            Assert.Same(replica, promoted);
            Assert.Equal($"{set.MasterName} 127.0.0.1 {old.Port} 127.0.0.1 {promoted.Port}", text);
        }
        finally
        {
            foreach (PubSubConn s in subscribers) await s.DisposeAsync();
        }

        Assert.False(old.IsRunning);
        Assert.Null(old.ProcessId);
        await using (IConn conn = SentinelFixture.Dial(replica, Bounded))
        {
            Assert.Equal("kept", Text(conn.Do("GET", key)));
        }

        // Killed before Sentinel could rewrite its config, it comes back a master ("zombie") until Sentinel demotes it.
        var restart = Stopwatch.StartNew();
        await set.RestartAsync(old);
        Log($"sentinel restart of the killed old master: rejoined as a replica, set healthy after {restart.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(old.IsRunning);
        Assert.Equal("slave", await set.GetRoleAsync(old));
        Assert.Same(replica, await set.GetMasterAsync());
    }

    [SkippableFact]
    public async Task PauseASentinel_TheOthersStillAgree_AndAfterResumeTheSetIsHealthy()
    {
        await using LocalSentinelSet set = await DedicatedSentinelSet.StartAsync(options: Logged());
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

    /// <summary>One PubSubConn per sentinel (the first <paramref name="count"/>), subscribed to <c>+switch-master</c> and confirmed.</summary>
    private static async Task<List<PubSubConn>> SubscribeSwitchMasterAsync(LocalSentinelSet set, int? count = null)
    {
        var subscribers = new List<PubSubConn>();
        try
        {
            foreach (LocalSentinelNode sentinel in set.Sentinels.Take(count ?? set.Sentinels.Count))
            {
                var sub = new PubSubConn(await SentinelFixture.DialAsync(sentinel, Bounded with { ReadTimeout = TimeSpan.Zero, Password = set.Options.SentinelPassword }));
                subscribers.Add(sub);
                await sub.SubscribeAsync(["+switch-master"]);
                Assert.Equal(new Subscription("subscribe", "+switch-master", 1), await sub.ReceiveWithTimeoutAsync(TimeSpan.FromSeconds(5)));
            }
        }
        catch
        {
            foreach (PubSubConn s in subscribers) await s.DisposeAsync();
            throw;
        }

        return subscribers;
    }

    private static async Task<(TimeSpan At, string Text)> ReceiveSwitchMasterAsync(PubSubConn sub, Stopwatch clock)
    {
        while (true)
        {
            TimeSpan left = SwitchWait - clock.Elapsed;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"no +switch-master on {sub} within {SwitchWait.TotalSeconds:0} s");
            if (await sub.ReceiveWithTimeoutAsync(left) is Message { Channel: "+switch-master" } message)
            {
                return (clock.Elapsed, message.Text);
            }
        }
    }
}
