using System.Diagnostics;
using Redis.Testing;
using Redis.Tests.Infrastructure;

namespace Redis.Tests.Telemetry;

/// <summary>
/// <see cref="RedisCluster"/> commands are traced through its node clients: each span names the node that
/// answered, a redirect is a MOVED span on the old owner then a span on the new one, and the redirect counter
/// counts it. The cluster is this class's own, so the listeners (filtered by its ports) see no other test.
/// </summary>
[Trait("Server", "RedisOnly")]
public class TelemetryClusterTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [SkippableFact]
    public async Task ClusterCommands_AreSpansOnTheOwningNode_AndARedirectIsCounted()
    {
        LocalCluster local = fixture.Cluster;
        string key = ClusterFixture.Key("telemetry");
        int slot = await local.GetSlotAsync(key);
        LocalClusterNode source = await local.GetMasterOfSlotAsync(slot);
        LocalClusterNode target = (await local.GetMastersAsync()).First(m => m != source);
        await using RedisCluster cluster = await RedisCluster.ConnectAsync(local.Seeds);
        IRedisCommands redis = cluster.Commands();
        using var atSource = new TelemetryCapture(source.Port);
        using var atTarget = new TelemetryCapture(target.Port);

        await redis.SetAsync(key, "v1");
        await local.MigrateSlotAsync(slot, source, target);
        byte[]? value = await redis.GetAsync(key);
        atSource.Observe();

        Assert.Equal("v1"u8.ToArray(), value);
        // The MOVED also starts a topology refresh (CLUSTER SHARDS, traced too) on whichever node it asks: left out.
        Activity[] sourceSpans = [.. atSource.Spans.Where(s => s.DisplayName != "CLUSTER SHARDS")];
        Activity[] targetSpans = [.. atTarget.Spans.Where(s => s.DisplayName != "CLUSTER SHARDS")];
        Assert.Equal(["SET", "GET"], sourceSpans.Select(s => s.DisplayName));
        Activity moved = sourceSpans[1];
        Assert.Equal(ActivityStatusCode.Error, moved.Status);
        Assert.Equal("MOVED", moved.GetTagItem(RedisTelemetry.DbResponseStatusCode));
        Activity get = Assert.Single(targetSpans);
        Assert.Equal("GET", get.DisplayName);
        Assert.Equal(ActivityStatusCode.Unset, get.Status);
        Assert.Equal(target.Port, get.GetTagItem(RedisTelemetry.ServerPort));
        // The counter reads the cluster's own statistics (every cluster client of the process reports one series).
        Assert.Equal(1, cluster.Stats.Moved);
        Assert.Contains(atSource.Measurements(RedisTelemetry.ClusterRedirectsMetric),
            m => Equals(m.Tags[RedisTelemetry.ClusterRedirectType], "moved") && m.Value == 1);
    }
}
