using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Redis.Testing;

namespace Redis.Benchmarks;

/// <summary>
/// The generated typed API routed through <see cref="RedisCluster"/> (<c>cluster.Commands()</c>): Set of a
/// 16-byte value and Get of it, sync and async, against the cluster <c>REDIS_CLUSTER</c> names or a local
/// 3-master cluster (no replicas) that <c>[GlobalSetup]</c> starts. The key rotates over 64 keys on every
/// master. The target is 0 B per call beyond the result (Get: a 16-byte <c>byte[]</c>, 40 B). The async
/// benchmarks await <see cref="Batch"/> calls in one pooled async method, so numbers are per call.
/// </summary>
[MemoryDiagnoser]
public class ClusterTypedCallBenchmarks
{
    public const int Batch = 100;

    private static readonly RedisValue Value16 = "0123456789abcdef"u8.ToArray();
    private readonly RedisKey[] _keys = [.. Enumerable.Range(0, 64).Select(i => (RedisKey)$"bench:cluster:{i}")];
    private LocalCluster? _local;
    private RedisCluster _cluster = null!;
    private IRedisCommands _redis = null!;
    private int _next;

    [GlobalSetup]
    public async Task Setup()
    {
        string? seeds = Environment.GetEnvironmentVariable("REDIS_CLUSTER");
        if (string.IsNullOrWhiteSpace(seeds))
        {
            _local = await LocalCluster.StartAsync(masters: 3, replicasPerMaster: 0).ConfigureAwait(false);
            seeds = _local.Seeds;
        }
        _cluster = await RedisCluster.ConnectAsync(seeds).ConfigureAwait(false);
        _redis = _cluster.Commands();
        foreach (RedisKey key in _keys) await _redis.SetAsync(key, Value16).ConfigureAwait(false);
        if (Get() is not { Length: 16 }) throw new InvalidOperationException("GET did not return the value");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        Console.WriteLine($"// cluster stats: {_cluster?.Stats}");
        if (_cluster is not null) await _cluster.DisposeAsync().ConfigureAwait(false);
        if (_local is not null) await _local.DisposeAsync().ConfigureAwait(false);
    }

    private RedisKey NextKey() => _keys[_next++ & 63];

    [Benchmark(Baseline = true, Description = "RedisCluster: typed Set (sync)")]
    public bool Set() => _redis.Set(NextKey(), Value16);

    [Benchmark(Description = "RedisCluster: typed Get, 16-byte value (sync)")]
    public byte[]? Get() => _redis.Get(NextKey());

    [Benchmark(OperationsPerInvoke = Batch, Description = "RedisCluster: typed SetAsync (per call)")]
    public ValueTask SetAsync() => SetLoop(_redis, _keys);

    [Benchmark(OperationsPerInvoke = Batch, Description = "RedisCluster: typed GetAsync, 16-byte value (per call)")]
    public ValueTask GetAsync() => GetLoop(_redis, _keys);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask SetLoop(IRedisCommands redis, RedisKey[] keys)
    {
        for (int i = 0; i < Batch; i++) await redis.SetAsync(keys[i & 63], Value16).ConfigureAwait(false);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask GetLoop(IRedisCommands redis, RedisKey[] keys)
    {
        for (int i = 0; i < Batch; i++) await redis.GetAsync(keys[i & 63]).ConfigureAwait(false);
    }
}
