using BenchmarkDotNet.Attributes;
using Redis.Testing;

namespace Redis.Benchmarks;

/// <summary>
/// Commands against a local <c>redis-server</c> (started in <see cref="Setup"/> on a free port,
/// stopped in <see cref="Cleanup"/>) over one TCP connection. Arguments are boxed once into static
/// arrays. Mean is dominated by the loopback round trip; Allocated shows what the client adds
/// (a GET reply is a 16-byte byte[], 40 B on x64).
/// </summary>
[MemoryDiagnoser]
public class RoundTripBenchmarks
{
    public const int PipelineDepth = 100;

    private const string GetKey = "bench:get";
    private const string SetKey = "bench:set";
    private const string Value16 = "0123456789abcdef";

    private static readonly object?[] GetArgs = [GetKey];
    private static readonly object?[] SetArgs = [SetKey, Value16];

    private TestServer _server = null!;
    private IConn _conn = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        // A redis-server process of our own: never REDIS_URL, a container or in-process Garnet.
        _server = await TestServer.StartAsync(new TestServerOptions { RequireLocalRedisServer = true }).ConfigureAwait(false);
        Console.WriteLine($"// round-trip server: {_server.Description}");
        _conn = Conn.Dial("tcp", _server.Address);
        _conn.Do("SET", GetKey, Value16);
        if (Get() is not byte[] { Length: 16 }) throw new InvalidOperationException("GET did not return the 16-byte value");
        if (Set() as string != "OK") throw new InvalidOperationException("SET did not return OK");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        _conn?.Dispose();
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary><c>GET bench:get</c> (16-byte value), synchronous.</summary>
    [Benchmark(Baseline = true, Description = "Do(GET) 16 B value")]
    public object? Get() => _conn.Do("GET", GetArgs);

    /// <summary><c>SET bench:set &lt;16 bytes&gt;</c>, synchronous; the reply is the cached "OK".</summary>
    [Benchmark(Description = "Do(SET) 16 B value")]
    public object? Set() => _conn.Do("SET", SetArgs);

    /// <summary><c>GET bench:get</c> through <c>DoAsync</c>.</summary>
    [Benchmark(Description = "DoAsync(GET) 16 B value")]
    public ValueTask<object?> GetAsync() => _conn.DoAsync("GET", GetArgs);

    /// <summary>100 × Send(GET), one Flush, 100 × Receive; Mean and Allocated are per command.</summary>
    [Benchmark(OperationsPerInvoke = PipelineDepth, Description = "Pipeline 100 x GET (per command)")]
    public int PipelinedGet()
    {
        for (int i = 0; i < PipelineDepth; i++) _conn.Send("GET", GetArgs);
        _conn.Flush();
        int bytes = 0;
        for (int i = 0; i < PipelineDepth; i++) bytes += ((byte[])_conn.Receive()!).Length;
        return bytes;
    }
}
