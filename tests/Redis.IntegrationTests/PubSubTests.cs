using Redis.Tests.Infrastructure;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests;

/// <summary>
/// PubSubConn against a live server, on RESP2 and on RESP3 (push frames), sync and async:
/// subscriptions, pattern and sharded messages, pings, unsubscribe-all and the message stream.
/// </summary>
[Collection(ServerCollection.Name)]
public class PubSubTests(ServerFixture fixture)
{
    public static TheoryData<int, bool> Protocols() => new() { { 2, false }, { 2, true }, { 3, false }, { 3, true } };

    private async Task<PubSubConn> Subscriber(int protocol) => new(await fixture.DialAsync(true, new DialOptions { Protocol = protocol }));

    private static async Task<object> Receive(PubSubConn c, bool useAsync) => useAsync ? await c.ReceiveAsync() : c.Receive();

    [Theory, MemberData(nameof(Protocols))]
    public async Task RedigoSequence_SubscriptionsMessagesAndPings(int protocol, bool useAsync)
    {
        await using PubSubConn c = await Subscriber(protocol);
        await using IConn pc = fixture.Dial();
        string c1 = ServerFixture.Key("c1"), c2 = ServerFixture.Key("c2"), p1 = ServerFixture.Key("p1") + "*", p2 = ServerFixture.Key("p2") + "*";

        if (useAsync) await c.SubscribeAsync([c1]);
        else c.Subscribe(c1);
        Assert.Equal(new Subscription("subscribe", c1, 1), await Receive(c, useAsync));
        c.Subscribe(c2);
        Assert.Equal(new Subscription("subscribe", c2, 2), await Receive(c, useAsync));
        c.PSubscribe(p1);
        Assert.Equal(new Subscription("psubscribe", p1, 3), await Receive(c, useAsync));
        if (useAsync) await c.PSubscribeAsync([p2]);
        else c.PSubscribe(p2);
        Assert.Equal(new Subscription("psubscribe", p2, 4), await Receive(c, useAsync));

        c.PUnsubscribe();
        var first = Assert.IsType<Subscription>(await Receive(c, useAsync));
        var second = Assert.IsType<Subscription>(await Receive(c, useAsync));
        Assert.Equal(("punsubscribe", "punsubscribe"), (first.Kind, second.Kind));
        Assert.Equal([p1, p2], new[] { first.Channel, second.Channel }.Order()); // the server's order of patterns is its own
        Assert.Equal((3, 2), (first.Count, second.Count));

        Assert.Equal(1L, await pc.Do(useAsync, "PUBLISH", c1, "hello"));
        var hello = Assert.IsType<Message>(await Receive(c, useAsync));
        Assert.Equal((c1, (string?)null, "hello", "message"), (hello.Channel, hello.Pattern, hello.Text, hello.Kind));

        c.Ping("hello");
        Assert.Equal(new Pong("hello"), await Receive(c, useAsync));
        c.Conn.Send("PING");
        c.Conn.Flush();
        Assert.Equal(new Pong(""), await Receive(c, useAsync));
        if (useAsync) await c.PingAsync("timeout");
        else c.Ping("timeout");
        Assert.Equal(new Pong("timeout"), useAsync ? await c.ReceiveWithTimeoutAsync(TimeSpan.FromMinutes(1)) : c.ReceiveWithTimeout(TimeSpan.FromMinutes(1)));
    }

    [Theory, MemberData(nameof(Protocols))]
    public async Task PatternMessage_NamesThePatternAndTheChannel(int protocol, bool useAsync)
    {
        await using PubSubConn c = await Subscriber(protocol);
        await using IConn pc = fixture.Dial();
        string prefix = ServerFixture.Key("news");
        c.PSubscribe(prefix + ".*");
        Assert.Equal(new Subscription("psubscribe", prefix + ".*", 1), await Receive(c, useAsync));
        await pc.Do(useAsync, "PUBLISH", prefix + ".sport", "goal");
        var message = Assert.IsType<Message>(await Receive(c, useAsync));
        Assert.Equal((prefix + ".sport", prefix + ".*", "goal", "pmessage"), (message.Channel, message.Pattern, message.Text, message.Kind));
    }

