using Redis.Testing;
using Redis.Tests.Infrastructure;

namespace Redis.Tests.Cluster;

/// <summary>Sharded pub/sub through RedisCluster against a real cluster: routing by channel slot, and a slot move.</summary>
[Trait("Server", "RedisOnly")]
public class ShardedPubSubTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static async Task<Message> NextAsync(ShardedPubSub subscriber)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await subscriber.ReceiveAsync(timeout.Token);
    }

    // SPUBLISH answers how many subscribers got the message; the subscription is asynchronous, so poll (bounded).
    private static async Task<long> PublishUntilReceivedAsync(RedisCluster cluster, string channel, string message)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            long receivers = (long)(await cluster.DoAsync("SPUBLISH", channel, message))!;
            if (receivers > 0) return receivers;
            await Task.Delay(50);
        }
        return 0;
    }

    [SkippableFact]
    public async Task ChannelsInDifferentSlots_AreEachSubscribedOnTheirOwner_AndDeliverToOneStream()
    {
        LocalCluster local = fixture.Cluster;
        await using RedisCluster cluster = await RedisCluster.ConnectAsync(local.Seeds);
        string[] channels = [ClusterFixture.Key("ch-a"), ClusterFixture.Key("ch-b"), ClusterFixture.Key("ch-c"), ClusterFixture.Key("ch-d")];
        Assert.True(channels.Select(RedisCluster.Slot).Distinct().Count() > 1);
        await using ShardedPubSub subscriber = cluster.CreateShardedPubSub();
        await subscriber.SubscribeAsync(channels);

        var received = new HashSet<string>();
        foreach (string channel in channels)
        {
            Assert.Equal(1, await PublishUntilReceivedAsync(cluster, channel, "hello " + channel));
            Message message = await NextAsync(subscriber);
            Assert.True(message.IsSharded);
            Assert.Equal("hello " + message.Channel, message.Text);
            received.Add(message.Channel);
        }
        Assert.Equal(channels.ToHashSet(), received);
    }

    [SkippableFact]
    public async Task SlotMigration_ResubscribesTheChannelOnTheNewOwner()
    {
        LocalCluster local = fixture.Cluster;
        await using RedisCluster cluster = await RedisCluster.ConnectAsync(local.Seeds);
        string channel = ClusterFixture.Key("moving-channel");
        int slot = RedisCluster.Slot(channel);
        await using ShardedPubSub subscriber = cluster.CreateShardedPubSub();
        await subscriber.SubscribeAsync([channel]);
        Assert.Equal(1, await PublishUntilReceivedAsync(cluster, channel, "before"));
        Assert.Equal("before", (await NextAsync(subscriber)).Text);

        LocalClusterNode source = await local.GetMasterOfSlotAsync(slot);
        LocalClusterNode target = (await local.GetMastersAsync()).First(m => m != source);
        await local.MigrateSlotAsync(slot, source, target);

        // The old owner ended the subscription (sunsubscribe); the subscriber must follow the slot by itself.
        Assert.Equal(1, await PublishUntilReceivedAsync(cluster, channel, "after"));
        Message after = await NextAsync(subscriber);
        Assert.Equal("after", after.Text);
        Assert.Equal(channel, after.Channel);
        Assert.True(subscriber.Resubscriptions >= 1);
        // The move also refreshed the client's topology (asynchronously; bounded wait).
        for (int i = 0; i < 200 && cluster.Topology.ShardOf(slot)?.Master.Port != target.Port; i++) await Task.Delay(50);
        Assert.Equal(target.Port, cluster.Topology.ShardOf(slot)?.Master.Port);
    }
}
