using System.Diagnostics;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redis.Tests;

/// <summary>
/// Many callers through one small pool against a live server: no connection is ever used by two
/// borrowers at once, every caller gets its own replies, and the counters add up.
/// </summary>
[Collection(ServerCollection.Name)]
public class PoolStressTests(ServerFixture fixture, ITestOutputHelper output)
{
    private const int Tasks = 64;
    private const int OpsPerTask = 2000;
    private const int MaxActive = 8;

    /// <summary>Counts the callers inside a call on this connection at the same moment.</summary>
    private sealed class CountingConn(IConn inner) : IConn
    {
        private int _users;
        private int _maxUsers;

        public int MaxUsers => Volatile.Read(ref _maxUsers);

        public Exception? Err => inner.Err;

        public object? Do(string command, params object?[] args)
        {
            Enter();
            try
            {
                return inner.Do(command, args);
            }
            finally
            {
                Leave();
            }
        }

        public async ValueTask<object?> DoAsync(string command, IReadOnlyList<object?> args, CancellationToken cancellationToken)
        {
            Enter();
            try
            {
                return await inner.DoAsync(command, args, cancellationToken);
            }
            finally
            {
                Leave();
            }
        }

        public ValueTask<object?> DoAsync(string command, params object?[] args) => DoAsync(command, args, CancellationToken.None);
        public void Send(string command, params object?[] args) => inner.Send(command, args);
        public void Flush() => inner.Flush();
        public object? Receive() => inner.Receive();
        public ValueTask FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
        public ValueTask<object?> ReceiveAsync(CancellationToken cancellationToken = default) => inner.ReceiveAsync(cancellationToken);
        public void Close() => inner.Close();
        public void Dispose() => inner.Dispose();
        public ValueTask DisposeAsync() => inner.DisposeAsync();

        private void Enter()
        {
            int users = Interlocked.Increment(ref _users);
            int max;
            while (users > (max = Volatile.Read(ref _maxUsers)) && Interlocked.CompareExchange(ref _maxUsers, users, max) != max)
            {
            }
        }

        private void Leave() => Interlocked.Decrement(ref _users);
    }

    [Fact]
    public async Task SixtyFourTasksThroughEightConnections_NeverShareOne_AndEachGetsItsOwnReplies()
    {
        var conns = new List<CountingConn>();
        string address = fixture.Server.Address;
        using var pool = new Pool
        {
            Dial = () =>
            {
                var conn = new CountingConn(Conn.Dial("tcp", address));
                lock (conns) conns.Add(conn);
                return conn;
            },
            DialAsync = async ct =>
            {
                var conn = new CountingConn(await Conn.DialAsync("tcp", address, cancellationToken: ct));
                lock (conns) conns.Add(conn);
                return conn;
            },
            MaxActive = MaxActive,
            MaxIdle = MaxActive,
            Wait = true,
        };
        string prefix = ServerFixture.Key("stress");
        long ops = 0;
        var stopwatch = Stopwatch.StartNew();

        // Half the callers are threads using the blocking API, half are async tasks.
        Task[] workers = Enumerable.Range(0, Tasks).Select(task => task % 2 == 0
            ? Task.Factory.StartNew(() =>
            {
                string key = $"{prefix}:{task}";
                for (long i = 1; i <= OpsPerTask; i++)
                {
                    using IConn c = pool.Get();
                    Assert.Equal(i, c.Do("INCR", key)); // only this task touches its key: i is its own reply
                    Interlocked.Increment(ref ops);
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            : Task.Run(async () =>
            {
                string key = $"{prefix}:{task}";
                for (long i = 1; i <= OpsPerTask; i++)
                {
                    await using IConn c = await pool.GetAsync();
                    Assert.Equal(i, await c.DoAsync("INCR", key));
                    Interlocked.Increment(ref ops);
                }
            })).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(120));
        TimeSpan elapsed = stopwatch.Elapsed;

        PoolStats stats = pool.Stats;
        int maxUsers = conns.Max(c => c.MaxUsers);
        output.WriteLine($"{ops} ops by {Tasks} tasks through MaxActive {MaxActive} in {elapsed.TotalSeconds:F2} s ({ops / elapsed.TotalSeconds:F0} ops/s); " +
            $"dialed {conns.Count}; max concurrent users per connection {maxUsers}; {stats}");

        Assert.Equal((long)Tasks * OpsPerTask, ops);
        Assert.Equal(1, maxUsers);
        Assert.InRange(conns.Count, 1, MaxActive);
        Assert.Equal(conns.Count, stats.ActiveCount);   // nothing was closed: every connection stayed healthy
        Assert.Equal(stats.ActiveCount, stats.IdleCount); // and every one came back
        Assert.True(stats.WaitCount > 0);
        Assert.True(stats.WaitDuration > TimeSpan.Zero);
        Assert.All(conns, c => Assert.Null(c.Err));

        await using IConn check = fixture.Dial();
        for (int task = 0; task < Tasks; task++)
        {
            Assert.Equal(OpsPerTask, Reply.Int64(check.Do("GET", $"{prefix}:{task}")));
        }
    }
}
