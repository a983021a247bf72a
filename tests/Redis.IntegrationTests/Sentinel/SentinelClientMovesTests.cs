using System.Diagnostics;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests.Sentinel;

/// <summary>
/// What else a Sentinel-backed <see cref="RedisClient"/> owns moves with the master through SENTINEL FAILOVER: a BLPOP
/// blocked before the failover, pub/sub subscriptions (a PubSubConn ends and is re-created; a Subscriber subscribes
/// again by itself). On a set of the test's own.
/// </summary>
[Trait("Server", "RedisOnly")]
public class SentinelClientMovesTests(ITestOutputHelper output)
{
    private void Log(string line)
    {
        output.WriteLine(line);
        Console.Error.WriteLine(line);
    }

    [SkippableFact]
    public async Task BlockedBlpop_AndSubscriptions_FollowTheMasterThroughSentinelFailover()
    {
        await using LocalSentinelSet set = await DedicatedSentinelSet.StartAsync(options: new LocalSentinelOptions { Log = Log });
        LocalSentinelNode old = await set.GetMasterAsync();
        await using RedisClient client = RedisClient.Connect(SentinelClientKit.For(set), null, SentinelClientKit.ClientOptions);
        string list = SentinelFixture.Key("blpop");
        string channel = SentinelFixture.Key("channel");

        // Blocked on the old master before the failover.
        Task<object?> blpop = client.DoAsync("BLPOP", list, 0).AsTask();
        PubSubConn sub = await client.CreatePubSubAsync();
        await sub.SubscribeAsync([channel]);
        await using Subscriber lasting = client.CreateSubscriber();
        await lasting.SubscribeAsync([channel + ":lasting"]);
        Assert.Equal(new Subscription("subscribe", channel, 1), await sub.ReceiveWithTimeoutAsync(TimeSpan.FromSeconds(5)));
        await WaitBlockedAsync(set, old, list);

        var clock = Stopwatch.StartNew();
        LocalSentinelNode promoted = await set.FailoverAsync();
        TimeSpan switched = clock.Elapsed;
        Assert.False(blpop.IsCompleted, $"BLPOP ended at the failover: {(blpop.IsFaulted ? blpop.Exception!.InnerException!.Message : "with a value")}");

        // Something is pushed on the new master: the BLPOP (re-run there) gets it.
        await SentinelClientKit.On(set, promoted, "RPUSH", list, "pushed-on-new-master");
        object?[] popped = (object?[])(await blpop.WaitAsync(TimeSpan.FromSeconds(25)))!;
        TimeSpan poppedAt = clock.Elapsed;
        Assert.Equal([list, "pushed-on-new-master"], popped.Select(Text));

        // The subscription on the old master ends at the switch (the client closed it), so its owner subscribes again, on the new master.
        var ended = await Assert.ThrowsAsync<RedisConnectionException>(async () => await sub.ReceiveWithTimeoutAsync(TimeSpan.FromSeconds(10)));
        TimeSpan endedAt = clock.Elapsed;
        Assert.IsNotType<RedisTimeoutException>(ended);
        await sub.DisposeAsync();
        await using (PubSubConn again = await client.CreatePubSubAsync())
        {
            await again.SubscribeAsync([channel]);
            Assert.Equal(new Subscription("subscribe", channel, 1), await again.ReceiveWithTimeoutAsync(TimeSpan.FromSeconds(5)));
            Assert.Equal(1L, await SentinelClientKit.On(set, promoted, "PUBLISH", channel, "hello"));
            Assert.Equal("hello", Assert.IsType<Message>(await again.ReceiveWithTimeoutAsync(TimeSpan.FromSeconds(5))).Text);
        }

        Log($"client pub/sub and BLPOP across SENTINEL FAILOVER {old.Address} -> {promoted.Address}: BLPOP got the value pushed on the new master {SentinelClientKit.Ms(poppedAt - switched)} after the sentinels agreed; the old subscription ended ({ended.Message}) {SentinelClientKit.Ms(endedAt - switched)} after it");

        // The Subscriber subscribed again by itself on the new master: a message published there arrives.
        long receivers = 0;
        for (int i = 0; i < 200 && receivers == 0; i++)
        {
            receivers = (long)(await SentinelClientKit.On(set, promoted, "PUBLISH", channel + ":lasting", "after-failover"))!;
            if (receivers == 0) await Task.Delay(50);
        }
        Assert.Equal(1L, receivers);
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            Assert.Equal("after-failover", (await lasting.ReceiveAsync(wait.Token)).Text);
        }
        Assert.True(lasting.Resubscriptions >= 1);

        // A subscription created after the switch is on the new master.
        await using PubSubConn fresh = await client.CreatePubSubAsync();
        await fresh.SubscribeAsync([channel + ":fresh"]);
        await fresh.ReceiveWithTimeoutAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1L, await SentinelClientKit.On(set, promoted, "PUBLISH", channel + ":fresh", "x"));
    }

    private static async Task WaitBlockedAsync(LocalSentinelSet set, LocalSentinelNode node, string list)
    {
        for (int i = 0; i < 200; i++)
        {
            string clients = Text(await SentinelClientKit.On(set, node, "CLIENT", "LIST"));
            if (clients.Contains("cmd=blpop", StringComparison.Ordinal)) return;
            await Task.Delay(25);
        }

        throw new TimeoutException($"no BLPOP on {list} blocked on {node.Address}");
    }
}
