using System.Diagnostics;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests.Sentinel;

/// <summary>
/// A <see cref="RedisClient"/> built on a Sentinel, under 8 concurrent writers, through kill -9 of the master on a set of
/// the test's own; then the old master restarts as a "zombie" master until Sentinel demotes it, and the client must not
/// write to it. Timings are logged; only the 10 s bound is asserted.
/// </summary>
[Trait("Server", "RedisOnly")]
public class SentinelClientKillTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private void Log(string line)
    {
        output.WriteLine(line);
        Console.Error.WriteLine(line);
    }

    [SkippableFact]
    public async Task KillTheMaster_UnderEightWriters_ClientFollows_AndNeverWritesToTheRestartedOldMaster()
    {
        await using LocalSentinelSet set = await DedicatedSentinelSet.StartAsync(options: new LocalSentinelOptions { Log = Log });
        LocalSentinelNode old = await set.GetMasterAsync();
        await using RedisClient client = RedisClient.Connect(SentinelClientKit.For(set), null, SentinelClientKit.ClientOptions);
        var clock = Stopwatch.StartNew();
        Task<TimeSpan> switched = await SentinelClientKit.WatchSwitchAsync(set, clock, TimeSpan.FromSeconds(30));
        var writers = new Writers(client, SentinelFixture.Key("kill"), 8, clock);
        await writers.WaitForAcksAfterAsync(TimeSpan.Zero, 200, Bound);
        Task<TimeSpan?> reconnected = SentinelClientKit.WatchReconnectAsync(client, clock, TimeSpan.FromSeconds(30));

        TimeSpan start = clock.Elapsed;
        await set.KillAsync(old);
        LocalSentinelNode promoted = await set.WaitForMasterChangeAsync(old, TimeSpan.FromSeconds(30));
        TimeSpan agreed = clock.Elapsed;
        TimeSpan switchAt = await switched;
        TimeSpan? reconnectAt = await reconnected;
        await writers.WaitForAcksAfterAsync(switchAt, 100, Bound);
        TimeSpan served = writers.FirstAckAfter(switchAt)!.Value;

        (TimeSpan gap, TimeSpan gapFrom) = writers.LongestGap();
        Log($"client kill -9 of the master {old.Address} -> {promoted.Address}: agreed {SentinelClientKit.Ms(agreed - start)}, +switch-master {SentinelClientKit.Ms(switchAt - start)}, client reconnected (first new connection) {SentinelClientKit.Ms(reconnectAt - start)}; " +
            $"switch -> first write {SentinelClientKit.Ms(served - switchAt)}, kill -> first write after the switch {SentinelClientKit.Ms(served - start)}; longest write gap {SentinelClientKit.Ms(gap)} (from {SentinelClientKit.Ms(gapFrom - start)} after the kill); {writers.Failures} writes failed ({writers.ErrorSample})");
        Assert.True(served - switchAt < Bound, $"first write {SentinelClientKit.Ms(served - switchAt)} after +switch-master");

        // The old master comes back as a master (a "zombie": killed before Sentinel rewrote its config) until Sentinel
        // demotes it. Meanwhile every write of the client must go to the new master, none to the zombie.
        await set.RestartAsync(old, waitForHealthy: false);
        int zombieChecks = 0;
        var zombie = Stopwatch.StartNew();
        while (zombie.Elapsed < TimeSpan.FromSeconds(25))
        {
            string marker = SentinelFixture.Key("after-switch");
            Assert.Equal("OK", Text(await client.DoAsync("SET", marker, "x")));
            Assert.Equal("x", Text(await SentinelClientKit.On(set, promoted, "GET", marker)));
            object? onOld;
            string stats;
            try
            {
                onOld = await SentinelClientKit.On(set, old, "GET", marker);
                stats = Text(await SentinelClientKit.On(set, old, "INFO", "commandstats"));
                if (await set.GetRoleAsync(old) != "master") break; // demoted: it replicates from now on
            }
            catch (RedisServerException ex) when (ex.Prefix == "LOADING")
            {
                break; // demoted and loading the new master's data
            }

            // Still a master at this point, so not replicating: whatever it holds, it got from clients.
            zombieChecks++;
            Assert.Null(onOld);
            Assert.DoesNotContain("cmdstat_set:", stats);
            Assert.DoesNotContain("cmdstat_rpush:", stats);
            await Task.Delay(200);
        }

        await writers.StopAsync();
        List<string> missing = await writers.MissingOnAsync(set, promoted);
        List<string> missingAfterSwitch = [.. missing.Where(m => TimeSpan.FromMilliseconds(double.Parse(m[(m.IndexOf('@') + 1)..^2], System.Globalization.CultureInfo.InvariantCulture)) >= switchAt)];
        Log($"client kill -9: the restarted old master was a zombie master for {zombieChecks} checks ({SentinelClientKit.Ms(zombie.Elapsed)}), and received no write from the client; " +
            $"acknowledged writes missing on the new master: {missing.Count} (asynchronous replication: acknowledged by the killed master, not yet replicated) {string.Join(",", missing.Take(10))}");
        Assert.True(zombieChecks > 0, "the restarted old master was never seen as a master: nothing was checked");
        Assert.Empty(missingAfterSwitch);
        await set.WaitForHealthyAsync();
    }
}
