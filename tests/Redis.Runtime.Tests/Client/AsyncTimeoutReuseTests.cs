using System.Text;

namespace Redis.Tests.Client;

/// <summary>
/// The async command timeout with pooled operations whose timer stays scheduled across calls (it is
/// re-armed by the firing timer rather than twice per call): a call made after many quick calls on the
/// same objects, and after their timers fired with nothing to do, still times out, and quick calls never do.
/// </summary>
public class AsyncTimeoutReuseTests
{
    private static async ValueTask<string?> Slow(string reply)
    {
        await Task.Delay(1500);
        return ScriptedServer.Bulk(reply);
    }

    [Fact]
    public async Task SlowAsyncCall_AfterManyQuickCallsAndIdleTimerFirings_StillTimesOut_AndQuickCallsDoNot()
    {
        await using var server = ScriptedServer.Simple(c => c[0] == "ECHO" && c[1] == "slow" ? Slow("slow") : null);
        await using var client = RedisClient.Connect("tcp", server.Address, clientOptions: new ClientOptions { CommandTimeout = TimeSpan.FromMilliseconds(200) });
        for (int round = 0; round < 3; round++)
        {
            // Many quick calls: the pooled operations' timers are left scheduled at old deadlines.
            for (int i = 0; i < 500; i++)
            {
                string mine = $"q{round}:{i}";
                Assert.Equal(mine, Encoding.UTF8.GetString((byte[])(await client.DoAsync("ECHO", mine))!));
                Assert.Equal(mine, await client.ExecuteAsync<Redis.Tests.Shared.TestCommands.Echo, StringParser, string?>(new(mine), default));
            }
            // The reply comes after 1500 ms, the timeout is 200 ms: only a working timer ends the wait with a timeout.
            await Assert.ThrowsAsync<RedisTimeoutException>(async () => await client.DoAsync("ECHO", "slow"));
            await Assert.ThrowsAsync<RedisTimeoutException>(async () => await client.ExecuteAsync<Redis.Tests.Shared.TestCommands.Echo, StringParser, string?>(new("slow"), default));
            // Let the late replies arrive (they are dropped) and the leftover timers fire with nothing to do.
            for (int i = 0; i < 300 && client.Stats.Replies < client.Stats.Commands; i++) await Task.Delay(20);
        }
        Assert.Equal("last", Encoding.UTF8.GetString((byte[])(await client.DoAsync("ECHO", "last"))!));
        Assert.Equal(1, server.Connections);
    }
}
