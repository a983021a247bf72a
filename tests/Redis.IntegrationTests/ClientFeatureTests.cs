using static Redis.Tests.Shared.TestCommands;
using Redis.Tests.Infrastructure;

namespace Redis.Tests;

/// <summary>
/// What <see cref="RedisClient"/> offers on a real server: raw and typed commands (the shape generated
/// code uses), blocking commands routed to dedicated connections without stalling the shared one,
/// transactions and pub/sub through leases, RESP3 push frames to the handler, URL connects.
/// </summary>
[Collection(ServerCollection.Name)]
public class ClientFeatureTests(ServerFixture fixture)
{
    private RedisClient Connect(DialOptions? dial = null, ClientOptions? options = null)
        => RedisClient.Connect("tcp", fixture.Server.Address, dial, options);

    private static async Task<T> Run<TCommand, TParser, T>(IRespExecutor executor, bool useAsync, TCommand command, TParser parser)
        where TCommand : struct, IRespCommand where TParser : struct, IRespParser<T>
        => useAsync ? await executor.ExecuteAsync<TCommand, TParser, T>(command, parser) : executor.Execute<TCommand, TParser, T>(command, parser);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TypedCommands_TheGeneratedCodeShape_WorkOverTheClient(bool useAsync)
    {
        await using RedisClient client = Connect();
        IRespExecutor executor = client;
        string key = ServerFixture.Key("typed"), counter = ServerFixture.Key("counter");

        Assert.True(await Run<Set, OkParser, bool>(executor, useAsync, new Set(key, "value"), default));
        Assert.Equal("value", await Run<Get, StringParser, string?>(executor, useAsync, new Get(key), default));
        Assert.Equal("value"u8.ToArray(), await Run<Get, BytesParser, byte[]?>(executor, useAsync, new Get(key), default));
        Assert.Null(await Run<Get, StringParser, string?>(executor, useAsync, new Get(ServerFixture.Key("none")), default));
        Assert.Equal(5L, await Run<IncrBy, Int64Parser, long>(executor, useAsync, new IncrBy(counter, 5), default));
        Assert.Equal(7.0, await Run<IncrBy, DoubleParser, double>(executor, useAsync, new IncrBy(counter, 2), default));

        // An error reply and a type mismatch are thrown, and the pipeline stays in step.
        var error = await Assert.ThrowsAsync<RedisServerException>(() => Run<IncrBy, Int64Parser, long>(executor, useAsync, new IncrBy(key, 1), default));
        Assert.Equal("ERR", error.Prefix);
        await Assert.ThrowsAsync<RedisException>(() => Run<Get, Int64Parser, long>(executor, useAsync, new Get(key), default));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Run<Throwing, StringParser, string?>(executor, useAsync, default, default));
        Assert.Equal("value", await Run<Get, StringParser, string?>(executor, useAsync, new Get(key), default));
        Assert.Equal(0, client.Stats.Reconnects);
    }

    [Fact]
    public async Task BlockingCommands_RunOnDedicatedConnections_WithoutStallingTheSharedOne()
    {
        await using RedisClient client = Connect();
        string list = ServerFixture.Key("jobs"), typedList = ServerFixture.Key("typed-jobs"), key = ServerFixture.Key("k");
        Task<object?> raw = client.DoAsync("BLPOP", list, 10).AsTask();
        Task<object?[]?> typed = client.ExecuteAsync<BlPop, ArrayParser<object?, ObjectParser>, object?[]?>(new BlPop(typedList, 10), default).AsTask();
        Task<object?> sync = Task.Factory.StartNew(() => client.Do("BRPOP", list + ":sync", 10), TaskCreationOptions.LongRunning);

        for (int i = 0; i < 200; i++) Assert.Equal("OK", await client.DoAsync("SET", key, i));
        Assert.False(raw.IsCompleted || typed.IsCompleted || sync.IsCompleted);

        client.Do("RPUSH", list, "job 1");
        client.Do("RPUSH", typedList, "job 2");
        client.Do("RPUSH", list + ":sync", "job 3");
        Assert.Equal("job 1", Exec.Text(((object?[])(await raw.WaitAsync(TimeSpan.FromSeconds(10)))!)[1]));
        Assert.Equal("job 2", Exec.Text((await typed.WaitAsync(TimeSpan.FromSeconds(10)))![1]));
        Assert.Equal("job 3", Exec.Text(((object?[])(await sync.WaitAsync(TimeSpan.FromSeconds(10)))!)[1]));
        Assert.Null(await client.DoAsync("BLPOP", ServerFixture.Key("empty"), 0.05));
        Assert.Equal(4, client.Stats.DedicatedCommands);
        Assert.Equal(0, client.Stats.Reconnects);
    }

    [Fact]
    public async Task CancellingABlockingCommand_ReturnsAtOnce_AndTheClientCarriesOn()
    {
        await using RedisClient client = Connect();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.DoAsync("BLPOP", [ServerFixture.Key("never"), 0], cts.Token));
        Assert.Equal("PONG", await client.DoAsync("PING"));
    }

    [Fact]
    public async Task Transactions_RunOnLeasedConnections()
    {
        await using RedisClient client = Connect();
        string key = ServerFixture.Key("tx"), counter = ServerFixture.Key("tx-counter");
        object?[] replies = client.Transaction(tx =>
        {
            tx.Send("SET", key, "a");
            tx.Send("APPEND", key, "b");
            tx.Send("GET", key);
        });
        Assert.Equal("OK", replies[0]);
        Assert.Equal(2L, replies[1]);
        Assert.Equal("ab", Exec.Text(replies[2]));

        client.Do("SET", counter, 10);
        object?[]? watched = client.Transaction([counter], conn =>
        {
            long value = Reply.Int64(conn.Do("GET", counter));
            return tx => tx.Send("SET", counter, value * 2);
        });
        Assert.NotNull(watched);
        Assert.Equal(20L, Reply.Int64(client.Do("GET", counter)));

        object?[]? viaAsync = await client.TransactionAsync([counter], async (conn, ct) =>
        {
            long value = Reply.Int64(await conn.DoAsync("GET", [counter], ct));
            return tx => tx.Send("SET", counter, value + 1);
        });
        Assert.NotNull(viaAsync);
        Assert.Equal(21L, Reply.Int64(await client.DoAsync("GET", counter)));

        using (IConnWithTimeout lease = client.GetDedicated())
        {
            lease.Send("MULTI");
            lease.Send("INCR", counter);
            Assert.Equal(new object?[] { 22L }, (object?[])lease.Do("EXEC")!);
        }
        Assert.Contains("Transaction(", Assert.Throws<InvalidOperationException>(() => client.Do("MULTI")).Message);
    }

    [Fact]
    public async Task PubSub_RunsOnALeasedConnection()
    {
        await using RedisClient client = Connect();
        string channel = ServerFixture.Key("channel");
        using PubSubConn sub = client.CreatePubSub();
        sub.Subscribe(channel);
        Assert.IsType<Subscription>(sub.Receive());
        Assert.Equal(1L, await client.DoAsync("PUBLISH", channel, "hello"));
        var message = Assert.IsType<Message>(sub.Receive());
        Assert.Equal("hello", message.Text);
        Assert.Contains("CreatePubSub", Assert.Throws<InvalidOperationException>(() => client.Do("SUBSCRIBE", channel)).Message);
    }

    [SkippableFact]
    [Trait("Server", "RedisOnly")]
    public async Task Resp3PushFrames_GoToTheHandler_NeverToACaller()
    {
        DedicatedServer.RequireRealRedis(fixture.Server, "CLIENT TRACKING invalidation pushes");
        var invalidated = new TaskCompletionSource<RedisPush>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using RedisClient client = Connect(
            DialOptions.Default with { Protocol = 3 },
            new ClientOptions { PushHandler = push => { if (push.Kind == "invalidate") invalidated.TrySetResult(push); } });
        string key = ServerFixture.Key("tracked");
        Assert.Equal("OK", client.Do("CLIENT", "TRACKING", "ON"));
        client.Do("SET", key, "v1");
        Assert.Equal("v1", Exec.Text(client.Do("GET", key)));

        using IConn other = fixture.Dial();
        other.Do("SET", key, "v2");
        RedisPush push = await invalidated.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(key, Exec.Text(((object?[])push.Values[1]!)[0]));
        for (int i = 0; i < 20; i++) Assert.Equal("v2", Exec.Text(await client.DoAsync("GET", key)));
    }

    [Fact]
    public async Task ConnectsByUrl_SyncAndAsync()
    {
        using (RedisClient client = RedisClient.Connect(fixture.Server.Url))
        {
            Assert.Equal("PONG", client.Do("PING"));
        }
        await using (RedisClient client = await RedisClient.ConnectAsync(fixture.Server.Url))
        {
            Assert.Equal("PONG", await client.DoAsync("PING"));
            Assert.True(client.IsConnected);
            Assert.DoesNotContain("@", client.ToString());
        }
    }
}
