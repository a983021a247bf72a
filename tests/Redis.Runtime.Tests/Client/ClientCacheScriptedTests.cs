using System.Text;

namespace Redis.Tests.Client;

/// <summary>
/// Client-side caching against a scripted RESP3 server, for the orders a real server rarely shows: an invalidation
/// push right before the reply it invalidates, <c>tracking-redir-broken</c>, a null-key invalidation, and a push for
/// one key while reads of several are in flight.
/// </summary>
public class ClientCacheScriptedTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static ClientOptions Options() => new()
    {
        Cache = new CacheOptions(),
        CommandTimeout = TimeSpan.FromSeconds(10),
        ReconnectDelay = TimeSpan.FromMilliseconds(20),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(100),
    };

    private static readonly DialOptions Resp3 = DialOptions.Default with { Protocol = 3 };

    private static string Invalidate(string key) => $">2\r\n$10\r\ninvalidate\r\n*1\r\n${key.Length}\r\n{key}\r\n";

    private static string? S(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);

    private static CacheStats Stats(RedisClient client) => client.Stats.Cache!.Value;

    /// <summary>A tiny Redis (ScriptedServer.Simple) that also answers PTTL (-1: no TTL) and counts GETs; <paramref name="beforeGetReply"/> may put bytes (a push) before a GET reply.</summary>
    private static ScriptedServer Server(Func<string, string?>? beforeGetReply, Action? onGet = null) => ScriptedServer.Simple(command =>
    {
        switch (command[0].ToUpperInvariant())
        {
            case "PTTL":
                return ValueTask.FromResult<string?>(":-1\r\n");
            case "GET":
                onGet?.Invoke();
                if (beforeGetReply?.Invoke(command[1]) is { } prefix) return ValueTask.FromResult<string?>(prefix + ScriptedServer.Bulk("v-" + command[1]));
                return ValueTask.FromResult<string?>(ScriptedServer.Bulk("v-" + command[1]));
            default:
                return null;
        }
    });

    [Fact]
    public async Task InvalidationPushRightBeforeTheReply_ValueIsReturnedButNotCached()
    {
        int gets = 0;
        await using ScriptedServer server = Server(key => key == "raced" ? Invalidate("raced") : null, () => Interlocked.Increment(ref gets));
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", server.Address, Resp3, Options());
        IRedisCommands cached = client.Cached(Ttl);

        Assert.Equal("v-raced", S(await cached.GetAsync("raced")));
        Assert.Equal(0, Stats(client).Entries);
        Assert.Equal("v-raced", S(cached.Get("raced"))); // sync path too
        Assert.Equal("v-raced", S(await cached.GetAsync("raced")));
        CacheStats stats = Stats(client);
        Assert.Equal(3, stats.Misses);
        Assert.Equal(0, stats.Hits);
        Assert.Equal(3, Volatile.Read(ref gets));

        // The control: without the push, the second read is a hit.
        Assert.Equal("v-calm", S(await cached.GetAsync("calm")));
        Assert.Equal("v-calm", S(await cached.GetAsync("calm")));
        Assert.Equal(1, Stats(client).Hits);
        Assert.Equal(4, Volatile.Read(ref gets));
    }

    [Fact]
    public async Task TrackingRedirBrokenPush_AndNullKeyInvalidation_FlushTheCache()
    {
        await using ScriptedServer server = Server(null);
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", server.Address, Resp3, Options());
        IRedisCommands cached = client.Cached(Ttl);

        foreach (string push in new[] { ">2\r\n$21\r\ntracking-redir-broken\r\n:7\r\n", ">2\r\n$10\r\ninvalidate\r\n_\r\n" })
        {
            for (int i = 0; i < 3; i++) Assert.Equal($"v-k{i}", S(await cached.GetAsync($"k{i}")));
            Assert.Equal(3, Stats(client).Entries);
            await server.SendToAllAsync(push);
            Assert.Equal("PONG", await client.DoAsync("PING")); // the push is read before the PING's reply
            Assert.Equal(0, Stats(client).Entries);
            Assert.Equal(0, Stats(client).Bytes);
            long misses = Stats(client).Misses;
            Assert.Equal("v-k0", S(await cached.GetAsync("k0")));
            Assert.Equal(misses + 1, Stats(client).Misses);
            await server.SendToAllAsync(Invalidate("k0"));
            Assert.Equal("PONG", await client.DoAsync("PING"));
        }
    }

    [Fact]
    public async Task PushForAKeyBeingRead_SpoilsOnlyThatRead()
    {
        await using ScriptedServer server = Server(key => key == "a" ? Invalidate("a") : null);
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", server.Address, Resp3, Options());
        IRedisCommands cached = client.Cached(Ttl);
        Assert.Equal("v-c", S(await cached.GetAsync("c"))); // cached before, untouched by the push for a

        // Both placeholders exist before either reply arrives (they are put before the reads are sent).
        ValueTask<byte[]?> a = cached.GetAsync("a");
        ValueTask<byte[]?> b = cached.GetAsync("b");
        Assert.Equal("v-a", S(await a.AsTask().WaitAsync(Bound)));
        Assert.Equal("v-b", S(await b.AsTask().WaitAsync(Bound)));
        Assert.Equal(2, Stats(client).Entries); // b and c

        long misses = Stats(client).Misses;
        Assert.Equal("v-b", S(await cached.GetAsync("b")));
        Assert.Equal("v-c", S(await cached.GetAsync("c")));
        Assert.Equal(misses, Stats(client).Misses);
        Assert.Equal("v-a", S(await cached.GetAsync("a")));
        Assert.Equal(misses + 1, Stats(client).Misses);
    }

    [Fact]
    public async Task LostConnection_FlushesTheCache_AndTheNextReadGoesToTheServer()
    {
        int gets = 0;
        await using ScriptedServer server = Server(null, () => Interlocked.Increment(ref gets));
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", server.Address, Resp3, Options());
        IRedisCommands cached = client.Cached(Ttl);
        Assert.Equal("v-k", S(await cached.GetAsync("k")));
        Assert.Equal("v-k", S(await cached.GetAsync("k")));
        Assert.Equal(1, Volatile.Read(ref gets));

        server.KillConnections();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Stats(client).Entries != 0 || !client.IsConnected || server.Connections < 2)
        {
            Assert.True(clock.Elapsed < Bound, "the client never noticed the lost connection and reconnected");
            await Task.Delay(5);
        }
        Assert.Equal("v-k", S(await cached.GetAsync("k")));
        Assert.Equal(2, Volatile.Read(ref gets));
    }

    [Fact]
    public async Task TheFirstCallerOfASharedMissCancels_TheOthersStillGetTheValue_AndItIsCached()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int gets = 0;
        async ValueTask<string?> DelayedGet(string key)
        {
            Interlocked.Increment(ref gets);
            await release.Task; // the reply comes only after the first caller gave up
            return ScriptedServer.Bulk("v-" + key);
        }
        await using ScriptedServer server = ScriptedServer.Simple(command => command[0].ToUpperInvariant() switch
        {
            "PTTL" => ValueTask.FromResult<string?>(":-1\r\n"),
            "GET" => DelayedGet(command[1]),
            _ => null,
        });
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", server.Address, Resp3, Options());
        IRedisCommands cached = client.Cached(Ttl);

        using var cancel = new CancellationTokenSource();
        ValueTask<byte[]?> owner = cached.GetAsync("shared", cancel.Token);
        ValueTask<byte[]?> waiter = cached.GetAsync("shared");
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await owner);
        release.SetResult();

        Assert.Equal("v-shared", S(await waiter.AsTask().WaitAsync(Bound)));
        Assert.Equal("v-shared", S(await cached.GetAsync("shared")));
        Assert.Equal(1, Volatile.Read(ref gets));
        Assert.Equal(1, Stats(client).Entries);
    }
}
