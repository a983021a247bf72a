using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace Redis.Extensions.Caching.Tests;

/// <summary>
/// ASP.NET Core's own Redis cache (<see cref="RedisCache"/> from Microsoft.Extensions.Caching.StackExchangeRedis)
/// on the test server, through one StackExchange.Redis multiplexer whose commands can be recorded with its profiler.
/// </summary>
public sealed class AspNetCoreRedisCache : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _multiplexer;
    private ProfilingSession? _session;

    private AspNetCoreRedisCache(ConnectionMultiplexer multiplexer)
    {
        _multiplexer = multiplexer;
        _multiplexer.RegisterProfiler(() => _session);
    }

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static async Task<AspNetCoreRedisCache> ConnectAsync(string host, int port) =>
        new(await ConnectionMultiplexer.ConnectAsync($"{host}:{port},abortConnect=false"));

    /// <summary>A <see cref="RedisCache"/> with <paramref name="instanceName"/> on the shared multiplexer.</summary>
    /// <remarks>Not disposed by the tests: disposing a RedisCache closes the multiplexer it was given.</remarks>
    public RedisCache NewCache(string instanceName) => new(Options.Create(new RedisCacheOptions
    {
        InstanceName = instanceName,
        ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(_multiplexer),
    }));

    /// <summary>Records the names of the commands StackExchange.Redis sends while <paramref name="action"/> runs.</summary>
    public async Task<IReadOnlyList<IProfiledCommand>> RecordAsync(Func<Task> action)
    {
        var session = new ProfilingSession();
        _session = session;
        try
        {
            await action();
        }
        finally
        {
            _session = null;
        }
        return [.. session.FinishProfiling()];
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _multiplexer.DisposeAsync();
}
