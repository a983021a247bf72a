using System.Diagnostics;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests.Sentinel;

/// <summary>
/// SIGSTOP of the master (no TCP reset: the client's connection just stops answering) under 8 writers, on a set of the
/// test's own: the sentinels fail over and the client moves on +switch-master. Timings are logged.
/// </summary>
[Trait("Server", "RedisOnly")]
public class SentinelClientPauseTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private void Log(string line)
    {
        output.WriteLine(line);
        Console.Error.WriteLine(line);
    }

    [SkippableFact]
    public async Task PauseTheMaster_NoTcpReset_ClientMovesToTheNewMaster()
    {
        await using LocalSentinelSet set = await DedicatedSentinelSet.StartAsync(options: new LocalSentinelOptions { Log = Log });
        LocalSentinelNode old = await set.GetMasterAsync();
        await using RedisClient client = RedisClient.Connect(SentinelClientKit.For(set), null, SentinelClientKit.ClientOptions);
        var clock = Stopwatch.StartNew();
        Task<TimeSpan> switched = await SentinelClientKit.WatchSwitchAsync(set, clock, TimeSpan.FromSeconds(30));
        var writers = new Writers(client, SentinelFixture.Key("pause"), 8, clock);
        await writers.WaitForAcksAfterAsync(TimeSpan.Zero, 200, Bound);

        TimeSpan start = clock.Elapsed;
        await set.PauseAsync(old);
        try
        {
            LocalSentinelNode promoted = await set.WaitForMasterChangeAsync(old, TimeSpan.FromSeconds(30));
            TimeSpan switchAt = await switched;
            await writers.WaitForAcksAfterAsync(switchAt, 100, Bound);
            TimeSpan served = writers.FirstAckAfter(switchAt)!.Value;
            string marker = SentinelFixture.Key("pause-marker");
            await client.DoAsync("SET", marker, "new");
            Assert.Equal("new", Text(await SentinelClientKit.On(set, promoted, "GET", marker)));
            await writers.StopAsync();
            List<string> missing = await writers.MissingOnAsync(set, promoted);
            (TimeSpan gap, _) = writers.LongestGap();
            Log($"client SIGSTOP of the master {old.Address} -> {promoted.Address}: +switch-master {SentinelClientKit.Ms(switchAt - start)}, switch -> first write {SentinelClientKit.Ms(served - switchAt)}; longest write gap {SentinelClientKit.Ms(gap)}; {writers.Failures} writes failed ({writers.ErrorSample}); acknowledged but missing on the new master: {missing.Count}");
            Assert.True(served - switchAt < Bound, $"first write {SentinelClientKit.Ms(served - switchAt)} after +switch-master");
            Assert.DoesNotContain(missing, m => TimeSpan.FromMilliseconds(double.Parse(m[(m.IndexOf('@') + 1)..^2], System.Globalization.CultureInfo.InvariantCulture)) >= switchAt);
        }
        finally
        {
            await set.ResumeAsync(old);
        }
    }
}
