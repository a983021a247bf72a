using BenchmarkDotNet.Attributes;
using Redis.Testing;

namespace Redis.Benchmarks;

/// <summary>
/// The generated built-in API (<see cref="IRedisCommands"/>, from commands.json) over one synchronous
/// <see cref="Conn"/> against a local redis-server: SET, INCR, EXPIRE and DEL must allocate 0 B per
/// call, GET only its result (a 16-byte value: 40 B).
/// </summary>
[MemoryDiagnoser]
public class GeneratedCommandBenchmarks
{
    private static readonly RedisKey Key = "bench:generated:key";
    private static readonly RedisKey Counter = "bench:generated:counter";
    private static readonly RedisValue Value16 = "0123456789abcdef"u8.ToArray();
    private static readonly RedisKey[] Missing = ["bench:generated:missing"];

    private TestServer _server = null!;
    private IConn _conn = null!;
    private IRedisCommands _redis = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _server = await TestServer.StartAsync(new TestServerOptions { RequireLocalRedisServer = true }).ConfigureAwait(false);
        _conn = Conn.Dial("tcp", _server.Address);   // sync only: see README on mixing sync and async
        _redis = _conn.Commands();
        if (!Set()) throw new InvalidOperationException("SET did not answer OK");
        if (Get() is not { Length: 16 }) throw new InvalidOperationException("GET did not return the value");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _conn?.Dispose();
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
    }

    [Benchmark(Baseline = true, Description = "generated Set (sync)")]
    public bool Set() => _redis.Set(Key, Value16);

    [Benchmark(Description = "generated Incr (sync)")]
    public long Incr() => _redis.Incr(Counter);

    [Benchmark(Description = "generated Expire (sync)")]
    public bool Expire() => _redis.Expire(Key, 3600);

    [Benchmark(Description = "generated Del of a missing key (sync)")]
    public long Del() => _redis.Del(Missing);

    [Benchmark(Description = "generated Get, 16-byte value (sync)")]
    public byte[]? Get() => _redis.Get(Key);
}
