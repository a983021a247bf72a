using System.Collections.Concurrent;
using System.Diagnostics;
using static Redis.Tests.Shared.TestCommands;

namespace Redis.Tests.Pooling;

/// <summary>Pool logic against scripted connections and a fake clock (redigo's pool_test, reference 4.7, and more).</summary>
public class PoolTests
{
    private static Pool NewPool(FakeDialer dialer, int maxIdle = 10, TimeProvider? time = null) => new()
    {
        Dial = dialer.Dial,
        MaxIdle = maxIdle,
        TimeProvider = time ?? TimeProvider.System,
    };

    private static FakeConn Last(FakeDialer dialer)
    {
        lock (dialer.Connections) return dialer.Connections[^1];
    }

    [Fact]
    public void Get_ReusesIdleConnections_UpToMaxIdle()
    {
        var dialer = new FakeDialer();
        var pool = NewPool(dialer, maxIdle: 2);
        for (int i = 0; i < 10; i++)
        {
            IConn c1 = pool.Get(), c2 = pool.Get();
            c1.Do("PING");
            c2.Do("PING");
            c1.Dispose();
            c2.Dispose();
        }
        Assert.Equal(2, dialer.Dialed);
        Assert.Equal(2, dialer.Open);
        Assert.Equal(new PoolStats(2, 2, 0, TimeSpan.Zero), pool.Stats);
        pool.Dispose();
        Assert.Equal(0, dialer.Open);
        Assert.Equal(0, pool.Stats.ActiveCount);
    }

