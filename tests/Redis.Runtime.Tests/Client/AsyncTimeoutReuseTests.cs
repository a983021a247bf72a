using System.Text;

namespace Redis.Tests.Client;

/// <summary>
/// The async command timeout with pooled operations whose timer stays scheduled across calls (it is
/// re-armed by the firing timer rather than twice per call): a call made after many quick calls on the
/// same objects, and after their timers fired with nothing to do, still times out, and quick calls never do.
/// </summary>
public class AsyncTimeoutReuseTests
{
    // The slow replies wait for the test to let them go (or 30 s, so a broken timer fails the test rather than hanging it):
    // no race between the timeout and a fixed delay, so the timeout can be long enough that a quick call on a loaded
    // machine never reaches it.
    private readonly SemaphoreSlim _release = new(0);

    private async ValueTask<string?> Slow(string reply)
    {
        await _release.WaitAsync(TimeSpan.FromSeconds(30));
        return ScriptedServer.Bulk(reply);
    }

    [Fact]
    public async Task SlowAsyncCall_AfterManyQuickCallsAndIdleTimerFirings_StillTimesOut_AndQuickCallsDoNot()
    {
        await using var server = ScriptedServer.Simple(c => c[0] == "ECHO" && c[1] == "slow" ? Slow("slow") : null);
        await using var client = RedisClient.Connect("tcp", server.Address, clientOptions: new ClientOptions { CommandTimeout = TimeSpan.FromSeconds(1) });
        for (int round = 0; round < 3; round++)
        {
            // Many quick calls: the pooled operations' timers are left scheduled at old deadlines.
            for (int i = 0; i < 500; i++)
            {
                string mine = $"q{round}:{i}";
                Assert.Equal(mine, Encoding.UTF8.GetString((byte[])(await client.DoAsync("ECHO", mine))!));
                Assert.Equal(mine, await client.ExecuteAsync<Redis.Tests.Shared.TestCommands.Echo, StringParser, string?>(new(mine), default));
            }
            // The reply is held back until both calls ended: only a working timer ends the wait, with a timeout.
            await Assert.ThrowsAsync<RedisTimeoutException>(async () => await client.DoAsync("ECHO", "slow"));
            await Assert.ThrowsAsync<RedisTimeoutException>(async () => await client.ExecuteAsync<Redis.Tests.Shared.TestCommands.Echo, StringParser, string?>(new("slow"), default));
            _release.Release(2);
            // Let the late replies arrive (they are dropped) and the leftover timers fire with nothing to do.
            for (int i = 0; i < 300 && client.Stats.Replies < client.Stats.Commands; i++) await Task.Delay(20);
        }
        Assert.Equal("last", Encoding.UTF8.GetString((byte[])(await client.DoAsync("ECHO", "last"))!));
        Assert.Equal(1, server.Connections);
    }
}
