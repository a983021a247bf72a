using System.Diagnostics;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redis.Tests;

/// <summary>
/// <see cref="RedisClient"/> when things go wrong on a real server: the shared connection killed under
/// load, a slow command that makes callers time out or cancel, disposal with commands in flight. In
/// every case callers fail cleanly and no reply ever reaches the wrong caller.
/// </summary>
[Collection(ServerCollection.Name)]
public class ClientFailureTests(ServerFixture fixture, ITestOutputHelper output)
{
    // Busy-waits in the server for the given milliseconds: the server answers nobody meanwhile.
    private const string BusyScript =
        "local t = redis.call('TIME') local start = t[1] * 1000000 + t[2] " +
        "while true do local n = redis.call('TIME') if (n[1] * 1000000 + n[2]) - start > tonumber(ARGV[1]) * 1000 then break end end " +
        "return 'slow'";

    // Long enough that a timeout (100 ms) or a cancellation (after 100 ms) ends the waits well before it.
    private const int ScriptMilliseconds = 1500;

    [Fact]
    public async Task KillingTheSharedConnectionUnderLoad_FailsInFlightCallersCleanly_AndTheClientRecovers()
    {
        string prefix = ServerFixture.Key("kill");
        await using RedisClient client = RedisClient.Connect("tcp", fixture.Server.Address, clientOptions: new ClientOptions
        {
            CommandTimeout = TimeSpan.FromSeconds(30),
            ReconnectDelay = TimeSpan.FromMilliseconds(20),
        });
        long firstId = Reply.Int64(client.Do("CLIENT", "ID"));
        using var stop = new CancellationTokenSource();
        long ok = 0, failed = 0;
        var otherFailures = new List<Exception>();

        async Task Caller(int id, bool sync)
        {
            string key = $"{prefix}:{id}";
            for (int seq = 0; !stop.IsCancellationRequested; seq++)
            {
                string mine = $"{id}:{seq}";
                try
                {
                    object? set = sync ? client.Do("SET", key, mine) : await client.DoAsync("SET", key, mine);
                    Assert.Equal("OK", set);
                    object? got = sync ? client.Do("GET", key) : await client.DoAsync("GET", key);
                    Assert.Equal(mine, Exec.Text(got));
                    Interlocked.Increment(ref ok);
                }
                catch (RedisConnectionException)
                {
                    Interlocked.Increment(ref failed);
                }
                catch (Exception ex)
                {
                    lock (otherFailures) otherFailures.Add(ex);
                    return;
                }
            }
        }

        Task[] callers = Enumerable.Range(0, 32)
            .Select(id => id % 2 == 0
                ? Task.Factory.StartNew(() => Caller(id, sync: true).GetAwaiter().GetResult(), TaskCreationOptions.LongRunning)
                : Task.Run(() => Caller(id, sync: false)))
            .ToArray();

        using IConn admin = fixture.Dial();
        for (int kill = 0; kill < 2; kill++)
        {
            await WaitUntil(() => Interlocked.Read(ref ok) > 2000 * (kill + 1));
            long id = Reply.Int64(await client.DoAsync("CLIENT", "ID"));
            Assert.Equal(1L, admin.Do("CLIENT", "KILL", "ID", id));
            long failedBefore = Interlocked.Read(ref failed);
            await WaitUntil(() => Interlocked.Read(ref failed) > failedBefore || client.Stats.Reconnects > kill);
            await WaitUntil(() => client.IsConnected);
        }
        long okAfterKills = Interlocked.Read(ref ok);
        await WaitUntil(() => Interlocked.Read(ref ok) > okAfterKills + 2000);
        stop.Cancel();
        await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(60));

