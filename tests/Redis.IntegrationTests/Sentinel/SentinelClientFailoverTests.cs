using System.Diagnostics;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests.Sentinel;

/// <summary>
/// A <see cref="RedisClient"/> built on a Sentinel, under 8 concurrent writers, through SENTINEL FAILOVER on a set of the
/// test's own. The only timed assertion is the generous upper bound (writes served on the new master within 10 s);
/// the switch timings are logged.
/// <para>
/// Writes the old master acknowledges after Sentinel promoted the replica (<c>REPLICAOF NO ONE</c>) and before it
/// publishes <c>+switch-master</c> (~1 s: Sentinel sees the promotion in its next INFO) are lost: the old master is still a
/// writable master that the sentinels still name, and it is resynchronised from the new master when demoted. No client
/// can know in that window, so the test checks what a client controls: no write acknowledged after the client moved is
/// lost, and every lost write was acknowledged by the old master before the client moved; the loss is logged.
/// </para>
/// </summary>
[Trait("Server", "RedisOnly")]
public class SentinelClientFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private void Log(string line)
    {
        output.WriteLine(line);
        Console.Error.WriteLine(line);
    }

    [SkippableFact]
    public async Task SentinelFailover_UnderEightWriters_ClientWritesToTheNewMasterWithin10s_AndLosesNoWriteAcknowledgedAfterItMoved()
    {
        await using LocalSentinelSet set = await DedicatedSentinelSet.StartAsync(options: new LocalSentinelOptions { Log = Log });
        LocalSentinelNode old = await set.GetMasterAsync();
        await using RedisClient client = RedisClient.Connect(SentinelClientKit.For(set), null, SentinelClientKit.ClientOptions);
        var clock = Stopwatch.StartNew();
        Task<TimeSpan> switched = await SentinelClientKit.WatchSwitchAsync(set, clock, TimeSpan.FromSeconds(30));
        Task<TimeSpan?> reconnected = SentinelClientKit.WatchReconnectAsync(client, clock, TimeSpan.FromSeconds(30));
        var writers = new Writers(client, SentinelFixture.Key("failover"), 8, clock);
        await writers.WaitForAcksAfterAsync(TimeSpan.Zero, 200, Bound);

        Task<TimeSpan?> promotion = SentinelClientKit.WatchPromotionAsync(set, set.DataNodes.Single(n => n != old), clock, TimeSpan.FromSeconds(30));
        TimeSpan start = clock.Elapsed;
        LocalSentinelNode promoted = await set.FailoverAsync();
        TimeSpan agreed = clock.Elapsed;
        TimeSpan switchAt = await switched;
        TimeSpan? reconnectAt = await reconnected;
        await writers.WaitForAcksAfterAsync(Max(switchAt, reconnectAt), 100, Bound);

        // A marker written through the client after the switch is on the new master.
        string marker = SentinelFixture.Key("failover-marker");
        await client.DoAsync("SET", marker, "new");
        TimeSpan served = clock.Elapsed;
        Assert.Equal("new", Text(await SentinelClientKit.On(set, promoted, "GET", marker)));
        await writers.StopAsync();

        List<string> missing = await writers.MissingOnAsync(set, promoted);
        TimeSpan moved = Max(switchAt, reconnectAt);
        TimeSpan? promotedAt = await promotion;
        List<TimeSpan> lostAt = [.. missing.Select(m => TimeSpan.FromMilliseconds(double.Parse(m[(m.IndexOf('@') + 1)..^2], System.Globalization.CultureInfo.InvariantCulture)))];
        (TimeSpan gap, TimeSpan gapFrom) = writers.LongestGap();
        Log($"client SENTINEL FAILOVER: acknowledged writes lost: {missing.Count}, acknowledged by the old master from {SentinelClientKit.Ms(lostAt.Count > 0 ? lostAt.Min() - start : null)} to {SentinelClientKit.Ms(lostAt.Count > 0 ? lostAt.Max() - start : null)}; replica promoted (ROLE master) at {SentinelClientKit.Ms(promotedAt - start)}, +switch-master at {SentinelClientKit.Ms(switchAt - start)}");
        Log($"client SENTINEL FAILOVER {old.Address} -> {promoted.Address}: agreed {SentinelClientKit.Ms(agreed - start)}, +switch-master {SentinelClientKit.Ms(switchAt - start)}, client reconnected {SentinelClientKit.Ms(reconnectAt - start)}; " +
            $"switch -> first write {SentinelClientKit.Ms(writers.FirstAckAfter(switchAt) - switchAt)}, reconnect -> first write {SentinelClientKit.Ms(reconnectAt is { } r ? writers.FirstAckAfter(r) - r : null)}; " +
            $"longest write gap {SentinelClientKit.Ms(gap)} (from {SentinelClientKit.Ms(gapFrom - start)} after the failover call); {writers.AckedCount} writes acknowledged, {writers.Failures} failed ({writers.ErrorSample}); acknowledged but missing on the new master: {missing.Count}");

        Assert.Same(set.DataNodes.Single(n => n != old), promoted);
        Assert.True(served - start < Bound + Bound, $"writes served on the new master {SentinelClientKit.Ms(served - start)} after SENTINEL FAILOVER");
        Assert.True(served - switchAt < Bound, $"writes served on the new master {SentinelClientKit.Ms(served - switchAt)} after +switch-master");
        Assert.DoesNotContain(lostAt, at => at > moved);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan? b) => b is { } v && v > a ? v : a;
}
