using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Redis.Testing;

namespace Redis.Benchmarks;

/// <summary>
/// The typed path generated wrappers use (<see cref="IRespExecutor"/>), with hand-written command
/// structs of the generated shape: SET (16 B value) and INCR over one <see cref="Conn"/> and over the
/// shared <see cref="RedisClient"/>, sync and async, against a local redis-server. The target is 0 B
/// allocated per call. The async benchmarks await <see cref="Batch"/> calls in a loop inside one pooled
/// async method (<c>OperationsPerInvoke</c>), so Mean and Allocated are per call and exclude
/// BenchmarkDotNet's own cost of awaiting a benchmark.
/// </summary>
[MemoryDiagnoser]
public class TypedCallBenchmarks
{
    public const int Batch = 100;

    private const string SetKey = "bench:typed:set";
    private const string IncrKey = "bench:typed:incr";
    private static readonly byte[] Value16 = "0123456789abcdef"u8.ToArray();

    private TestServer _server = null!;
    private Conn _conn = null!;
    private RedisClient _client = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _server = await TestServer.StartAsync(new TestServerOptions { RequireLocalRedisServer = true }).ConfigureAwait(false);
        Console.WriteLine($"// typed-call server: {_server.Description}");
        _conn = (Conn)Conn.Dial("tcp", _server.Address);
        _client = RedisClient.Connect("tcp", _server.Address);
        if (!ConnSet() || !ClientSet()) throw new InvalidOperationException("SET did not answer OK");
        if (ClientIncr() != ConnIncr() - 1) throw new InvalidOperationException("INCR did not count");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        Console.WriteLine($"// client stats: {_client?.Stats}");
        _conn?.Dispose();
        if (_client is not null) await _client.DisposeAsync().ConfigureAwait(false);
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
    }

    [Benchmark(Baseline = true, Description = "Conn: typed SET (sync)")]
    public bool ConnSet() => _conn.Execute<SetCommand, OkParser, bool>(new SetCommand(SetKey, Value16), default);

    [Benchmark(Description = "Conn: typed INCR (sync)")]
    public long ConnIncr() => _conn.Execute<IncrCommand, Int64Parser, long>(new IncrCommand(IncrKey), default);

    [Benchmark(OperationsPerInvoke = Batch, Description = "Conn: typed SET (async, per call)")]
    public ValueTask ConnSetAsync() => SetLoop(_conn);

    [Benchmark(OperationsPerInvoke = Batch, Description = "Conn: typed INCR (async, per call)")]
    public ValueTask ConnIncrAsync() => IncrLoop(_conn);

    [Benchmark(Description = "RedisClient: typed SET (sync)")]
    public bool ClientSet() => _client.Execute<SetCommand, OkParser, bool>(new SetCommand(SetKey, Value16), default);

    [Benchmark(Description = "RedisClient: typed INCR (sync)")]
    public long ClientIncr() => _client.Execute<IncrCommand, Int64Parser, long>(new IncrCommand(IncrKey), default);

    [Benchmark(OperationsPerInvoke = Batch, Description = "RedisClient: typed SET (async, per call)")]
    public ValueTask ClientSetAsync() => SetLoop(_client);

    [Benchmark(OperationsPerInvoke = Batch, Description = "RedisClient: typed INCR (async, per call)")]
    public ValueTask ClientIncrAsync() => IncrLoop(_client);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask SetLoop(IRespExecutor executor)
    {
        for (int i = 0; i < Batch; i++)
        {
            await executor.ExecuteAsync<SetCommand, OkParser, bool>(new SetCommand(SetKey, Value16), default).ConfigureAwait(false);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask IncrLoop(IRespExecutor executor)
    {
        for (int i = 0; i < Batch; i++)
        {
            await executor.ExecuteAsync<IncrCommand, Int64Parser, long>(new IncrCommand(IncrKey), default).ConfigureAwait(false);
        }
    }
}
