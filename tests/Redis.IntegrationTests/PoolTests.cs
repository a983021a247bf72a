using Redis.Tests.Infrastructure;
using Xunit.Abstractions;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests;

/// <summary>
/// The pool against a live server: the state a borrower leaves (subscriptions of every kind, MULTI,
/// WATCH, SELECT, MONITOR) is undone or the connection destroyed, and cancelled waiters leak nothing.
/// </summary>
[Collection(ServerCollection.Name)]
public class PoolTests(ServerFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<bool> Modes() => new() { false, true };

    private sealed class CountingPool(Pool pool) : IDisposable
    {
        private int _dials;

        public Pool Pool { get; } = pool;

        public int Dials => Volatile.Read(ref _dials);

        // A pool of its own dialer (counting), with the database to restore, as Pool.Create would know it.
        public static CountingPool Create(string address, DialOptions? options = null, PoolOptions? poolOptions = null)
        {
            options ??= DialOptions.Default;
            CountingPool? counting = null;
            var pool = new Pool((poolOptions ?? PoolOptions.Default) with
            {
                Dial = () =>
                {
                    Interlocked.Increment(ref counting!._dials);
                    return Conn.Dial("tcp", address, options);
                },
                DialAsync = ct =>
                {
                    Interlocked.Increment(ref counting!._dials);
                    return Conn.DialAsync("tcp", address, options, ct);
                },
                Database = options.Database,
            });
            counting = new CountingPool(pool);
            return counting;
        }

        public async Task<IConnWithTimeout> Get(bool useAsync) => useAsync ? await Pool.GetAsync() : Pool.Get();

        public void Dispose() => Pool.Dispose();
    }

    private static async Task Return(IConn conn, bool useAsync)
    {
        if (useAsync) await conn.DisposeAsync();
        else conn.Dispose();
    }

    public static TheoryData<string, int, bool> Subscriptions() => new()
    {
        { "SUBSCRIBE", 2, false }, { "SUBSCRIBE", 3, true },
        { "PSUBSCRIBE", 2, true }, { "PSUBSCRIBE", 3, false },
    };

    public static TheoryData<string, int, bool> ShardedSubscriptions() => new()
    {
        { "SSUBSCRIBE", 2, false }, { "SSUBSCRIBE", 3, true },
    };

    // Sharded pub/sub is Redis 7's alone; the other kinds run against Garnet too.
    [SkippableTheory, MemberData(nameof(ShardedSubscriptions))]
    [Trait("Server", "RedisOnly")]
    public Task ShardSubscribedConnection_IsUnsubscribedOnReturn_AndReused(string command, int protocol, bool useAsync)
    {
        DedicatedServer.RequireRealRedis(fixture.Server, "SSUBSCRIBE/SPUBLISH (Redis 7)");
        return SubscribedConnection_IsUnsubscribedOnReturn_AndReused(command, protocol, useAsync);
    }

    [SkippableTheory, MemberData(nameof(Subscriptions))]
    public async Task SubscribedConnection_IsUnsubscribedOnReturn_AndReused(string command, int protocol, bool useAsync)
    {
        using var pool = CountingPool.Create(fixture.Server.Address, new DialOptions { Protocol = protocol });
        await using IConn publisher = fixture.Dial();
        string channel = ServerFixture.Key("pool-sub");
        string publish = command == "SSUBSCRIBE" ? "SPUBLISH" : "PUBLISH";

        var sub = new PubSubConn(await pool.Get(useAsync));
        switch (command)
        {
            case "SUBSCRIBE": sub.Subscribe(channel); break;
            case "PSUBSCRIBE": sub.PSubscribe(channel + "*"); break;
            default: sub.SSubscribe(channel); break;
        }
        Assert.IsType<Subscription>(sub.Receive());
        Assert.Equal(1L, await publisher.Do(useAsync, publish, channel, "hello"));
        Assert.Equal("hello", Assert.IsType<Message>(sub.Receive()).Text);
        Assert.Equal(1L, await publisher.Do(useAsync, publish, channel, "unread")); // left unread on purpose
        if (useAsync) await sub.DisposeAsync();
        else sub.Dispose();

        Assert.Equal(0L, await publisher.Do(useAsync, publish, channel, "nobody listens"));
        await using IConnWithTimeout again = await pool.Get(useAsync);
        Assert.Equal(1, pool.Dials);
        Assert.Equal("PONG", await again.Do(useAsync, "PING"));
        string key = ServerFixture.Key("after-sub");
        Assert.Equal("OK", await again.Do(useAsync, "SET", key, "v"));
        Assert.Equal("v", Text(await again.Do(useAsync, "GET", key)));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task SelectedDatabase_IsRestoredOnReturn(bool useAsync)
    {
        using var pool = CountingPool.Create(fixture.Server.Address, new DialOptions { Database = 2 });
        string key = ServerFixture.Key("db");
        IConn c = await pool.Get(useAsync);
        await c.Do(useAsync, "SELECT", 3);
        await c.Do(useAsync, "SET", key, "in-3");
        await Return(c, useAsync);

        await using (IConn again = await pool.Get(useAsync))
        {
            Assert.Null(await again.Do(useAsync, "GET", key)); // back in database 2
            await again.Do(useAsync, "SET", key, "in-2");
        }
        Assert.Equal(1, pool.Dials);
        await using IConn check = fixture.Dial(new DialOptions { Database = 3 });
        Assert.Equal("in-3", Text(await check.Do(useAsync, "GET", key)));
        await check.Do(useAsync, "SELECT", 2);
        Assert.Equal("in-2", Text(await check.Do(useAsync, "GET", key)));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task OpenTransaction_IsDiscardedOnReturn(bool useAsync)
    {
        using var pool = CountingPool.Create(fixture.Server.Address);
        string key = ServerFixture.Key("multi");
        IConn c = await pool.Get(useAsync);
        Assert.Equal("OK", await c.Do(useAsync, "MULTI"));
        Assert.Equal("QUEUED", await c.Do(useAsync, "SET", key, "never"));
        await Return(c, useAsync);

        await using IConn again = await pool.Get(useAsync);
        Assert.Equal(1, pool.Dials);
        var error = await Assert.ThrowsAsync<RedisServerException>(() => again.Do(useAsync, "EXEC"));
        Assert.Contains("without MULTI", error.Message);
        Assert.Null(await again.Do(useAsync, "GET", key));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task WatchedKeys_AreUnwatchedOnReturn(bool useAsync)
    {
        using var pool = CountingPool.Create(fixture.Server.Address);
        await using IConn other = fixture.Dial();
        string key = ServerFixture.Key("watch");
        IConn c = await pool.Get(useAsync);
        await c.Do(useAsync, "WATCH", key);
        await Return(c, useAsync);
        await other.Do(useAsync, "SET", key, "changed"); // would abort a transaction that still watched it

        await using IConn again = await pool.Get(useAsync);
        Assert.Equal(1, pool.Dials);
        await again.Do(useAsync, "MULTI");
        await again.Do(useAsync, "SET", key, "mine");
        Assert.IsType<object?[]>(await again.Do(useAsync, "EXEC"));
        Assert.Equal("mine", Text(await other.Do(useAsync, "GET", key)));
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    [Trait("Server", "RedisOnly")]
    public async Task MonitoringConnection_IsDestroyedOnReturn(bool useAsync)
    {
        DedicatedServer.RequireRealRedis(fixture.Server, "MONITOR");
        using var pool = CountingPool.Create(fixture.Server.Address);
        IConn c = await pool.Get(useAsync);
        Assert.Equal("OK", await c.Do(useAsync, "MONITOR"));
        await Return(c, useAsync);
        Assert.Equal(new PoolStats(0, 0, 0, TimeSpan.Zero), pool.Pool.Stats);
        await using IConn again = await pool.Get(useAsync);
        Assert.Equal("PONG", await again.Do(useAsync, "PING"));
        Assert.Equal(2, pool.Dials);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task BrokenConnection_IsReplacedByTheNextGet(bool useAsync)
    {
        using var pool = CountingPool.Create(fixture.Server.Address);
        IConnWithTimeout c = await pool.Get(useAsync);
        string list = ServerFixture.Key("broken");
        await Assert.ThrowsAsync<RedisTimeoutException>(async () =>
        {
            if (useAsync) await c.DoWithTimeoutAsync(TimeSpan.FromMilliseconds(100), "BLPOP", [list, 5]);
            else c.DoWithTimeout(TimeSpan.FromMilliseconds(100), "BLPOP", list, 5);
        });
        await Return(c, useAsync);
        Assert.Equal(0, pool.Pool.Stats.ActiveCount);
        await using IConn again = await pool.Get(useAsync);
        Assert.Equal("PONG", await again.Do(useAsync, "PING"));
        Assert.Equal(2, pool.Dials);
    }

    [Fact]
    public async Task CancelledAsyncWaiters_LeakNoSlot()
    {
        using var pool = CountingPool.Create(fixture.Server.Address, poolOptions: new PoolOptions { MaxActive = 2, Wait = true });
        IConn a = await pool.Pool.GetAsync(), b = await pool.Pool.GetAsync();
        Task[] waiters = Enumerable.Range(0, 20).Select(async i =>
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(20 + i));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pool.Pool.GetAsync(cts.Token));
        }).ToArray();
        await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(20, pool.Pool.Stats.WaitCount);
        await a.DisposeAsync();
        b.Dispose();
        IConn c1 = await pool.Pool.GetAsync(), c2 = await pool.Pool.GetAsync();
        Assert.Equal("PONG", await c1.DoAsync("PING"));
        Assert.Equal("PONG", c2.Do("PING"));
        Assert.Equal(2, pool.Dials);
        Assert.Equal(new PoolStats(2, 0, 20, pool.Pool.Stats.WaitDuration), pool.Pool.Stats);
        c1.Dispose();
        c2.Dispose();
    }

    [Fact]
    public async Task WaitingGet_IsServedWhenAConnectionComesBack()
    {
        using var pool = CountingPool.Create(fixture.Server.Address, poolOptions: new PoolOptions { MaxActive = 1, Wait = true });
        IConn held = pool.Pool.Get();
        Task<IConnWithTimeout> waiting = pool.Pool.GetAsync().AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        held.Dispose();
        await using IConn c = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("PONG", await c.DoAsync("PING"));
        Assert.Equal(1, pool.Dials);
        Assert.Equal(1, pool.Pool.Stats.WaitCount);
        Assert.True(pool.Pool.Stats.WaitDuration > TimeSpan.Zero);
    }

    private readonly struct IncrBy(string key, long by) : IRespCommand
    {
        public void WriteTo(RespWriter writer)
        {
            writer.WriteArrayHeader(3);
            writer.WriteBulkString("INCRBY"u8);
            writer.WriteBulkString(key);
            writer.WriteBulkString(by);
        }
    }

    [Fact]
    public void TypedCommands_ThroughAPooledConnection_AddNoAllocation()
    {
        using Pool pool = Pool.Create("tcp", fixture.Server.Address);
        using IConn direct = fixture.Dial();
        string key = ServerFixture.Key("typed-alloc");
        var command = new IncrBy(key, 1);

        static long Measure(IRespExecutor executor, IncrBy command)
        {
            for (int i = 0; i < 50; i++) executor.Execute<IncrBy, Int64Parser, long>(command, default); // warm up
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 200; i++) executor.Execute<IncrBy, Int64Parser, long>(command, default);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        long directBytes = Measure(RespExecutor.For(direct), command);
        using IConn pooled = pool.Get();
        IRespExecutor executor = RespExecutor.For(pooled);
        Assert.Same(pooled, executor); // the pooled connection runs typed commands itself, not through the Do adapter
        long pooledBytes = Measure(executor, command);
        output.WriteLine($"200 typed INCRBY calls: direct {directBytes} B, pooled {pooledBytes} B");
        Assert.True(pooledBytes <= directBytes, $"pooled {pooledBytes} B vs direct {directBytes} B for 200 calls");
        Assert.Equal(500L, Reply.Int64(pooled.Do("GET", key)));
    }

    [Fact]
    public void Create_FromAUrl_DialsThatServer()
    {
        using Pool pool = Pool.Create($"redis://{fixture.Server.Address}/1");
        Assert.Equal(1, pool.Database);
        using IConn c = pool.Get();
        Assert.Equal("PONG", c.Do("PING"));
    }
}
