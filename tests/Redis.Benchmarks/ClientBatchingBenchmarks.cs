using BenchmarkDotNet.Attributes;
using Redis.Testing;

namespace Redis.Benchmarks;

/// <summary>
/// The shared client's auto-pipelining: <see cref="Callers"/> concurrent async callers each await typed
/// GETs (16 B value) on one <see cref="RedisClient"/> until <see cref="Operations"/> calls are done.
/// Mean and Allocated are per call (<c>OperationsPerInvoke</c>); the GET result (a 16-byte array, 40 B)
/// is the only allocation expected. The commands per socket write that batching achieved are printed
/// at cleanup (<see cref="RedisClient.Stats"/>).
/// </summary>
[MemoryDiagnoser]
public class ClientBatchingBenchmarks
{
    public const int Operations = 6400;

    private const string Key = "bench:batching";

    private TestServer _server = null!;
    private RedisClient _client = null!;

    [Params(1, 8, 64)]
    public int Callers { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _server = await TestServer.StartAsync(new TestServerOptions { RequireLocalRedisServer = true }).ConfigureAwait(false);
        _client = await RedisClient.ConnectAsync("tcp", _server.Address).ConfigureAwait(false);
        await _client.DoAsync("SET", Key, "0123456789abcdef").ConfigureAwait(false);
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        if (_client is not null)
        {
            ClientStats stats = _client.Stats;
            Console.WriteLine($"// {Callers} caller(s): {stats.Commands:N0} commands in {stats.Writes:N0} writes = {stats.CommandsPerWrite:0.0} commands per write");
            await _client.DisposeAsync().ConfigureAwait(false);
        }
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
    }

    [Benchmark(OperationsPerInvoke = Operations, Description = "typed GET, concurrent async callers (per call)")]
    public Task TypedGet() => Run(static async (client, count) =>
    {
        for (int i = 0; i < count; i++) await client.ExecuteAsync<GetCommand, BytesParser, byte[]?>(new GetCommand(Key), default).ConfigureAwait(false);
    });

    [Benchmark(OperationsPerInvoke = Operations, Description = "DoAsync GET, concurrent async callers (per call)")]
    public Task RawGet() => Run(static async (client, count) =>
    {
        for (int i = 0; i < count; i++) await client.DoAsync("GET", Key).ConfigureAwait(false);
    });

    private Task Run(Func<RedisClient, int, Task> caller)
    {
        int each = Operations / Callers;
        if (Callers == 1) return caller(_client, each);
        var tasks = new Task[Callers];
        for (int c = 0; c < tasks.Length; c++) tasks[c] = Task.Run(() => caller(_client, each));
        return Task.WhenAll(tasks);
    }
}
