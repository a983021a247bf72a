using System.Collections.Concurrent;
using System.Diagnostics;
using static Redis.Tests.Shared.TestCommands;

namespace Redis.Tests.Pooling;

/// <summary>Pool logic against scripted connections and a fake clock (redigo's pool_test.go vectors, and more).</summary>
public partial class PoolTests
{
    private static Pool NewPool(FakeDialer dialer, int maxIdle = 10, TimeProvider? time = null) => new(Options(dialer, maxIdle, time));

    private static PoolOptions Options(FakeDialer dialer, int maxIdle = 10, TimeProvider? time = null) => new()
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
        using var pool = new Pool(Options(dialer, time: time) with
        {
            IdleTimeout = TimeSpan.FromSeconds(300),
        });
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
        using var pool = new Pool(Options(dialer, time: time) with
        {
            IdleTimeout = TimeSpan.FromSeconds(30),
        });
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
        using var pool = new Pool(Options(dialer, time: time) with
        {
            MaxConnLifetime = TimeSpan.FromSeconds(300),
        });
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
        using var pool = new Pool(Options(dialer, time: time) with
        {
            MaxConnLifetime = TimeSpan.FromSeconds(10),
        });
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
        using var pool = new Pool(Options(dialer, time: time) with
        {
            TestOnBorrow = (conn, returnedAt) =>
            {
                seen.Add(returnedAt);
                return false;
            },
        });
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
        using var pool = new Pool(Options(dialer) with
        {
            TestOnBorrow = (_, _) => throw new InvalidOperationException("ping failed"),
        });
        pool.Get().Dispose();
        using IConn c = pool.Get();
        Assert.Equal(2, dialer.Dialed);
        Assert.Equal(1, dialer.Open);
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
    public void PoolOptions_RejectABadValueWhereItIsSet_WithItsName()
    {
        Assert.Equal("MaxIdle", Assert.Throws<ArgumentOutOfRangeException>(() => new PoolOptions { MaxIdle = -1 }).ParamName);
        Assert.Equal("MaxActive", Assert.Throws<ArgumentOutOfRangeException>(() => PoolOptions.Default with { MaxActive = -1 }).ParamName);
        Assert.Equal("IdleTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => new PoolOptions { IdleTimeout = TimeSpan.FromSeconds(-1) }).ParamName);
        Assert.Equal("MaxConnLifetime", Assert.Throws<ArgumentOutOfRangeException>(() => new PoolOptions { MaxConnLifetime = TimeSpan.FromSeconds(-1) }).ParamName);
        Assert.Equal("Database", Assert.Throws<ArgumentOutOfRangeException>(() => new PoolOptions { Database = -1 }).ParamName);
        Assert.Equal("TimeProvider", Assert.Throws<ArgumentNullException>(() => new PoolOptions { TimeProvider = null! }).ParamName);
        // The redigo-style initializer goes through the same checks.
        Assert.Contains("MaxIdle must not be negative", Assert.Throws<ArgumentOutOfRangeException>(() => new Pool { MaxIdle = -1 }).Message);
    }

    [Fact]
    public void ObjectInitializer_AndPoolOptions_BuildTheSameSettings()
    {
        var dialer = new FakeDialer();
        Func<IConn, DateTimeOffset, bool> test = (_, _) => true;
        using var fromInitializer = new Pool { Dial = dialer.Dial, MaxIdle = 3, MaxActive = 7, Wait = true, IdleTimeout = TimeSpan.FromSeconds(5), TestOnBorrow = test, Database = 2 };
        PoolOptions options = new() { Dial = dialer.Dial, MaxIdle = 3, MaxActive = 7, Wait = true, IdleTimeout = TimeSpan.FromSeconds(5), TestOnBorrow = test, Database = 2 };
        using var fromOptions = new Pool(options);
        Assert.Equal(options, fromInitializer.Options);
        Assert.Same(options, fromOptions.Options);
        Assert.Equal((3, 7, true, 2), (fromOptions.MaxIdle, fromOptions.MaxActive, fromOptions.Wait, fromOptions.Database));
    }

    [Fact]
    public void PoolFromOptions_WithoutADialer_IsRefusedAtConstruction()
    {
        var error = Assert.Throws<ArgumentException>(() => new Pool(new PoolOptions { MaxActive = 2 }));
        Assert.Contains("Dial or DialAsync", error.Message);
    }

    [Fact]
    public void Create_TakesPoolOptions_ButRefusesADialerOrAnotherDatabaseInThem()
    {
        using Pool pool = Pool.Create("redis://127.0.0.1:1/3", dialOptions: null, new PoolOptions { MaxActive = 4, Wait = true });
        Assert.Equal((4, true, 3), (pool.MaxActive, pool.Wait, pool.Database));
        Assert.NotNull(pool.Dial);
        Assert.Throws<ArgumentException>(() => Pool.Create("redis://127.0.0.1:1", null, new PoolOptions { Dial = new FakeDialer().Dial }));
        var error = Assert.Throws<ArgumentException>(() => Pool.Create("tcp", "127.0.0.1:1", new DialOptions { Database = 1 }, new PoolOptions { Database = 2 }));
        Assert.Contains("PoolOptions.Database (2)", error.Message);
        using Pool same = Pool.Create("tcp", "127.0.0.1:1", new DialOptions { Database = 1 }, new PoolOptions { Database = 1 });
        Assert.Equal(1, same.Database);
    }

    [Fact]
    public async Task Stress_64TasksNeverShareAConnection_AndTheStatsAddUp()
    {
        var dialer = new FakeDialer();
        using var pool = new Pool(Options(dialer, maxIdle: 8) with
        {
            MaxActive = 8,
            Wait = true,
        });
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
