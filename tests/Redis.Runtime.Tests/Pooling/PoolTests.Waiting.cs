using System.Collections.Concurrent;
using System.Diagnostics;
using static Redis.Tests.Shared.TestCommands;

namespace Redis.Tests.Pooling;

// A full pool: exhaustion, waiting in arrival order, cancelled waits and dialing into a freed slot.
public partial class PoolTests
{
    [Fact]
    public async Task FullPoolWithoutWait_ThrowsRedisPoolExhaustedException_AndRecoversWhenOneComesBack()
    {
        var dialer = new FakeDialer();
        using var pool = new Pool(Options(dialer, maxIdle: 2) with
        {
            MaxActive = 2,
        });
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
        using var pool = new Pool(Options(dialer) with
        {
            MaxActive = 2,
            Wait = true,
        });
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
        using var pool = new Pool(Options(dialer) with
        {
            MaxActive = 1,
            Wait = true,
        });
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
        using var pool = new Pool(Options(dialer) with
        {
            MaxActive = 1,
            Wait = true,
        });
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
        var pool = new Pool(Options(dialer) with { MaxActive = 1, Wait = true });
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
        using var pool = new Pool(Options(dialer) with
        {
            MaxActive = 1,
            Wait = true,
        });
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
        using var pool = new Pool(Options(dialer) with
        {
            MaxActive = 1,
            Wait = true,
        });
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
        using var pool = new Pool(Options(dialer, maxIdle: 100) with
        {
            TestOnBorrow = (_, _) => !Volatile.Read(ref failing),
        });
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

    [Fact]
    public async Task GetAsync_CancelledWhileWaiting_GivesUpItsPlaceAndLeaksNoSlot()
    {
        var dialer = new FakeDialer();
        using var pool = new Pool(Options(dialer) with
        {
            MaxActive = 1,
            Wait = true,
        });
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
        using var pool = new Pool(Options(dialer) with
        {
            MaxActive = 2,
            Wait = true,
        });
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
        using var pool = new Pool(Options(dialer) with
        {
            MaxActive = 1,
            Wait = true,
        });
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
}
