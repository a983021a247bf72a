using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Redis.Testing;

namespace Redis.Benchmarks;

/// <summary>
/// The cost of <see cref="RedisTelemetry"/>: the generated typed SET (16 B value) and INCR over one
/// <see cref="Conn"/> and over the shared <see cref="RedisClient"/>, with nobody listening (the target:
/// 0 B per call, as without telemetry) and with an <see cref="ActivityListener"/> recording every span and a
/// <see cref="MeterListener"/> taking every duration measurement (what a call costs when traced).
/// </summary>
[MemoryDiagnoser]
public class TelemetryBenchmarks
{
    public const int Batch = 100;

    private const string SetKey = "bench:telemetry:set";
    private const string IncrKey = "bench:telemetry:incr";
    private static readonly byte[] Value16 = "0123456789abcdef"u8.ToArray();

    private TestServer _server = null!;
    private Conn _conn = null!;
    private Conn _asyncConn = null!;   // async only: a socket used async costs sync calls 100-200 B (README)
    private RedisClient _client = null!;
    private IRedisCommands _connCommands = null!;
    private IRedisCommands _asyncConnCommands = null!;
    private IRedisCommands _clientCommands = null!;
    private ActivityListener? _activities;
    private MeterListener? _meters;
    private long _spans;
    private long _measurements;

    /// <summary>False: nobody listens. True: every span recorded and every measurement taken.</summary>
    [Params(false, true)]
    public bool Listening { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _server = await TestServer.StartAsync(new TestServerOptions { RequireLocalRedisServer = true }).ConfigureAwait(false);
        _conn = (Conn)Conn.Dial("tcp", _server.Address);
        _client = RedisClient.Connect("tcp", _server.Address);
        _connCommands = ((IConn)_conn).Commands();
        _asyncConn = (Conn)await Conn.DialAsync("tcp", _server.Address).ConfigureAwait(false);
        _asyncConnCommands = ((IConn)_asyncConn).Commands();
        _clientCommands = _client.Commands();
        if (Listening)
        {
            _activities = new ActivityListener
            {
                ShouldListenTo = source => source.Name == RedisTelemetry.ActivitySourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _ => Interlocked.Increment(ref _spans),
            };
            ActivitySource.AddActivityListener(_activities);
            _meters = new MeterListener
            {
                InstrumentPublished = (instrument, listener) =>
                {
                    if (instrument.Meter.Name == RedisTelemetry.MeterName) listener.EnableMeasurementEvents(instrument);
                },
            };
            _meters.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _measurements));
            _meters.Start();
        }
        if (!ConnSet() || !ClientSet()) throw new InvalidOperationException("SET did not answer OK");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        Console.WriteLine($"// listening: {Listening}, spans: {_spans}, duration measurements: {_measurements}");
        _activities?.Dispose();
        _meters?.Dispose();
        _conn?.Dispose();
        _asyncConn?.Dispose();
        if (_client is not null) await _client.DisposeAsync().ConfigureAwait(false);
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
    }

    [Benchmark(Description = "Conn: generated Set (sync)")]
    public bool ConnSet() => _connCommands.Set(SetKey, Value16);

    [Benchmark(Description = "Conn: generated Incr (sync)")]
    public long ConnIncr() => _connCommands.Incr(IncrKey);

    [Benchmark(OperationsPerInvoke = Batch, Description = "Conn: generated Incr (async, per call)")]
    public ValueTask ConnIncrAsync() => IncrLoop(_asyncConnCommands);

    [Benchmark(Description = "RedisClient: generated Set (sync)")]
    public bool ClientSet() => _clientCommands.Set(SetKey, Value16);

    [Benchmark(Description = "RedisClient: generated Incr (sync)")]
    public long ClientIncr() => _clientCommands.Incr(IncrKey);

    [Benchmark(OperationsPerInvoke = Batch, Description = "RedisClient: generated Incr (async, per call)")]
    public ValueTask ClientIncrAsync() => IncrLoop(_clientCommands);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask IncrLoop(IRedisCommands redis)
    {
        for (int i = 0; i < Batch; i++) await redis.IncrAsync(IncrKey).ConfigureAwait(false);
    }
}
