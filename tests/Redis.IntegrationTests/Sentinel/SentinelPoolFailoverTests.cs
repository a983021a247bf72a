using System.Diagnostics;
using System.Globalization;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests.Sentinel;

/// <summary>
/// A pool from a <c>redis-sentinel://</c> URL (its dialer asks the sentinels; it lends a connection only while the master
/// it was dialed to is the one the sentinels name, kept current by a +switch-master subscription) through SENTINEL
/// FAILOVER, on a set of the test's own. The old master says "master" in ROLE for ~10 s after the switch, so ROLE alone
/// would keep lending it (measured before the watch: 1,254 writes to it after the switch, all lost). The test checks that
/// the pool reaches the new master and stops writing to the old one once the switch is published (at most the one
/// write already in flight on a leased connection), and logs the writes lost in the promotion window before the switch.
/// </summary>
[Trait("Server", "RedisOnly")]
public class SentinelPoolFailoverTests(ITestOutputHelper output)
{
    private void Log(string line)
    {
        output.WriteLine(line);
        Console.Error.WriteLine(line);
    }

    [SkippableFact]
    public async Task PoolFromSentinelUrl_ReachesTheNewMasterAfterSentinelFailover()
    {
        await using LocalSentinelSet set = await DedicatedSentinelSet.StartAsync(options: new LocalSentinelOptions { Log = Log });
        LocalSentinelNode old = await set.GetMasterAsync();
        using Pool pool = Pool.Create($"redis-sentinel://{string.Join(",", set.SentinelAddresses)}#{set.MasterName}");
        string key = SentinelFixture.Key("pool-failover");
        var clock = Stopwatch.StartNew();
        Task<TimeSpan> switched = await SentinelClientKit.WatchSwitchAsync(set, clock, TimeSpan.FromSeconds(30));
        using var stop = new CancellationTokenSource();
        var acknowledged = new List<(long Value, int Port, TimeSpan At)>();
        int failures = 0;
        Task user = Task.Run(async () =>
        {
            long next = 0;
            while (!stop.IsCancellationRequested)
            {
                long value = next++;
                try
                {
                    await using IConnWithTimeout conn = await pool.GetAsync();
                    conn.Send("RPUSH", key, value);
                    conn.Send("CONFIG", "GET", "port");
                    await conn.FlushAsync();
                    await conn.ReceiveAsync();
                    int port = int.Parse(Text(((object?[])(await conn.ReceiveAsync())!)[1]), CultureInfo.InvariantCulture);
                    lock (acknowledged) acknowledged.Add((value, port, clock.Elapsed));
                }
                catch (RedisException)
                {
                    failures++;
                }

                await Task.Delay(5);
            }
        });

        LocalSentinelNode promoted = await set.FailoverAsync();
        TimeSpan switchAt = await switched;
        var limit = Stopwatch.StartNew();
        while (!HasAckFrom(acknowledged, promoted.Port) && limit.Elapsed < TimeSpan.FromSeconds(25)) await Task.Delay(50);
        stop.Cancel();
        await user.WaitAsync(TimeSpan.FromSeconds(10));
        await set.WaitForHealthyAsync();

        var present = ((object?[])(await SentinelClientKit.On(set, promoted, "LRANGE", key, 0, -1))!).Select(v => long.Parse(Text(v), CultureInfo.InvariantCulture)).ToHashSet();
        var toOldAfterSwitch = acknowledged.Where(a => a.Port == old.Port && a.At > switchAt).ToList();
        TimeSpan? firstOnNew = acknowledged.Where(a => a.Port == promoted.Port).Select(a => (TimeSpan?)a.At).Min();
        Log($"pool from a sentinel URL across SENTINEL FAILOVER {old.Address} -> {promoted.Address}: first write on the new master {SentinelClientKit.Ms(firstOnNew - switchAt)} after +switch-master; " +
            $"{toOldAfterSwitch.Count} writes acknowledged by the old master after the switch (last {SentinelClientKit.Ms(toOldAfterSwitch.Count > 0 ? toOldAfterSwitch.Max(a => a.At) - switchAt : null)} after it), " +
            $"{acknowledged.Count(a => !present.Contains(a.Value))} of {acknowledged.Count} acknowledged writes lost; {failures} failed");
        Assert.NotNull(firstOnNew);
        Assert.True(toOldAfterSwitch.Count <= 2, $"{toOldAfterSwitch.Count} writes went to the old master after +switch-master");
    }

    private static bool HasAckFrom(List<(long Value, int Port, TimeSpan At)> acknowledged, int port)
    {
        lock (acknowledged) return acknowledged.Any(a => a.Port == port);
    }
}