    [Fact]
    public void ThreeConnectionsOutWithMaxIdleTwo_TheSurplusIsClosedOnReturn()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer, maxIdle: 2);
        for (int i = 0; i < 10; i++)
        {
            IConn[] conns = [pool.Get(), pool.Get(), pool.Get()];
            foreach (IConn c in conns) c.Do("PING");
            foreach (IConn c in conns) c.Dispose();
        }
        Assert.Equal(12, dialer.Dialed);
        Assert.Equal(2, dialer.Open);
    }

    [Fact]
    public void MostRecentlyUsedConnection_IsLentFirst()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        IConn a = pool.Get(), b = pool.Get();
        a.Do("ECHO", "a");
        b.Do("ECHO", "b");
        a.Dispose();
        b.Dispose(); // b is the most recently returned
        using IConn next = pool.Get();
        next.Do("ECHO", "next");
        Assert.Equal(["ECHO b", "ECHO next"], dialer.Connections[1].Commands);
    }

    [Fact]
    public void BrokenConnection_IsClosedNotPooled()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer, maxIdle: 2);
        for (int i = 0; i < 2; i++)
        {
            IConn c = pool.Get();
            Last(dialer).Poison();
            c.Dispose();
        }
        Assert.Equal(2, dialer.Dialed);
        Assert.Equal(0, dialer.Open);
        Assert.Equal(new PoolStats(0, 0, 0, TimeSpan.Zero), pool.Stats);
    }

    [Fact]
    public async Task ReturnedConnection_RejectsEveryCall_AndASecondCloseDoesNothing()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        IConnWithTimeout c = pool.Get();
        c.Do("PING");
        c.Close();
        Assert.NotNull(c.Err);
        Assert.Throws<RedisConnectionException>(() => c.Do("PING"));
        Assert.Throws<RedisConnectionException>(() => c.Send("PING"));
        Assert.Throws<RedisConnectionException>(() => c.Flush());
        Assert.Throws<RedisConnectionException>(() => c.Receive());
        Assert.Throws<RedisConnectionException>(() => c.DoWithTimeout(TimeSpan.FromSeconds(1), "PING"));
        await Assert.ThrowsAsync<RedisConnectionException>(async () => await c.DoAsync("PING"));
        c.Close();
        await c.DisposeAsync();
        Assert.Equal(new PoolStats(1, 1, 0, TimeSpan.Zero), pool.Stats);
    }

    [Fact]
    public async Task DisposedPool_RefusesGet_AndClosesBorrowedConnectionsWhenTheyComeBack()
    {
        var dialer = new FakeDialer();
        var pool = NewPool(dialer);
        IConn c1 = pool.Get(), c2 = pool.Get(), c3 = pool.Get();
        c1.Dispose();
        c2.Dispose();
        pool.Dispose();
        Assert.Equal(3, dialer.Dialed);
        Assert.Equal(1, dialer.Open);
        Assert.Equal(1, pool.Stats.ActiveCount);
        c3.Do("PING"); // still usable while borrowed
        c3.Dispose();
        Assert.Equal(0, dialer.Open);
        Assert.Throws<ObjectDisposedException>(() => pool.Get());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await pool.GetAsync());
        pool.Dispose(); // idempotent
    }

    [Fact]
    public void IdleTimeout_ClosesAnExpiredConnectionOnBorrow()
    {
        var dialer = new FakeDialer();
        var time = new FakeTimeProvider();
        using var pool = NewPool(dialer, time: time);
        pool.IdleTimeout = TimeSpan.FromSeconds(300);
        pool.Get().Dispose();
        time.Advance(TimeSpan.FromSeconds(299)); // the sweep runs on the way but the connection is still fresh
        Assert.Equal(1, pool.Stats.IdleCount);
        // Stop the sweep's clock here and expire it exactly at borrow time.
        pool.Get().Dispose();
        Assert.Equal(1, dialer.Dialed);
        time.Advance(TimeSpan.FromSeconds(300) + TimeSpan.FromTicks(1));
        pool.Get().Dispose();
        Assert.Equal(2, dialer.Dialed);
        Assert.Equal(1, dialer.Open);
    }

    [Fact]
    public void IdleTimeout_TheBackgroundSweepClosesIdleConnectionsWithoutAnyGet()
    {
        var dialer = new FakeDialer();
        var time = new FakeTimeProvider();
        using var pool = NewPool(dialer, time: time);
        pool.IdleTimeout = TimeSpan.FromSeconds(30);
        IConn a = pool.Get(), b = pool.Get();
        a.Dispose();
        time.Advance(TimeSpan.FromSeconds(20));
        b.Dispose();
        Assert.Equal(1, time.ActiveTimers);

        time.Advance(TimeSpan.FromSeconds(15)); // a is 35 s idle, b 15 s
        Assert.Equal(new PoolStats(1, 1, 0, TimeSpan.Zero), pool.Stats);
        Assert.Equal(1, dialer.Open);

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(new PoolStats(0, 0, 0, TimeSpan.Zero), pool.Stats);
        Assert.Equal(0, dialer.Open);
    }

    [Fact]
    public void MaxConnLifetime_ClosesAnOldConnectionOnBorrow_AndByTheSweep()
    {
        var dialer = new FakeDialer();
        var time = new FakeTimeProvider();
        using var pool = NewPool(dialer, time: time);
        pool.MaxConnLifetime = TimeSpan.FromSeconds(300);
        pool.Get().Dispose();
        time.Advance(TimeSpan.FromSeconds(200));
        pool.Get().Dispose(); // reused: returned now, but created 200 s ago
        Assert.Equal(1, dialer.Dialed);

        time.Advance(TimeSpan.FromSeconds(100) + TimeSpan.FromTicks(1));
        Assert.Equal(0, dialer.Open); // the sweep closed it although it was used recently
        pool.Get().Dispose();
        Assert.Equal(2, dialer.Dialed);
        Assert.Equal(1, dialer.Open);
    }

    [Fact]
    public void MaxConnLifetime_ABorrowedConnectionPastItIsClosedOnReturn()
    {
        var dialer = new FakeDialer();
        var time = new FakeTimeProvider();
        using var pool = NewPool(dialer, time: time);
        pool.MaxConnLifetime = TimeSpan.FromSeconds(10);
        IConn c = pool.Get();
        time.Advance(TimeSpan.FromSeconds(11));
        c.Dispose();
        Assert.Equal(0, dialer.Open);
        Assert.Equal(new PoolStats(0, 0, 0, TimeSpan.Zero), pool.Stats);
    }

    [Fact]
    public void TestOnBorrow_ReceivesTheReturnTime_AndAFailureClosesTheConnectionAndDials()
    {
        var dialer = new FakeDialer();
        var time = new FakeTimeProvider();
        var seen = new List<DateTimeOffset>();
        using var pool = NewPool(dialer, time: time);
        pool.TestOnBorrow = (conn, returnedAt) =>
        {
            seen.Add(returnedAt);
            return false;
        };
        for (int i = 0; i < 10; i++)
        {
            IConn c = pool.Get();
            c.Do("PING");
            c.Dispose();
            time.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(10, dialer.Dialed);
        Assert.Equal(1, dialer.Open);
        Assert.Equal(9, seen.Count);
        Assert.Equal(time.GetUtcNow() - TimeSpan.FromSeconds(2), seen[^1]);
    }

    [Fact]
    public void TestOnBorrow_ThatThrows_CountsAsAFailure()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        pool.TestOnBorrow = (_, _) => throw new InvalidOperationException("ping failed");
        pool.Get().Dispose();
        using IConn c = pool.Get();
        Assert.Equal(2, dialer.Dialed);
        Assert.Equal(1, dialer.Open);
    }

    [Fact]
    public async Task FullPoolWithoutWait_ThrowsRedisPoolExhaustedException_AndRecoversWhenOneComesBack()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer, maxIdle: 2);
        pool.MaxActive = 2;
        IConn c1 = pool.Get(), c2 = pool.Get();
        var ex = Assert.Throws<RedisPoolExhaustedException>(() => pool.Get());
        Assert.IsAssignableFrom<RedisException>(ex);
        await Assert.ThrowsAsync<RedisPoolExhaustedException>(async () => await pool.GetAsync());
        Assert.Equal((2, 2), (dialer.Dialed, dialer.Open));
        c2.Dispose();
        using IConn c3 = pool.Get();
        Assert.Equal(2, dialer.Dialed);
        c1.Dispose();
    }

    [Fact]
    public async Task Wait_BlocksUntilAConnectionComesBack_AndCountsTheWait()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        pool.MaxActive = 2;
        pool.Wait = true;
        IConn c1 = pool.Get(), c2 = pool.Get();
        var stopwatch = Stopwatch.StartNew();
        _ = Task.Run(async () =>
        {
            await Task.Delay(100);
            c1.Dispose();
        });
        using IConn c3 = await Task.Run(pool.Get);
        TimeSpan elapsed = stopwatch.Elapsed;
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(80), TimeSpan.FromSeconds(5));
        PoolStats stats = pool.Stats;
        Assert.Equal(1, stats.WaitCount);
        Assert.InRange(stats.WaitDuration, TimeSpan.FromMilliseconds(1), elapsed);
        Assert.Equal(2, dialer.Dialed);
        c2.Dispose();
    }

    [Fact]
    public async Task Wait_OneConnectionIsHandedAroundTenWaiters()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        pool.MaxActive = 1;
        pool.Wait = true;
        IConn held = pool.Get();
        Task[] waiters = Enumerable.Range(0, 10).Select(i => i % 2 == 0
            ? RunThread(() =>
            {
                using IConn c = pool.Get();
                c.Do("PING");
            })
            : Task.Run(async () =>
            {
                await using IConn c = await pool.GetAsync();
                await c.DoAsync("PING");
            })).ToArray();
        await WaitUntil(() => pool.Stats.WaitCount == 10);
        held.Dispose();
        await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(1, dialer.Dialed);
        Assert.Equal(new PoolStats(1, 1, 10, pool.Stats.WaitDuration), pool.Stats);
    }

    [Fact]
    public async Task Wait_SyncAndAsyncWaitersAreServedInArrivalOrder()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        pool.MaxActive = 1;
        pool.Wait = true;
        IConn held = pool.Get();
        var order = new ConcurrentQueue<int>();
        var tasks = new List<Task>();
        for (int i = 0; i < 8; i++)
        {
            int id = i;
            tasks.Add(id % 2 == 0
                ? RunThread(() =>
                {
                    using IConn c = pool.Get();
                    order.Enqueue(id);
                })
                : Task.Run(async () =>
                {
                    await using IConn c = await pool.GetAsync();
                    order.Enqueue(id);
                }));
            await WaitUntil(() => pool.Stats.WaitCount == id + 1); // queued before the next one starts
        }
        held.Dispose();
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(Enumerable.Range(0, 8), order);
    }

    [Fact]
    public async Task Dispose_WakesEveryWaiterWithObjectDisposedException()
    {
        var dialer = new FakeDialer();
        var pool = NewPool(dialer);
        pool.MaxActive = 1;
        pool.Wait = true;
        IConn held = pool.Get();
        Task[] waiters = Enumerable.Range(0, 10).Select(i => i % 2 == 0
            ? RunThread(() => pool.Get().Dispose())
            : Task.Run(async () => (await pool.GetAsync()).Dispose())).ToArray();
        await WaitUntil(() => pool.Stats.WaitCount == 10);
        pool.Dispose();
        foreach (Task waiter in waiters)
        {
            var ex = await Assert.ThrowsAsync<ObjectDisposedException>(() => waiter.WaitAsync(TimeSpan.FromSeconds(2)));
            Assert.IsNotType<RedisPoolExhaustedException>(ex);
        }
        held.Dispose();
        Assert.Equal(0, dialer.Open);
    }

    [Fact]
    public async Task Wait_PoisonedConnectionsAreClosedAndWaitersDialNewOnes()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        pool.MaxActive = 1;
        pool.Wait = true;
        IConn held = pool.Get();
        Task[] waiters = Enumerable.Range(0, 10).Select(_ => RunThread(() =>
        {
            IConn c = pool.Get();
            c.Do("PING");
            lock (dialer.Connections) dialer.Connections.Single(x => !x.IsClosed).Poison();
            c.Dispose();
        })).ToArray();
        await WaitUntil(() => pool.Stats.WaitCount == 10);
        held.Dispose();
        await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(10, dialer.Dialed);
        Assert.Equal(0, dialer.Open);
        Assert.Equal(0, pool.Stats.ActiveCount);
    }

    [Fact]
    public async Task Wait_DialFailuresReachTheWaitersThatDialed_AndFreeTheirSlots()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        pool.MaxActive = 1;
        pool.Wait = true;
        IConn held = pool.Get();
        int succeeded = 0;
        Task<Exception?>[] waiters = Enumerable.Range(0, 10).Select(_ => Task.Factory.StartNew(() =>
        {
            try
            {
                using IConn c = pool.Get();
                c.Do("PING");
                Last(dialer).Poison(); // so the next waiter must dial
                Interlocked.Increment(ref succeeded);
                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await WaitUntil(() => pool.Stats.WaitCount == 10);
        dialer.DialError = new RedisConnectionException("dial failed");
        held.Dispose();
        Exception?[] errors = await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(1, succeeded);
        Assert.Equal(9, errors.Count(e => e is RedisConnectionException { Message: "dial failed" }));
        Assert.Equal(10, dialer.Dialed);
        Assert.Equal(0, pool.Stats.ActiveCount);
    }

    [Fact]
    public async Task ConcurrentBorrowsWithAFailingTestOnBorrow_DialReplacements()
    {
        var dialer = new FakeDialer();
        bool failing = false;
        using var pool = NewPool(dialer, maxIdle: 100);
        pool.TestOnBorrow = (_, _) => !Volatile.Read(ref failing);
        IConn[] first = Enumerable.Range(0, 100).Select(_ => pool.Get()).ToArray();
        foreach (IConn c in first) c.Dispose();
        Assert.Equal(100, pool.Stats.IdleCount);
        Volatile.Write(ref failing, true);
        IConn[] borrowed = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(pool.Get)));
        Assert.Equal(200, dialer.Dialed);
        Assert.Equal(100, dialer.Open);
        foreach (IConn c in borrowed) c.Dispose();
        Assert.Equal(new PoolStats(100, 100, 0, TimeSpan.Zero), pool.Stats);
    }

    [Theory]
    [InlineData("MONITOR")]
    [InlineData("RESET")]
    [InlineData("HELLO", "3")]
    [InlineData("AUTH", "other-user", "pw")]
    [InlineData("CLIENT", "REPLY", "OFF")]
    [InlineData("client", "reply", "skip")]
    public void StateThatCannotBeUndone_DestroysTheConnectionOnReturn(string command, params string[] args)
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        IConn c = pool.Get();
        c.Send(command, args);
        c.Dispose();
        Assert.Equal(1, dialer.Dialed);
        Assert.Equal(0, dialer.Open);
        Assert.Equal(0, pool.Stats.ActiveCount);
    }

    [Fact]
    public void ClientReplyOn_IsNotTreatedAsState()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        IConn c = pool.Get();
        c.Do("CLIENT", "REPLY", "ON");
        c.Dispose();
        Assert.Equal(1, dialer.Open);
    }

    [Theory]
    [InlineData("SUBSCRIBE", "x", "UNSUBSCRIBE|PUNSUBSCRIBE|ECHO <sentinel>")]
    [InlineData("PSUBSCRIBE", "x*", "UNSUBSCRIBE|PUNSUBSCRIBE|ECHO <sentinel>")]
    [InlineData("ssubscribe", "x", "UNSUBSCRIBE|PUNSUBSCRIBE|SUNSUBSCRIBE|ECHO <sentinel>")]
    public async Task Subscription_IsUndoneOnReturn_UntilTheSentinelEcho_AndTheConnectionIsReused(string command, string channel, string cleanup)
    {
        foreach (bool useAsync in new[] { false, true })
        {
            var dialer = new FakeDialer();
            using var pool = NewPool(dialer);
            IConn c = pool.Get();
            c.Send(command, channel);
            c.Flush();
            if (useAsync) await c.DisposeAsync();
            else c.Dispose();
            Assert.Equal([$"{command} {channel}", .. cleanup.Split('|')], Last(dialer).Commands);
            Assert.Equal(1, dialer.Open);
            pool.Get().Dispose();
            Assert.Equal(1, dialer.Dialed);
        }
    }

    [Fact]
    public void Subscription_CleanupThatHitsAnErrorDestroysTheConnection()
    {
        var dialer = new FakeDialer
        {
            Answer = (cmd, args) => cmd == "SUNSUBSCRIBE" ? new RedisServerException("ERR unknown command 'SUNSUBSCRIBE'") : FakeConn.DefaultAnswer(cmd, args),
        };
        using var pool = NewPool(dialer);
        IConn c = pool.Get();
        c.Send("SSUBSCRIBE", "x");
        c.Dispose();
        Assert.Equal(0, dialer.Open);
    }

    public static TheoryData<string[], string[]> TransactionCleanups() => new()
    {
        { ["WATCH", "PING"], ["UNWATCH"] },
        { ["WATCH", "UNWATCH", "PING"], [] },
        { ["WATCH", "MULTI", "PING"], ["DISCARD"] },
        { ["WATCH", "MULTI", "DISCARD", "PING"], [] },
        { ["WATCH", "MULTI", "EXEC", "PING"], [] },
        { ["multi", "PING"], ["DISCARD"] },
        { ["wAtch", "PING"], ["UNWATCH"] },
    };

    [Theory, MemberData(nameof(TransactionCleanups))]
    public void Transaction_IsUndoneOnReturn(string[] commands, string[] cleanup)
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        IConn c = pool.Get();
        foreach (string command in commands) c.Do(command, command.Equals("WATCH", StringComparison.OrdinalIgnoreCase) ? ["k"] : []);
        c.Dispose();
        IEnumerable<string> expected = commands.Select(x => x.Equals("WATCH", StringComparison.OrdinalIgnoreCase) ? $"{x} k" : x).Concat(cleanup);
        Assert.Equal(expected, Last(dialer).Commands);
        Assert.Equal(1, dialer.Open);
    }

    [Fact]
    public void Select_IsUndoneOnReturn_WithTheDatabaseThePoolDials()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        pool.Database = 3;
        IConn c = pool.Get();
        c.Do("SELECT", 5);
        c.Dispose();
        Assert.Equal(["SELECT 5", "SELECT 3"], Last(dialer).Commands);
        Assert.Equal(1, dialer.Open);
    }

    [Fact]
    public void Select_WithoutAKnownDatabase_DestroysTheConnectionOnReturn()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        IConn c = pool.Get();
        c.Do("select", 5);
        c.Dispose();
        Assert.Equal(0, dialer.Open);
    }

    [Fact]
    public void Create_KnowsTheDatabaseFromTheUrlOrOptions()
    {
        using Pool fromUrl = Pool.Create("redis://localhost:6379/4");
        using Pool fromOptions = Pool.Create("tcp", "localhost:6379", new DialOptions { Database = 2 });
        using Pool plain = Pool.Create("tcp", "localhost:6379");
        Assert.Equal(4, fromUrl.Database);
        Assert.Equal(2, fromOptions.Database);
        Assert.Equal(0, plain.Database);
        Assert.NotNull(fromUrl.Dial);
        Assert.NotNull(fromUrl.DialAsync);
        var ex = Assert.Throws<ArgumentException>(() => Pool.Create("http://user:hunter2@localhost"));
        Assert.DoesNotContain("hunter2", ex.Message);
    }

    [Fact]
    public void UnreadReplies_AreDrainedOnReturn()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        IConn c = pool.Get();
        c.Send("SET", "k", "v");
        c.Send("GET", "k");
        c.Dispose();
        using IConn again = pool.Get();
        Assert.Equal("PONG", again.Do("PING")); // not the old replies
        Assert.Equal(1, dialer.Dialed);
    }

    private readonly struct ClientReply(string mode) : IRespCommand
    {
        public void WriteTo(RespWriter writer)
        {
            writer.WriteArrayHeader(3);
            writer.WriteBulkString("client"u8);
            writer.WriteBulkString("reply"u8);
            writer.WriteBulkString(mode);
        }
    }

    [Fact]
    public async Task TypedCommands_AreTrackedLikeDo()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        IConn c = pool.Get();
        IRespExecutor executor = RespExecutor.For(c);
        Assert.Same(c, executor);
        Assert.True(executor.Execute<Multi, OkParser, bool>(new Multi(), new OkParser()));
        c.Dispose();
        Assert.Equal(["MULTI", "DISCARD"], Last(dialer).Commands);

        c = pool.Get();
        await RespExecutor.For(c).ExecuteAsync<ClientReply, OkParser, bool>(new ClientReply("OFF"), new OkParser());
        await c.DisposeAsync();
        Assert.Equal(0, dialer.Open);
    }

    [Fact]
    public async Task TypedCommandsCarryingTheirTableId_AreTrackedByTheId()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        IConn c = pool.Get();
        // It writes SET but carries WATCH's id: what the pool tracks comes from the id, not from the bytes.
        Assert.True(RespExecutor.For(c).Execute<SetCarryingWatchId, OkParser, bool>(default, new OkParser()));
        Assert.Equal(ConnState.Watch, ((PooledConn)c).State);
        c.Dispose();
        Assert.Equal("UNWATCH", Last(dialer).Commands[^1]);

        // CLIENT REPLY's mode is still read from its arguments: ON keeps the connection, OFF does not.
        c = pool.Get();
        await RespExecutor.For(c).ExecuteAsync<ClientReplyCarryingId, OkParser, bool>(new ClientReplyCarryingId("ON"), new OkParser());
        await c.DisposeAsync();
        Assert.Equal(1, dialer.Open);
        c = pool.Get();
        await RespExecutor.For(c).ExecuteAsync<ClientReplyCarryingId, OkParser, bool>(new ClientReplyCarryingId("OFF"), new OkParser());
        await c.DisposeAsync();
        Assert.Equal(0, dialer.Open);
    }

    private readonly struct SetCarryingWatchId : IRespCommand
    {
        private static readonly int s_id = Redis.CommandTable.IdOf("WATCH");

        static int IRespCommand.CommandId => s_id;

        public void WriteTo(RespWriter writer)
        {
            writer.WriteArrayHeader(3);
            writer.WriteBulkString("SET"u8);
            writer.WriteBulkString("k"u8);
            writer.WriteBulkString("v"u8);
        }
    }

    private readonly struct ClientReplyCarryingId(string mode) : IRespCommand
    {
        private static readonly int s_id = Redis.CommandTable.IdOf("CLIENT REPLY");

        static int IRespCommand.CommandId => s_id;

        public void WriteTo(RespWriter writer)
        {
            writer.WriteArrayHeader(3);
            writer.WriteBulkString("CLIENT"u8);
            writer.WriteBulkString("REPLY"u8);
            writer.WriteBulkString(mode);
        }
    }

    [Fact]
    public async Task PerCallTimeouts_ReachThePooledConnection()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        using IConnWithTimeout c = pool.Get();
        c.DoWithTimeout(TimeSpan.FromSeconds(7), "BLPOP", "k", 5);
        Assert.Equal(TimeSpan.FromSeconds(7), Last(dialer).LastTimeout);
        await c.DoWithTimeoutAsync(TimeSpan.FromSeconds(9), "WATCH", ["k"]);
        Assert.Equal(TimeSpan.FromSeconds(9), Last(dialer).LastTimeout);
        c.Dispose();
        Assert.Equal("UNWATCH", Last(dialer).Commands[^1]); // tracked through DoWithTimeoutAsync too
    }

    [Fact]
    public async Task GetAsync_CancelledWhileWaiting_GivesUpItsPlaceAndLeaksNoSlot()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        pool.MaxActive = 1;
        pool.Wait = true;
        IConn held = pool.Get();
        using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pool.GetAsync(cts.Token));
        }
        Task<IConnWithTimeout> later = pool.GetAsync().AsTask(); // queued behind nobody
        held.Dispose();
        await using IConn c = await later.WaitAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(1, dialer.Dialed);
        Assert.Equal(1, pool.Stats.ActiveCount);
    }

    [Fact]
    public async Task GetAsync_ManyCancelledWaiters_LeaveTheCountsRight()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        pool.MaxActive = 2;
        pool.Wait = true;
        IConn a = pool.Get(), b = pool.Get();
        using var cts = new CancellationTokenSource();
        Task[] waiters = Enumerable.Range(0, 50).Select(_ => pool.GetAsync(cts.Token).AsTask()).ToArray();
        _ = Task.Run(() => a.Dispose()); // races with the cancellation below
        cts.Cancel();
        foreach (Task waiter in waiters)
        {
            try
            {
                (await ((Task<IConnWithTimeout>)waiter)).Dispose();
            }
            catch (OperationCanceledException)
            {
            }
        }
        b.Dispose();
        await WaitUntil(() => pool.Stats.IdleCount == 2);
        Assert.Equal(new PoolStats(2, 2, 50, pool.Stats.WaitDuration), pool.Stats);
        IConn[] both = [await pool.GetAsync(), await pool.GetAsync()];
        Assert.Equal(2, dialer.Dialed);
        foreach (IConn c in both) c.Dispose();
    }

    [Fact]
    public async Task GetAsync_WithACancelledToken_ThrowsEvenWhenAConnectionIsFree()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        pool.MaxActive = 1;
        pool.Wait = true;
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pool.GetAsync(cts.Token));
        IConn c = await pool.GetAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pool.GetAsync(cts.Token));
        c.Dispose();
        Assert.Equal(new PoolStats(1, 1, 0, TimeSpan.Zero), pool.Stats);
    }

    [Fact]
    public async Task GetAsync_UsesDialAsyncWithTheCallersToken_AndAFailedDialFreesTheSlot()
    {
        CancellationToken seen = default;
        var dialer = new FakeDialer();
        using var pool = new Pool
        {
            DialAsync = async ct =>
            {
                seen = ct;
                await Task.Delay(1, ct);
                return dialer.Dial();
            },
            MaxActive = 1,
        };
        using var cts = new CancellationTokenSource();
        (await pool.GetAsync(cts.Token)).Dispose();
        Assert.Equal(cts.Token, seen);

        pool.Get().Dispose(); // Get falls back to DialAsync when Dial is not set (and reuses here)
        var cancelled = new CancellationTokenSource();
        IConn idle = pool.Get();
        idle.Do("MONITOR"); // destroyed on return: the next get must dial
        idle.Dispose();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pool.GetAsync(cancelled.Token));
        Assert.Equal(0, pool.Stats.ActiveCount);
        (await pool.GetAsync()).Dispose();
    }

    [Fact]
    public async Task PoolWithoutDial_ThrowsInvalidOperationException()
    {
        using var pool = new Pool();
        Assert.Throws<InvalidOperationException>(() => pool.Get());
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await pool.GetAsync());
    }

    [Fact]
    public void MaxIdleZero_KeepsNothing()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer, maxIdle: 0);
        for (int i = 0; i < 3; i++) pool.Get().Dispose();
        Assert.Equal(new PoolStats(0, 0, 0, TimeSpan.Zero), pool.Stats);
        Assert.Equal(3, dialer.Dialed);
    }

    [Fact]
    public void Settings_CannotChangeOnceAConnectionWasLent()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        pool.Get().Dispose();
        Assert.Throws<InvalidOperationException>(() => pool.MaxActive = 5);
        Assert.Throws<InvalidOperationException>(() => pool.Dial = dialer.Dial);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pool { MaxIdle = -1 });
    }

    [Fact]
    public async Task Stress_64TasksNeverShareAConnection_AndTheStatsAddUp()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer, maxIdle: 8);
        pool.MaxActive = 8;
        pool.Wait = true;
        long ops = 0;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(task => Task.Run(async () =>
        {
            for (int i = 0; i < 2000; i++)
            {
                if ((task + i) % 2 == 0)
                {
                    using IConn c = pool.Get();
                    Assert.Equal($"{task}:{i}", c.Do("ECHO", $"{task}:{i}"));
                }
                else
                {
                    await using IConn c = await pool.GetAsync();
                    Assert.Equal($"{task}:{i}", await c.DoAsync("ECHO", $"{task}:{i}"));
                }
                Interlocked.Increment(ref ops);
            }
        }))).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(64 * 2000, ops);
        Assert.All(dialer.Connections, c => Assert.Equal(1, c.MaxUsers));
        PoolStats stats = pool.Stats;
        Assert.InRange(stats.ActiveCount, 1, 8);
        Assert.Equal(stats.ActiveCount, stats.IdleCount);
        Assert.Equal(dialer.Open, stats.ActiveCount);
        Assert.Equal(dialer.Dialed, dialer.Open); // nothing was broken, so nothing was closed
    }

    // Blocking waiters get threads of their own: the thread pool adds threads slowly on a small machine.
    private static Task RunThread(Action action) => Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(5)) throw new TimeoutException("condition not reached");
            await Task.Delay(2);
        }
    }
}
