using System.Diagnostics;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests.Sentinel;

/// <summary>
/// SENTINEL FAILOVER on a local Sentinel set of the test's own, checked with the low-level connection: the master moves,
/// every sentinel publishes <c>+switch-master</c>, and the old master becomes a replica. Timings are logged, never asserted.
/// </summary>
[Trait("Server", "RedisOnly")]
public class LocalSentinelFailoverTests(ITestOutputHelper output)
{
    private const string SwitchMaster = "+switch-master";

    // Bounded: a node that stops answering fails the test instead of hanging it.
    private static readonly DialOptions Bounded = new() { ConnectTimeout = TimeSpan.FromSeconds(5), ReadTimeout = TimeSpan.FromSeconds(10), WriteTimeout = TimeSpan.FromSeconds(10) };

    private static readonly TimeSpan SwitchWait = TimeSpan.FromSeconds(20);

    private void Log(string line)
    {
        output.WriteLine(line);
        Console.Error.WriteLine(line);
    }

    [SkippableFact]
    public async Task SentinelFailover_MovesTheMaster_PublishesSwitchMaster_AndTheOldMasterBecomesAReplica()
    {
        await using LocalSentinelSet set = await DedicatedSentinelSet.StartAsync(options: new LocalSentinelOptions { Log = Log });
        LocalSentinelNode old = await set.GetMasterAsync();
        LocalSentinelNode replica = set.DataNodes[1];
        string key = SentinelFixture.Key("failover");
        await using (IConn conn = SentinelFixture.Dial(old, Bounded))
        {
            conn.Do("SET", key, "before");
            Assert.Equal(1L, conn.Do("WAIT", 1, 5000));
        }

        var subscribers = new List<PubSubConn>();
        try
        {
            foreach (LocalSentinelNode sentinel in set.Sentinels) subscribers.Add(await SentinelFixture.SubscribeAsync(set, sentinel, SwitchMaster));
            var clock = Stopwatch.StartNew();
            Task<(TimeSpan At, string Text)>[] switches = [.. subscribers.Select(async s =>
            {
                Message message = await SentinelFixture.ReceiveAsync(s, SwitchMaster, SwitchWait);
                return (clock.Elapsed, message.Text);
            })];

            LocalSentinelNode promoted = await set.FailoverAsync();
            TimeSpan agreed = clock.Elapsed;
            (TimeSpan At, string Text)[] seen = await Task.WhenAll(switches);
            await set.WaitForHealthyAsync();
            TimeSpan demoted = clock.Elapsed;
            Log($"sentinel failover: SENTINEL FAILOVER -> every sentinel names the new master (ROLE master) {agreed.TotalMilliseconds:0} ms; " +
                $"+switch-master on {string.Join(", ", seen.Select((s, i) => $"{set.Sentinels[i].Address} {s.At.TotalMilliseconds:0} ms"))}; " +
                $"old master demoted, set healthy {demoted.TotalMilliseconds:0} ms");

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
}