    [SkippableTheory, MemberData(nameof(Protocols))]
    [Trait("Server", "RedisOnly")]
    public async Task ShardedSubscription_ReceivesShardMessages(int protocol, bool useAsync)
    {
        DedicatedServer.RequireRealRedis(fixture.Server, "SSUBSCRIBE/SPUBLISH (Redis 7 sharded pub/sub)");
        await using PubSubConn c = await Subscriber(protocol);
        await using IConn pc = fixture.Dial();
        string channel = ServerFixture.Key("shard");
        if (useAsync) await c.SSubscribeAsync([channel]);
        else c.SSubscribe(channel);
        Assert.Equal(new Subscription("ssubscribe", channel, 1), await Receive(c, useAsync));
        Assert.Equal(1L, await pc.Do(useAsync, "SPUBLISH", channel, "sharded hello"));
        var message = Assert.IsType<Message>(await Receive(c, useAsync));
        Assert.Equal((channel, null, "sharded hello", true, "smessage"), (message.Channel, message.Pattern, message.Text, message.IsSharded, message.Kind));
        if (useAsync) await c.SUnsubscribeAsync();
        else c.SUnsubscribe();
        Assert.Equal(new Subscription("sunsubscribe", channel, 0), await Receive(c, useAsync));
    }

    [Theory, MemberData(nameof(Protocols))]
    public async Task UnsubscribeAll_LeavesEveryChannel_AndPingsStillAnswer(int protocol, bool useAsync)
    {
        await using PubSubConn c = await Subscriber(protocol);
        await using IConn pc = fixture.Dial();
        string a = ServerFixture.Key("a"), b = ServerFixture.Key("b");
        c.Subscribe(a, b);
        Assert.Equal(new Subscription("subscribe", a, 1), await Receive(c, useAsync));
        Assert.Equal(new Subscription("subscribe", b, 2), await Receive(c, useAsync));
        if (useAsync) await c.UnsubscribeAsync();
        else c.Unsubscribe();
        var first = Assert.IsType<Subscription>(await Receive(c, useAsync));
        var second = Assert.IsType<Subscription>(await Receive(c, useAsync));
        Assert.Equal([a, b], new[] { first.Channel, second.Channel }.Order());
        Assert.Equal((1, 0), (first.Count, second.Count));
        Assert.Equal(0L, await pc.Do(useAsync, "PUBLISH", a, "nobody"));

        // Out of subscribed mode PING gets its ordinary reply (+PONG, or the bulk it was given).
        c.Ping();
        Assert.Equal(new Pong(""), await Receive(c, useAsync));
        c.Ping("echo");
        Assert.Equal(new Pong("echo"), await Receive(c, useAsync));

        c.Unsubscribe(); // nothing is subscribed: the server names no channel
        Assert.Equal(new Subscription("unsubscribe", "", 0), await Receive(c, useAsync));
    }

    [Theory, MemberData(nameof(Protocols))]
    public async Task ReadMessagesAsync_StreamsMessagesUntilCancelled(int protocol, bool useAsync)
    {
        _ = useAsync; // the stream is asynchronous by nature; the publisher alternates
        await using PubSubConn c = await Subscriber(protocol);
        await using IConn pc = fixture.Dial();
        string channel = ServerFixture.Key("stream"), pattern = ServerFixture.Key("streamp");
        c.Subscribe(channel);
        c.PSubscribe(pattern + "*");
        c.Ping("skipped");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new List<string>();
        Task reader = Task.Run(async () =>
        {
            await foreach (Message message in c.ReadMessagesAsync(cts.Token))
            {
                received.Add($"{message.Pattern}|{message.Channel}|{message.Text}");
                if (received.Count == 3) await cts.CancelAsync();
            }
        });
        // Publish once both subscriptions are in place (the stream skips their confirmations).
        while (Reply.Int64(await pc.Do(true, "PUBLISH", channel, "1")) == 0) await Task.Delay(10);
        await pc.Do(true, "PUBLISH", pattern + "x", "2");
        await pc.Do(true, "PUBLISH", channel, "3");
        await reader.WaitAsync(TimeSpan.FromSeconds(10)); // ends without an exception
        Assert.Equal(["|" + channel + "|1", pattern + "*|" + pattern + "x|2", "|" + channel + "|3"], received);
    }
}
