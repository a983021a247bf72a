using Redis.Tests.Infrastructure;

namespace Redis.Tests;

/// <summary>RedisClient.CreateSubscriber: subscriptions that survive their connection, against a real server.</summary>
[Trait("Server", "RedisOnly")]
public class SubscriberTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static async Task<long> PublishUntilReceivedAsync(IConn conn, string channel, string message)
    {
        for (int i = 0; i < 200; i++)
        {
            long receivers = (long)(await conn.DoAsync("PUBLISH", channel, message))!;
            if (receivers > 0) return receivers;
            await Task.Delay(50);
        }
        return 0;
    }

    // Kills only this test's subscriber connections (found by client name): other tests share the server.
    private static async Task KillSubscribersAsync(IConn conn, string clientName)
    {
        string list = System.Text.Encoding.UTF8.GetString((byte[])(await conn.DoAsync("CLIENT", "LIST"))!);
        int killed = 0;
        foreach (string line in list.Split('\n'))
        {
            if (!line.Contains($" name={clientName} ", StringComparison.Ordinal) || !line.Contains(" sub=", StringComparison.Ordinal) || line.Contains(" sub=0 psub=0", StringComparison.Ordinal)) continue;
            string id = line.Split(' ')[0]["id=".Length..];
            await conn.DoAsync("CLIENT", "KILL", "ID", id);
            killed++;
        }
        Assert.True(killed >= 1, "no subscriber connection found to kill");
    }

    private static async Task<Message> NextAsync(Subscriber subscriber)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await subscriber.ReceiveAsync(timeout.Token);
    }

    [SkippableFact]
    public async Task AKilledSubscriberConnection_IsReplaced_AndItsChannelsAndPatternsSubscribedAgain()
    {
        DedicatedServer.RequireRealRedis(fixture.Server, "CLIENT LIST / CLIENT KILL ID");
        string name = "sub-" + Guid.NewGuid().ToString("N")[..12];
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", fixture.Server.Address, new DialOptions { ClientName = name });
        await using IConn publisher = await fixture.DialAsync(useAsync: true);
        string channel = ServerFixture.Key("sub-channel");
        string prefix = ServerFixture.Key("sub-pattern");
        await using Subscriber subscriber = client.CreateSubscriber();
        await subscriber.SubscribeAsync([channel]);
        await subscriber.PSubscribeAsync([prefix + ":*"]);

        Assert.Equal(1, await PublishUntilReceivedAsync(publisher, channel, "one"));
        Assert.Equal("one", (await NextAsync(subscriber)).Text);

        await KillSubscribersAsync(publisher, name);

        Assert.Equal(1, await PublishUntilReceivedAsync(publisher, channel, "two"));
        Message two = await NextAsync(subscriber);
        Assert.Equal("two", two.Text);
        Assert.Equal(1, await PublishUntilReceivedAsync(publisher, prefix + ":x", "three"));
        Message three = await NextAsync(subscriber);
        Assert.Equal("three", three.Text);
        Assert.Equal(prefix + ":*", three.Pattern);
        Assert.True(subscriber.Resubscriptions >= 1);
    }

    [SkippableFact]
    public async Task Unsubscribed_ChannelsAreNotSubscribedAgain()
    {
        DedicatedServer.RequireRealRedis(fixture.Server, "CLIENT LIST / CLIENT KILL ID");
        string name = "sub-" + Guid.NewGuid().ToString("N")[..12];
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", fixture.Server.Address, new DialOptions { ClientName = name });
        await using IConn publisher = await fixture.DialAsync(useAsync: true);
        string kept = ServerFixture.Key("kept");
        string dropped = ServerFixture.Key("dropped");
        await using Subscriber subscriber = client.CreateSubscriber();
        await subscriber.SubscribeAsync([kept, dropped]);
        await subscriber.UnsubscribeAsync([dropped]);
        await KillSubscribersAsync(publisher, name);

        Assert.Equal(1, await PublishUntilReceivedAsync(publisher, kept, "k"));
        Assert.Equal("k", (await NextAsync(subscriber)).Text);
        Assert.Equal(0L, await publisher.DoAsync("PUBLISH", dropped, "d"));
    }
}
