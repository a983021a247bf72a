using Redis.Testing;

namespace Redis.Extensions.Caching.Tests;

/// <summary>
/// The shared test server and one <see cref="RedisClient"/> on it. Tests isolate themselves with an
/// instance name (key prefix) of their own, never by flushing.
/// </summary>
public sealed class CacheFixture : IAsyncLifetime
{
    private TestServer? _server;
    private RedisClient? _client;

    /// <summary>The shared server.</summary>
    public TestServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>A client on the shared server.</summary>
    public RedisClient Client => _client ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewInstanceName(string test) => $"cache:{test}:{Guid.NewGuid():N}:";

    /// <summary>A cache over the shared client with a fresh instance name (<paramref name="prefix"/>).</summary>
    public RedisDistributedCache NewCache(string test, out string prefix, TimeProvider? clock = null, bool useScripts = true)
    {
        prefix = NewInstanceName(test);
        return new(new RedisDistributedCacheOptions { Client = Client, InstanceName = prefix, TimeProvider = clock ?? TimeProvider.System, UseScripts = useScripts });
    }

    /// <summary>PTTL of a Redis key in milliseconds (-1: no TTL, -2: no key).</summary>
    public async Task<long> PttlAsync(string redisKey) => (long)(await Client.DoAsync("PTTL", redisKey))!;

    /// <summary>The fields of a hash as strings (data as UTF-8 text).</summary>
    public async Task<Dictionary<string, string>> HashAsync(string redisKey)
    {
        var reply = (object?[])(await Client.DoAsync("HGETALL", redisKey))!;
        var fields = new Dictionary<string, string>();
        for (int i = 0; i + 1 < reply.Length; i += 2)
        {
            fields[Text(reply[i])] = Text(reply[i + 1]);
        }
        return fields;
    }

    private static string Text(object? value) => value switch
    {
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        string s => s,
        _ => throw new InvalidOperationException($"unexpected reply {value}"),
    };

    async Task IAsyncLifetime.InitializeAsync()
    {
        _server = await TestServer.SharedAsync();
        _client = await RedisClient.ConnectAsync(_server.Url);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
    }
}

/// <summary>Tests in this collection share <see cref="CacheFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class CacheCollection : ICollectionFixture<CacheFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "cache";
}
