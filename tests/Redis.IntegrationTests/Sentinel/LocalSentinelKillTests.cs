using System.Diagnostics;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests.Sentinel;

/// <summary>
/// kill -9 of the master of a local Sentinel set of the test's own, checked with the low-level connection: the sentinels
/// promote the replica, and the old master, restarted, rejoins as a replica. Timings are logged, never asserted.
/// </summary>
[Trait("Server", "RedisOnly")]
public class LocalSentinelKillTests(ITestOutputHelper output)
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
    public async Task KillTheMaster_TheSentinelsPromoteTheReplica_AndTheRestartedOldMasterRejoinsAsReplica()
    {
        await using LocalSentinelSet set = await DedicatedSentinelSet.StartAsync(options: new LocalSentinelOptions { Log = Log });
        LocalSentinelNode old = await set.GetMasterAsync();
        LocalSentinelNode replica = set.DataNodes[1];
        string key = SentinelFixture.Key("kill");
        await old.ExecuteAsync("SET", key, "kept");
        Assert.Equal(1L, await old.ExecuteAsync("WAIT", "1", "5000"));

        await using (PubSubConn sub = await SentinelFixture.SubscribeAsync(set, set.Sentinels[0], SwitchMaster))
        {
            var clock = Stopwatch.StartNew();
            Task<(TimeSpan At, string Text)> switched = Task.Run(async () =>
            {
                Message message = await SentinelFixture.ReceiveAsync(sub, SwitchMaster, SwitchWait);
                return (clock.Elapsed, message.Text);
            });
            await set.KillAsync(old);
            LocalSentinelNode promoted = await set.WaitForMasterChangeAsync(old, SwitchWait);
            TimeSpan agreed = clock.Elapsed;
            (TimeSpan at, string text) = await switched;
            Log($"sentinel kill -9 of the master: +switch-master on {set.Sentinels[0].Address} {at.TotalMilliseconds:0} ms; every sentinel names the new master (ROLE master) {agreed.TotalMilliseconds:0} ms");

            Assert.Same(replica, promoted);
            Assert.Equal($"{set.MasterName} 127.0.0.1 {old.Port} 127.0.0.1 {promoted.Port}", text);
        }

        Assert.False(old.IsRunning);
        Assert.Null(old.ProcessId);
        await using (IConn conn = SentinelFixture.Dial(replica, Bounded))
        {
            Assert.Equal("kept", Text(conn.Do("GET", key)));
        }

        // Killed before Sentinel could rewrite its config, it comes back a master (a "zombie") until Sentinel demotes it;
        // RestartAsync waits for that.
        var restart = Stopwatch.StartNew();
        await set.RestartAsync(old);
        Log($"sentinel restart of the killed old master: back as a replica, set healthy after {restart.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(old.IsRunning);
        Assert.Equal("slave", await set.GetRoleAsync(old));
        Assert.Same(replica, await set.GetMasterAsync());
    }
}
