using System.Diagnostics;
using System.Text;
using static Redis.Tests.Shared.TestCommands;

namespace Redis.Tests.Client;

/// <summary>
/// <see cref="RedisClient"/> against a scripted server: reply matching, error replies, cancellation and
/// timeouts that keep the connection in step, push frames, killed connections, outages, disposal, routing.
/// </summary>
public class RedisClientTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static ClientOptions Options(TimeSpan? commandTimeout = null, Action<RedisPush>? push = null) => new()
    {
        CommandTimeout = commandTimeout ?? TimeSpan.FromSeconds(10),
        ReconnectDelay = TimeSpan.FromMilliseconds(20),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(100),
        PushHandler = push,
    };

    private static string Text(object? reply) => reply switch
    {
        byte[] b => Encoding.UTF8.GetString(b),
        string s => s,
        _ => throw new Xunit.Sdk.XunitException($"expected text, got {reply?.GetType().Name ?? "nil"}"),
    };

    [Fact]
    public async Task DoAndDoAsync_ReturnEachCallerItsOwnReply()
    {
        await using var server = ScriptedServer.Simple();
        await using var client = await RedisClient.ConnectAsync("tcp", server.Address, clientOptions: Options());
        Assert.Equal("OK", client.Do("SET", "k", "v"));
        Assert.Equal("v", Text(client.Do("GET", "k")));
        Assert.Equal("v", Text(await client.DoAsync("GET", "k")));
        Assert.Null(await client.DoAsync("GET", "missing"));
        Assert.Equal(1L, client.Execute<Incr, Int64Parser, long>(new Incr("n"), default));
        Assert.Equal(2L, await client.ExecuteAsync<Incr, Int64Parser, long>(new Incr("n"), default));
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task ErrorReply_IsThrown_AndTheConnectionIsKept()
    {
        await using var server = ScriptedServer.Simple(c => c[0] == "BAD" ? ValueTask.FromResult<string?>("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n") : null);
        using var client = RedisClient.Connect("tcp", server.Address, clientOptions: Options());
        var error = Assert.Throws<RedisServerException>(() => client.Do("BAD"));
        Assert.Equal("WRONGTYPE", error.Prefix);
        await Assert.ThrowsAsync<RedisServerException>(async () => await client.DoAsync("BAD"));
        Assert.Equal("x", Text(client.Do("ECHO", "x")));
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task ManyConcurrentCallers_GetTheirOwnReplies_InBatchedWrites()
    {
        await using var server = ScriptedServer.Simple();
        await using var client = RedisClient.Connect("tcp", server.Address, clientOptions: Options());
        // Sync callers on threads of their own, async ones on the pool (sync callers on pool threads are
        // SyncCallersOnPoolThreads_NeverWaitForThePool's subject).
        await Task.WhenAll(Enumerable.Range(0, 32).Select(caller => caller % 4 == 0
            ? Task.Factory.StartNew(() =>
            {
                for (int i = 0; i < 300; i++)
                {
                    string mine = $"{caller}:{i}";
                    Assert.Equal(mine, i % 2 == 0 ? Text(client.Do("ECHO", mine)) : client.Execute<Echo, StringParser, string?>(new Echo(mine), default));
                }
            }, TaskCreationOptions.LongRunning)
            : Task.Run(async () =>
            {
                for (int i = 0; i < 300; i++)
                {
                    string mine = $"{caller}:{i}";
                    string reply = i % 2 == 0
                        ? Text(await client.DoAsync("ECHO", mine))
                        : await client.ExecuteAsync<Echo, StringParser, string?>(new Echo(mine), default) ?? "";
                    Assert.Equal(mine, reply);
                }
            }))).WaitAsync(TimeSpan.FromSeconds(60));
        ClientStats stats = client.Stats;
        Assert.Equal(32 * 300, stats.Commands);
        Assert.Equal(stats.Commands, stats.Replies);
        Assert.True(stats.Writes < stats.Commands, $"expected batched writes: {stats}");
    }

    [Fact]
    public async Task SyncCallersOnPoolThreads_NeverWaitForThePool()
    {
        // 64 pool work items block in sync calls at once: far more than the pool's minimum threads. If a
        // sync call needed another pool thread to complete (sync over async), this would crawl at the
        // pool's thread-injection rate; here the reader thread completes them.
        await using var server = ScriptedServer.Simple();
        await using var client = RedisClient.Connect("tcp", server.Address, clientOptions: Options());
        await Task.WhenAll(Enumerable.Range(0, 64).Select(caller => Task.Run(() =>
        {
            for (int i = 0; i < 50; i++) Assert.Equal($"{caller}:{i}", Text(client.Do("ECHO", $"{caller}:{i}")));
        }))).WaitAsync(Bound);
        Assert.Equal(64 * 50, client.Stats.Replies);
    }

    [Fact]
    public async Task Cancellation_EndsTheWaitAtOnce_AndTheLateReplyIsDropped()
    {
        var gate = new TaskCompletionSource();
        await using var server = ScriptedServer.Simple(c => c[0] == "SLOW" ? Slow(gate.Task, "late") : null);
        await using var client = RedisClient.Connect("tcp", server.Address, clientOptions: Options());
        client.Do("SET", "k", "mine");

        using var cts = new CancellationTokenSource();
        ValueTask<object?> slow = client.DoAsync("SLOW", [], cts.Token);
        ValueTask<object?> queuedBehind = client.DoAsync("GET", "k");
        cts.Cancel();
        // The reply is held until the gate opens below: only the cancellation can end this wait.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow.AsTask().WaitAsync(Bound));

        gate.SetResult();
        Assert.Equal("mine", Text(await queuedBehind.AsTask().WaitAsync(Bound)));
        Assert.Equal("after", Text(await client.DoAsync("ECHO", "after")));
        Assert.Equal(1, server.Connections);
        Assert.Equal(0, client.Stats.Reconnects);
    }

    [Fact]
    public async Task AlreadyCancelledToken_SendsNothing()
    {
        await using var server = ScriptedServer.Simple();
        await using var client = RedisClient.Connect("tcp", server.Address, clientOptions: Options());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.DoAsync("SET", ["k", "v"], new CancellationToken(true)));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.ExecuteAsync<Incr, Int64Parser, long>(new Incr("n"), default, new CancellationToken(true)));
        Assert.Equal(0, client.Stats.Commands);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CommandTimeout_FailsTheCaller_ButKeepsTheConnectionInStep(bool useAsync)
    {
        // The reply is held until the call ended (or 30 s, so a timeout that never fires fails the test instead of hanging
        // it): a timeout exception, not the reply, shows the timeout ended the wait. No race with a fixed delay, so the
        // timeout can be long enough that quick calls on a loaded machine never reach it.
        var release = new TaskCompletionSource();
        await using var server = ScriptedServer.Simple(c => c[0] == "SLOW" ? Slow(Task.WhenAny(release.Task, Task.Delay(TimeSpan.FromSeconds(30))), "late") : null);
        await using var client = RedisClient.Connect("tcp", server.Address, clientOptions: Options(TimeSpan.FromSeconds(1)));
        var error = useAsync
            ? await Assert.ThrowsAsync<RedisTimeoutException>(async () => await client.DoAsync("SLOW"))
            : Assert.Throws<RedisTimeoutException>(() => client.Do("SLOW"));
        Assert.Contains("SLOW", error.Message);

        // The late reply arrives first and is dropped (bounded wait, not a timing assertion); the next caller gets its own.
        release.SetResult();
        await WaitUntil(() => client.Stats.Replies >= 1);
        Assert.Equal("next", Text(useAsync ? await client.DoAsync("ECHO", "next") : client.Do("ECHO", "next")));
        Assert.Equal(1, server.Connections);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task TypedTimeout_FailsTheCaller_AndTheNextTypedCallIsInStep()
    {
        // The slow replies are held until both calls ended (see CommandTimeout_FailsTheCaller_ButKeepsTheConnectionInStep).
        var release = new TaskCompletionSource();
        await using var server = ScriptedServer.Simple(c => c[0] == "ECHO" && c[1] == "slow" ? Slow(Task.WhenAny(release.Task, Task.Delay(TimeSpan.FromSeconds(30))), "slow") : null);
        await using var client = RedisClient.Connect("tcp", server.Address, clientOptions: Options(TimeSpan.FromSeconds(1)));
        await Assert.ThrowsAsync<RedisTimeoutException>(async () => await client.ExecuteAsync<Echo, StringParser, string?>(new Echo("slow"), default));
        Assert.Throws<RedisTimeoutException>(() => client.Execute<Echo, StringParser, string?>(new Echo("slow"), default));
        release.SetResult();
        // Both late replies are read and dropped (bounded wait, not a timing assertion), then the stream is in step.
        for (int i = 0; i < 300 && client.Stats.Replies < 2; i++) await Task.Delay(20);
        Assert.Equal(2, client.Stats.Replies);
        Assert.Equal("fast", client.Execute<Echo, StringParser, string?>(new Echo("fast"), default));
    }

    [Fact]
    public async Task PushFrames_GoToTheHandler_NeverToACaller()
    {
        var pushes = new List<RedisPush>();
        await using var server = ScriptedServer.Simple(c => c[0] == "GET" && c[1] == "p"
            ? ValueTask.FromResult<string?>(">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\np\r\n" + ScriptedServer.Bulk("value"))
            : null);
        await using var client = RedisClient.Connect("tcp", server.Address, clientOptions: Options(push: p => { lock (pushes) pushes.Add(p); }));
        Assert.Equal("value", Text(client.Do("GET", "p")));
        Assert.Equal("value", Text(await client.DoAsync("GET", "p")));
        await server.SendToAllAsync(">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nq\r\n");
        Assert.Equal("ok", Text(client.Do("ECHO", "ok")));
        lock (pushes)
        {
            Assert.Equal(3, pushes.Count);
            Assert.All(pushes, p => Assert.Equal("invalidate", p.Kind));
        }
    }

    [Fact]
    public async Task ThrowingPushHandler_IsIgnored_AndSyncCallsFromItAreRefused()
    {
        Exception? fromHandler = null;
        RedisClient? self = null;
        await using var server = ScriptedServer.Simple(c => c[0] == "GET" && c[1] == "p"
            ? ValueTask.FromResult<string?>(">1\r\n$4\r\nping\r\n" + ScriptedServer.Bulk("value"))
            : null);
        await using var client = RedisClient.Connect("tcp", server.Address, clientOptions: Options(push: _ =>
        {
            try
            {
                self!.Do("PING");
            }
            catch (Exception ex)
            {
                fromHandler = ex;
            }
            throw new InvalidOperationException("handler bug");
        }));
        self = client;
        Assert.Equal("value", Text(client.Do("GET", "p")));
        Assert.IsType<InvalidOperationException>(fromHandler);
        Assert.Contains("reader thread", fromHandler!.Message);
        Assert.Equal("PONG", client.Do("PING"));
    }

    [Fact]
    public async Task KilledConnection_FailsInFlightCallers_AndTheClientReconnects()
    {
        var gate = new TaskCompletionSource();
        await using var server = ScriptedServer.Simple(c => c[0] == "SLOW" ? Slow(gate.Task, "never") : null);
        await using var client = RedisClient.Connect("tcp", server.Address, clientOptions: Options());
        Task<object?>[] inFlight = Enumerable.Range(0, 10).Select(_ => client.DoAsync("SLOW").AsTask()).ToArray();
        Task<object?> syncCaller = Task.Factory.StartNew(() => client.Do("SLOW"), TaskCreationOptions.LongRunning);
        await WaitUntil(() => server.Commands >= 11);

        server.KillConnections();
        foreach (Task<object?> call in inFlight.Append(syncCaller))
        {
            await Assert.ThrowsAsync<RedisConnectionException>(() => call.WaitAsync(Bound));
        }
        gate.SetResult();

        Assert.Equal("again", Text(await client.DoAsync("ECHO", "again").AsTask().WaitAsync(Bound)));
        Assert.Equal("sync", Text(client.Do("ECHO", "sync")));
        Assert.Equal(1, client.Stats.Reconnects);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task ServerDown_CallersFailFast_ThenTheClientRecovers()
    {
        await using var server = ScriptedServer.Simple();
        await using var client = RedisClient.Connect("tcp", server.Address, clientOptions: Options());
        Assert.Equal("PONG", client.Do("PING"));

        await server.GoDownAsync();
        await WaitUntil(() => !client.IsConnected);
        await Assert.ThrowsAnyAsync<RedisConnectionException>(async () =>
        {
            // Until the reader notices, a call may still be written to the dead socket; either way it fails.
            for (int i = 0; i < 100; i++) await client.DoAsync("PING").AsTask().WaitAsync(Bound);
        });

        server.ComeBack();
        object? reply = null;
        await WaitUntil(() =>
        {
            try
            {
                reply = client.Do("PING");
                return true;
            }
            catch (RedisConnectionException)
            {
                return false;
            }
        });
        Assert.Equal("PONG", reply);
        Assert.True(client.Stats.Reconnects >= 1);
    }

    [Fact]
    public async Task Dispose_FailsPendingCallers_AndLaterCallsThrowObjectDisposed()
    {
        var gate = new TaskCompletionSource();
        await using var server = ScriptedServer.Simple(c => c[0] == "SLOW" ? Slow(gate.Task, "never") : null);
        var client = RedisClient.Connect("tcp", server.Address, clientOptions: Options());
        Task<object?> asyncCaller = client.DoAsync("SLOW").AsTask();
        Task<long> typedCaller = client.ExecuteAsync<Incr, Int64Parser, long>(new Incr("n"), default).AsTask();
        Task<object?> syncCaller = Task.Factory.StartNew(() => client.Do("SLOW"), TaskCreationOptions.LongRunning);
        await WaitUntil(() => server.Commands >= 3);

        client.Dispose();
        await Assert.ThrowsAsync<RedisConnectionException>(() => asyncCaller.WaitAsync(Bound));
        await Assert.ThrowsAsync<RedisConnectionException>(() => typedCaller.WaitAsync(Bound));
        await Assert.ThrowsAsync<RedisConnectionException>(() => syncCaller.WaitAsync(Bound));
        Assert.Throws<ObjectDisposedException>(() => client.Do("PING"));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await client.DoAsync("PING"));
        Assert.Throws<ObjectDisposedException>(() => client.GetDedicated());
        Assert.False(client.IsConnected);
        client.Dispose(); // idempotent
        gate.SetResult();
    }

    [Fact]
    public async Task StatefulCommands_AreRefused_WithTheAlternative()
    {
        await using var server = ScriptedServer.Simple();
        await using var client = RedisClient.Connect("tcp", server.Address, clientOptions: Options());
        Assert.Contains("Transaction(", Assert.Throws<InvalidOperationException>(() => client.Do("MULTI")).Message);
        Assert.Contains("CreatePubSub", (await Assert.ThrowsAsync<InvalidOperationException>(async () => await client.DoAsync("SUBSCRIBE", "c"))).Message);
        Assert.Contains("GetDedicated", Assert.Throws<InvalidOperationException>(() => client.Do("monitor")).Message);
        Assert.Contains("DialOptions", Assert.Throws<InvalidOperationException>(() => client.Do("SELECT", 1)).Message);
        Assert.Contains("MULTI", Assert.Throws<InvalidOperationException>(() => client.Execute<Multi, OkParser, bool>(default, default)).Message);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await client.ExecuteAsync<Multi, OkParser, bool>(default, default));
        Assert.Throws<ArgumentException>(() => client.Do(""));
        Assert.Throws<ArgumentException>(() => client.Do("SET", "k", new object()));
        Assert.Equal("PONG", client.Do("PING"));
        Assert.Equal(1, server.Commands); // nothing refused reached the server
    }

    [Fact]
    public async Task BlockingCommands_RunOnADedicatedConnection()
    {
        var release = new TaskCompletionSource();
        await using var server = ScriptedServer.Simple(c => c[0] == "BLPOP" ? Slow(release.Task, "item") : null);
        await using var client = RedisClient.Connect("tcp", server.Address, clientOptions: Options());
        Task<object?> blocked = client.DoAsync("BLPOP", "list", 0).AsTask();
        await WaitUntil(() => server.Connections == 2);
        // The shared connection keeps going while BLPOP blocks its own.
        for (int i = 0; i < 20; i++) Assert.Equal($"{i}", Text(client.Do("ECHO", $"{i}")));
        Assert.False(blocked.IsCompleted);
        release.SetResult();
        Assert.Equal("item", Text(await blocked.WaitAsync(Bound)));
        Assert.Equal(1, client.Stats.DedicatedCommands);
    }

    [Fact]
    public async Task ConnectFailures_AreReported()
    {
        int port;
        await using (var server = ScriptedServer.Simple()) port = server.Port;
        Assert.ThrowsAny<RedisConnectionException>(() => RedisClient.Connect("tcp", $"127.0.0.1:{port}"));
        await Assert.ThrowsAnyAsync<RedisConnectionException>(async () => await RedisClient.ConnectAsync("tcp", $"127.0.0.1:{port}"));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await RedisClient.ConnectAsync("tcp", $"127.0.0.1:{port}", cancellationToken: new CancellationToken(true)));
        Assert.Throws<ArgumentException>(() => RedisClient.Connect("tcp", "127.0.0.1:1", clientOptions: new ClientOptions { CommandTimeout = TimeSpan.FromSeconds(-2) }));
    }

    [Fact]
    public void ReplyTimeout_MustNotBeNegative()
    {
        var ex = Assert.Throws<ArgumentException>(() => RedisClient.Connect("tcp", "127.0.0.1:1", clientOptions: new ClientOptions { ReplyTimeout = TimeSpan.FromSeconds(-1) }));
        Assert.Equal("ReplyTimeout", ex.ParamName);
    }

    [Fact]
    public async Task TypedSyncCalls_AllocateNothingOnTheCallingThread()
    {
        await using var server = ScriptedServer.Simple();
        await using var client = RedisClient.Connect("tcp", server.Address, clientOptions: Options());
        var command = new Incr("counter");
        for (int i = 0; i < 200; i++) client.Execute<Incr, Int64Parser, long>(command, default);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) client.Execute<Incr, Int64Parser, long>(command, default);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task TypedSyncCallsCarryingTheirTableId_AllocateNothingOnTheCallingThread()
    {
        await using var server = ScriptedServer.Simple();
        await using var client = RedisClient.Connect("tcp", server.Address, clientOptions: Options());
        var command = new IncrWithId("counter");
        for (int i = 0; i < 200; i++) client.Execute<IncrWithId, Int64Parser, long>(command, default);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) client.Execute<IncrWithId, Int64Parser, long>(command, default);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(1201L, client.Execute<IncrWithId, Int64Parser, long>(command, default)); // every call reached the server
    }

    [Fact]
    public async Task ATypedCommandCarryingItsTableId_IsRoutedByTheId_BeforeItIsEncoded()
    {
        await using var server = ScriptedServer.Simple();
        await using var client = RedisClient.Connect("tcp", server.Address, clientOptions: Options());
        // The command writes PING, but its id says SUBSCRIBE: the refusal names SUBSCRIBE and nothing is sent.
        Assert.Contains("SUBSCRIBE", Assert.Throws<InvalidOperationException>(() => client.Execute<PingCarryingSubscribeId, OkParser, bool>(default, default)).Message);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await client.ExecuteAsync<PingCarryingSubscribeId, OkParser, bool>(default, default));
        Assert.Equal(0, server.Commands);
    }

    /// <summary>INCR carrying its table id, as generated commands do.</summary>
    private readonly struct IncrWithId(string key) : IRespCommand
    {
        private static readonly int s_id = Redis.CommandTable.IdOf("INCR");

        static int IRespCommand.CommandId => s_id;

        public void WriteTo(RespWriter writer)
        {
            writer.WriteArrayHeader(2);
            writer.WriteBulkString("INCR"u8);
            writer.WriteBulkString(key);
        }
    }

    /// <summary>Writes PING but carries the id of SUBSCRIBE: shows which of the two routes it.</summary>
    private readonly struct PingCarryingSubscribeId : IRespCommand
    {
        private static readonly int s_id = Redis.CommandTable.IdOf("SUBSCRIBE");

        static int IRespCommand.CommandId => s_id;

        public void WriteTo(RespWriter writer)
        {
            writer.WriteArrayHeader(1);
            writer.WriteBulkString("PING"u8);
        }
    }

    [Fact]
    public async Task Torture_DelaysTimeoutsCancellationsAndKills_NeverHandAReplyToTheWrongCaller()
    {
        // Replies are sometimes late (some callers time out, some cancel), and the connection is killed
        // every few hundred milliseconds. Each caller only ever accepts its own value or a clean failure.
        await using var server = ScriptedServer.Simple(c => c[0] == "ECHO" && Random.Shared.Next(20) == 0 ? Slow(Task.Delay(Random.Shared.Next(1, 60)), c[1]) : null);
        await using var client = RedisClient.Connect("tcp", server.Address, clientOptions: Options(TimeSpan.FromMilliseconds(40)));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        long answered = 0, timedOut = 0, cancelled = 0, lost = 0;

        async Task Caller(int id, bool sync)
        {
            for (int seq = 0; !stop.IsCancellationRequested; seq++)
            {
                string mine = $"{id}:{seq}";
                try
                {
                    object? reply;
                    if (sync)
                    {
                        reply = client.Do("ECHO", mine);
                    }
                    else
                    {
                        using var cts = new CancellationTokenSource();
                        if (seq % 7 == 0) cts.CancelAfter(Random.Shared.Next(0, 3));
                        reply = await client.DoAsync("ECHO", [mine], cts.Token);
                    }
                    Assert.Equal(mine, Text(reply));
                    Interlocked.Increment(ref answered);
                }
                catch (RedisTimeoutException)
                {
                    Interlocked.Increment(ref timedOut);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelled);
                }
                catch (RedisConnectionException)
                {
                    Interlocked.Increment(ref lost);
                }
            }
        }

        Task killer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(300);
                server.KillConnections();
            }
        });
        Task[] callers = Enumerable.Range(0, 24)
            .Select(id => id % 3 == 0
                ? Task.Factory.StartNew(() => Caller(id, sync: true).GetAwaiter().GetResult(), TaskCreationOptions.LongRunning)
                : Task.Run(() => Caller(id, sync: false)))
            .ToArray();
        await Task.WhenAll(callers.Append(killer)).WaitAsync(Bound);

        Assert.True(answered > 100, $"answered {answered}");
        Assert.True(timedOut + cancelled + lost > 0);
        await WaitUntil(() => client.IsConnected);
        Assert.Equal("final", Text(await client.DoAsync("ECHO", "final")));
    }

    [Fact]
    public async Task ConnectionEvents_AreLogged_WithoutSecrets()
    {
        var logger = new Redis.Tests.Logging.CapturingLogger();
        await using var server = ScriptedServer.Simple();
        var client = RedisClient.Connect("tcp", server.Address, DialOptions.Default with { Password = "s3cret-pass" }, Options() with { Logger = logger });
        Assert.Equal("PONG", client.Do("PING"));
        server.KillConnections();
        await WaitUntil(() => client.Stats.Reconnects == 1);
        await client.DisposeAsync();

        string[] events = logger.Entries.Select(e => e.EventId.Name!).ToArray();
        Assert.Equal(["RedisClientConnected", "RedisClientConnectionLost", "RedisClientConnected", "RedisClientDisposed"], events);
        logger.AssertNoSecret("s3cret-pass");
    }

    private static async ValueTask<string?> Slow(Task gate, string reply)
    {
        await gate;
        return ScriptedServer.Bulk(reply);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > Bound) throw new TimeoutException("the condition did not become true in time");
            await Task.Delay(10);
        }
    }
}
