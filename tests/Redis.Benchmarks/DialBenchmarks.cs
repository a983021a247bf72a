using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Redis.Testing;

namespace Redis.Benchmarks;

/// <summary>
/// The cold paths against a local redis-server: a dial and close (plain, and with the handshake
/// HELLO 3 + SETNAME + SELECT), sync and async, and a pool borrow and return of a warm connection
/// (with and without state to clean up: a WATCH is undone with UNWATCH). Mean is dominated by the
/// loopback connect and round trips; Allocated shows what the client adds per dial or borrow.
/// </summary>
[MemoryDiagnoser]
public class DialBenchmarks
{
    private static readonly DialOptions Plain = DialOptions.Default;
    private static readonly DialOptions WithHandshake = DialOptions.Default with { Protocol = 3, ClientName = "bench", Database = 1 };
    private static readonly object?[] WatchArgs = ["bench:dial:watch"];

    private TestServer _server = null!;
    private Pool _pool = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _server = await TestServer.StartAsync(new TestServerOptions { RequireLocalRedisServer = true }).ConfigureAwait(false);
        Console.WriteLine($"// dial server: {_server.Description}");
        _pool = Pool.Create("tcp", _server.Address);
        using (IConn warm = _pool.Get()) warm.Do("PING");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _pool?.Dispose();
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
    }

    [Benchmark(Baseline = true, Description = "Dial + Close (sync)")]
    public void Dial()
    {
        using IConn conn = Conn.Dial("tcp", _server.Address, Plain);
    }

    [Benchmark(Description = "Dial + Close (async)")]
    public async Task DialAsync()
    {
        await using IConn conn = await Conn.DialAsync("tcp", _server.Address, Plain).ConfigureAwait(false);
    }

    [Benchmark(Description = "Dial HELLO 3+SETNAME+SELECT + Close (sync)")]
    public void DialHandshake()
    {
        using IConn conn = Conn.Dial("tcp", _server.Address, WithHandshake);
    }

    [Benchmark(Description = "Dial HELLO 3+SETNAME+SELECT + Close (async)")]
    public async Task DialHandshakeAsync()
    {
        await using IConn conn = await Conn.DialAsync("tcp", _server.Address, WithHandshake).ConfigureAwait(false);
    }

    [Benchmark(Description = "Pool Get + Dispose, warm (sync)")]
    public void PoolBorrow()
    {
        using IConn conn = _pool.Get();
    }

    [Benchmark(Description = "Pool GetAsync + DisposeAsync, warm")]
    public ValueTask PoolBorrowAsync() => BorrowAsync(_pool, watch: false);

    [Benchmark(Description = "Pool Get + WATCH + Dispose (UNWATCH) (sync)")]
    public void PoolBorrowWatch()
    {
        using IConn conn = _pool.Get();
        conn.Do("WATCH", WatchArgs);
    }

    [Benchmark(Description = "Pool GetAsync + WATCH + DisposeAsync (UNWATCH)")]
    public ValueTask PoolBorrowWatchAsync() => BorrowAsync(_pool, watch: true);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask BorrowAsync(Pool pool, bool watch)
    {
        await using IConn conn = await pool.GetAsync().ConfigureAwait(false);
        if (watch) await conn.DoAsync("WATCH", WatchArgs, CancellationToken.None).ConfigureAwait(false);
    }
}
