using System.Text;

namespace Redis.Tests.Client;

/// <summary>
/// Write coalescing of <see cref="RedisClient"/> for a caller that starts several async calls before awaiting
/// any (see <c>WriteBurst</c>): the burst goes out at the caller's first await, each reply still reaches its
/// own caller, and a burst that is never awaited on its thread is written anyway.
/// </summary>
public class WriteBurstTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static string Text(object? reply) => reply is byte[] b ? Encoding.UTF8.GetString(b) : throw new Xunit.Sdk.XunitException("expected a bulk string");

    [Fact]
    public async Task CallsStartedThenAwaited_GoOutInAtMostTwoWrites_AndEachCallerGetsItsOwnReply()
    {
        await using var server = ScriptedServer.Simple();
        await using var client = await RedisClient.ConnectAsync("tcp", server.Address);
        // A slow machine may preempt the caller mid-burst for longer than the 1 ms backstop: that would split
        // the burst (correctly, but this test counts writes).
        client.BurstTimeoutMilliseconds = 60_000;
        for (int i = 0; i < 100; i++) await client.DoAsync("SET", "k" + i, "v" + i);

        for (int round = 0; round < 5; round++)
        {
            long writes = client.Stats.Writes;
            var pending = new ValueTask<object?>[100];
            for (int i = 0; i < pending.Length; i++) pending[i] = client.DoAsync("GET", "k" + i);
            for (int i = 0; i < pending.Length; i++) Assert.Equal("v" + i, Text(await pending[i]));
            // The first call finds the connection idle and is written at once; the other 99 at the first await.
            Assert.InRange(client.Stats.Writes - writes, 1, 2);
        }
    }

    [Fact]
    public async Task ABurstItsThreadNeverAwaits_IsWrittenByTheBackstop()
    {
        await using var server = ScriptedServer.Simple();
        await using var client = await RedisClient.ConnectAsync("tcp", server.Address);
        Assert.Equal("OK", await client.DoAsync("SET", "k", "v"));

        // A thread starts calls and ends without waiting for any of them (fire and forget).
        var pending = new ValueTask<object?>[10];
        var starter = new Thread(() =>
        {
            for (int i = 0; i < pending.Length; i++) pending[i] = client.DoAsync("GET", "k");
        });
        starter.Start();
        starter.Join();

        // Waiting here (another thread) does not end that thread's burst: only the backstop can write it.
        Task<object?[]> all = Task.WhenAll(pending.Select(p => p.AsTask()));
        object?[] replies = await all.WaitAsync(Bound);
        Assert.All(replies, reply => Assert.Equal("v", Text(reply)));
    }

    [Fact]
    public async Task ABurstOnOneClient_IsNotHeldUpByCallsOnAnother()
    {
        await using var server = ScriptedServer.Simple();
        await using var first = await RedisClient.ConnectAsync("tcp", server.Address);
        await using var second = await RedisClient.ConnectAsync("tcp", server.Address);
        first.BurstTimeoutMilliseconds = 60_000;
        second.BurstTimeoutMilliseconds = 60_000;
        Assert.Equal("OK", await first.DoAsync("SET", "k", "v"));

        // Calls alternate between two clients (a fan-out), then are awaited: every one completes without the
        // backstop, since each client's burst is written when the thread awaits.
        var pending = new List<ValueTask<object?>>();
        for (int i = 0; i < 20; i++)
        {
            pending.Add(first.DoAsync("GET", "k"));
            pending.Add(first.DoAsync("GET", "k"));
            pending.Add(second.DoAsync("GET", "k"));
        }
        foreach (ValueTask<object?> call in pending) Assert.Equal("v", Text(await call.AsTask().WaitAsync(Bound)));
    }
}
