using BenchmarkDotNet.Attributes;
using Redis.Testing;

namespace Redis.Benchmarks;

/// <summary>
/// GET of a 100 KB value through the generated API against a local redis-server, over one <see cref="Conn"/>
/// and over the shared <see cref="RedisClient"/>: <c>Get</c> must allocate only its result (one
/// <c>byte[102400]</c>, 102,424 B: the reply is read from the socket straight into it), <c>GetLease</c>
/// nothing at all (a pooled array and a pooled lease holder). Async rows await 10 calls per invocation
/// (<c>OperationsPerInvoke = 10</c>), so Allocated is per call.
/// </summary>
[MemoryDiagnoser]
public class LargeValueBenchmarks
{
    private const int Size = 100 * 1024;
    private static readonly RedisKey Key = "bench:large:value";

    private TestServer _server = null!;
    private IConn _conn = null!;
    private RedisClient _client = null!;
    private IRedisCommands _overConn = null!;
    private IRedisCommands _overClient = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _server = await TestServer.StartAsync(new TestServerOptions { RequireLocalRedisServer = true }).ConfigureAwait(false);
        _conn = Conn.Dial("tcp", _server.Address);
        _client = RedisClient.Connect("tcp", _server.Address);
        _overConn = _conn.Commands();
        _overClient = _client.Commands();
        byte[] value = new byte[Size];
        Array.Fill(value, (byte)'x');
        _overConn.Set(Key, value);
        if (ConnGet() != Size || ConnGetLease() != Size || ClientGet() != Size || ClientGetLease() != Size) throw new InvalidOperationException("GET did not return the value");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _conn?.Dispose();
        _client?.Dispose();
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
    }

    [Benchmark(Baseline = true, Description = "Conn: Get, 100 KB byte[] (sync)")]
    public int ConnGet() => _overConn.Get(Key)!.Length;

    [Benchmark(Description = "Conn: GetLease, 100 KB (sync)")]
    public int ConnGetLease()
    {
        using RedisLease lease = _overConn.GetLease(Key)!.Value;
        return lease.Length;
    }

    [Benchmark(Description = "RedisClient: Get, 100 KB byte[] (sync)")]
    public int ClientGet() => _overClient.Get(Key)!.Length;

    [Benchmark(Description = "RedisClient: GetLease, 100 KB (sync)")]
    public int ClientGetLease()
    {
        using RedisLease lease = _overClient.GetLease(Key)!.Value;
        return lease.Length;
    }

    [Benchmark(OperationsPerInvoke = 10, Description = "RedisClient: GetLeaseAsync, 100 KB (async, per call)")]
    public async Task<int> ClientGetLeaseAsync()
    {
        int total = 0;
        for (int i = 0; i < 10; i++)
        {
            using RedisLease lease = (await _overClient.GetLeaseAsync(Key).ConfigureAwait(false))!.Value;
            total += lease.Length;
        }
        return total;
    }
}