        output.WriteLine($"ok {ok}, failed with RedisConnectionException {failed}, stats {client.Stats}");
        Assert.Empty(otherFailures);
        Assert.True(failed > 0, "no caller saw the connection die");
        Assert.Equal(2, client.Stats.Reconnects);
        Assert.NotEqual(firstId, Reply.Int64(client.Do("CLIENT", "ID")));
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    [Trait("Server", "RedisOnly")]
    public async Task CallersTimedOutOrCancelledBehindASlowCommand_LeaveTheConnectionInStep(bool cancel)
    {
        // A server of its own: the busy script stalls every client of the server it runs on.
        await using TestServer server = await DedicatedServer.StartAsync(new TestServerOptions { Reason = "a slow Lua script stalls the server" });
        string prefix = ServerFixture.Key("slow");
        await using RedisClient client = RedisClient.Connect("tcp", server.Address, clientOptions: new ClientOptions
        {
            CommandTimeout = cancel ? TimeSpan.FromSeconds(30) : TimeSpan.FromMilliseconds(100),
        });
        long connectionId = Reply.Int64(client.Do("CLIENT", "ID"));
        for (int i = 0; i < 20; i++) client.Do("SET", $"{prefix}:{i}", $"value {i}");

        using var cts = new CancellationTokenSource();
        CancellationToken token = cancel ? cts.Token : CancellationToken.None;
        var watch = Stopwatch.StartNew();
        Task<object?> slow = client.DoAsync("EVAL", [BusyScript, 0, ScriptMilliseconds], token).AsTask();
        // Queued behind the script: these all wait for it and give up (or are cancelled) first.
        Task<object?>[] behind = Enumerable.Range(0, 20).Select(i => client.DoAsync("GET", [$"{prefix}:{i}"], token).AsTask()).ToArray();
        object? syncOutcome = null;
        Task syncCaller = Task.Factory.StartNew(() =>
        {
            try
            {
                syncOutcome = client.Do("GET", $"{prefix}:0");
            }
            catch (Exception ex)
            {
                syncOutcome = ex;
            }
        }, TaskCreationOptions.LongRunning);
        if (cancel)
        {
            await Task.Delay(100);
            cts.Cancel();
        }

        // Had the waits not ended before the script did, these calls would have returned their replies.
        foreach (Task<object?> call in behind.Prepend(slow))
        {
            Exception error = await Assert.ThrowsAnyAsync<Exception>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.True(cancel ? error is OperationCanceledException : error is RedisTimeoutException, error.ToString());
        }
        await syncCaller.WaitAsync(TimeSpan.FromSeconds(10));
        // The sync caller had no token: it waits for the script when only cancellation is in play.
        if (cancel) Assert.Equal("value 0", Exec.Text(syncOutcome));
        else Assert.IsType<RedisTimeoutException>(syncOutcome);

        // Once the script ends, the late replies are read and dropped; new callers get their own.
        TimeSpan rest = TimeSpan.FromMilliseconds(ScriptMilliseconds + 300) - watch.Elapsed;
        if (rest > TimeSpan.Zero) await Task.Delay(rest);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal($"value {i}", Exec.Text(await client.DoAsync("GET", $"{prefix}:{i}")));
            Assert.Equal($"value {i}", Exec.Text(client.Do("GET", $"{prefix}:{i}")));
        }
        Assert.Equal(connectionId, Reply.Int64(client.Do("CLIENT", "ID")));
        Assert.Equal(0, client.Stats.Reconnects);
    }

    [Fact]
    public async Task DisposingWithCommandsInFlight_FailsThemCleanly_NeverWithAWrongReply()
    {
        string prefix = ServerFixture.Key("dispose");
        var client = RedisClient.Connect("tcp", fixture.Server.Address);
        for (int i = 0; i < 50; i++) client.Do("SET", $"{prefix}:{i}", $"value {i}");
        Task<object?>[] calls = Enumerable.Range(0, 2000).Select(i => client.DoAsync("GET", $"{prefix}:{i % 50}").AsTask()).ToArray();
        await client.DisposeAsync();

        int answered = 0, failed = 0;
        for (int i = 0; i < calls.Length; i++)
        {
            try
            {
                Assert.Equal($"value {i % 50}", Exec.Text(await calls[i].WaitAsync(TimeSpan.FromSeconds(10))));
                answered++;
            }
            catch (RedisConnectionException)
            {
                failed++;
            }
            catch (ObjectDisposedException)
            {
                failed++;
            }
        }
        output.WriteLine($"{answered} answered before the dispose, {failed} failed cleanly");
        Assert.Equal(calls.Length, answered + failed);
        Assert.Throws<ObjectDisposedException>(() => client.Do("PING"));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("the condition did not become true in time");
            await Task.Delay(10);
        }
    }
}
