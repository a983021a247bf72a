using System.Diagnostics;
using System.Globalization;
using System.Text;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redis.Tests;

/// <summary>
/// Client-side caching (ClientOptions.Cache, client.Cached(ttl)) against a real redis-server, on RESP3 (pushes
/// on the data connection) and RESP2 (a REDIRECT invalidation connection): coherence with other clients'
/// writes, read-your-own-writes, flushes (FLUSHALL, FLUSHDB, a killed connection), expiry, limits, shared
/// misses, allocation of hits, pass-through of non-cacheable commands, and a soak of the PING barrier.
/// Tests that flush or count commands server-wide take a server of their own.
/// </summary>
[Collection(ServerCollection.Name)]
[Trait("Server", "RedisOnly")]
public class ClientCacheTests(ServerFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    internal static ClientOptions CacheOptions(CacheOptions? cache = null) => new()
    {
        Cache = cache ?? new CacheOptions(),
        CommandTimeout = TimeSpan.FromSeconds(10),
        ReconnectDelay = TimeSpan.FromMilliseconds(20),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
    };

    internal static DialOptions Protocol(int protocol) => DialOptions.Default with { Protocol = protocol };

    private static string? S(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);

    private static CacheStats Stats(RedisClient client) => client.Stats.Cache ?? throw new Xunit.Sdk.XunitException("no cache stats");

    private async Task<TestServer> RealServerAsync()
    {
        TestServer server = fixture.Server;
        DedicatedServer.RequireRealRedis(server, "client tracking (CLIENT TRACKING, invalidation pushes)");
        return await Task.FromResult(server);
    }

    private static Task<TestServer> OwnServerAsync() => DedicatedServer.StartAsync(new TestServerOptions { Reason = "client-side caching: FLUSHALL, CLIENT KILL, server-wide command counts" });

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds; fails with <paramref name="what"/> otherwise.</summary>
    internal static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? bound = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > (bound ?? Bound)) Assert.Fail($"timed out waiting for: {what}");
            await Task.Delay(5);
        }
    }

    /// <summary>
    /// Makes sure another client's write has reached the cache: on RESP3 a PING through the caching connection is a
    /// barrier (the invalidation push comes before the PING's reply); on RESP2 the invalidation travels on the other
    /// connection, so wait for the invalidation counter to pass <paramref name="invalidationsBefore"/>.
    /// </summary>
    internal static async Task BarrierAsync(RedisClient client, int protocol, long invalidationsBefore)
    {
        await client.DoAsync("PING");
        if (protocol == 2) await WaitUntilAsync(() => Stats(client).Invalidations > invalidationsBefore, "the RESP2 invalidation message");
    }

    private static long CommandCalls(IConn conn, string command)
    {
        string info = Encoding.UTF8.GetString((byte[])conn.Do("INFO", "commandstats")!);
        foreach (string line in info.Split("\r\n"))
        {
            if (!line.StartsWith($"cmdstat_{command}:calls=", StringComparison.Ordinal)) continue;
            string rest = line[$"cmdstat_{command}:calls=".Length..];
            return long.Parse(rest[..rest.IndexOf(',', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
        }
        return 0;
    }

    [SkippableTheory]
    [InlineData(3)]
    [InlineData(2)]
    public async Task AnotherClientsWrite_IsSeenByACachedRead_AfterAPingBarrier(int protocol)
    {
        TestServer server = await RealServerAsync();
        string key = ServerFixture.Key("csc-other");
        using IConn writer = Conn.Dial("tcp", server.Address);
        writer.Do("SET", key, "v1");
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", server.Address, Protocol(protocol), CacheOptions());
        IRedisCommands cached = client.Cached(Ttl);

        Assert.Equal("v1", S(await cached.GetAsync(key)));
        Assert.Equal("v1", S(await cached.GetAsync(key)));
        CacheStats afterHit = Stats(client);
        Assert.Equal(1, afterHit.Misses);
        Assert.Equal(1, afterHit.Hits);
        Assert.Equal(1, afterHit.Entries);

        for (int round = 2; round <= 20; round++)
        {
            long invalidations = Stats(client).Invalidations;
            writer.Do("SET", key, "v" + round);
            await BarrierAsync(client, protocol, invalidations);
            Assert.Equal("v" + round, S(await cached.GetAsync(key)));
            Assert.Equal("v" + round, S(cached.Get(key))); // cached again: a hit
        }
        CacheStats end = Stats(client);
        Assert.Equal(20, end.Misses);
        Assert.Equal(20, end.Hits);
        Assert.Equal(19, end.Invalidations);
    }

    [SkippableTheory]
    [InlineData(3)]
    [InlineData(2)]
    public async Task OwnWrite_ThenCachedGet_ReturnsTheNewValue_100000TimesInARow(int protocol)
    {
        TestServer server = await RealServerAsync();
        string key = ServerFixture.Key("csc-ryow");
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", server.Address, Protocol(protocol), CacheOptions());
        IRedisCommands plain = client.Commands();
        IRedisCommands cached = client.Cached(Ttl);
        await plain.SetAsync(key, "0");
        Assert.Equal("0", S(await cached.GetAsync(key)));
        Assert.Equal("0", S(await cached.GetAsync(key))); // the entry exists before the first write

        var clock = Stopwatch.StartNew();
        for (int i = 1; i <= 100_000; i++)
        {
            string value = i.ToString(CultureInfo.InvariantCulture);
            // The write is sent (and its key evicted) before the read; its reply is awaited after the read's.
            ValueTask<bool> set = plain.SetAsync(key, value);
            byte[]? read = await cached.GetAsync(key);
            if (S(read) != value) Assert.Fail($"iteration {i}: wrote {value}, the cached read returned {S(read) ?? "nil"}");
            await set;
        }
        output.WriteLine($"RESP{protocol}: 100,000 SET + cached GET in {clock.Elapsed.TotalSeconds:F1} s; {Stats(client)}");
    }

    [SkippableTheory]
    [InlineData(3)]
    [InlineData(2)]
    public async Task FlushAllAndFlushDb_FromAnotherClient_FlushTheCache(int protocol)
    {
        await using TestServer server = await OwnServerAsync();
        using IConn other = Conn.Dial("tcp", server.Address);
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", server.Address, Protocol(protocol), CacheOptions());
        IRedisCommands cached = client.Cached(Ttl);

        foreach (string flush in new[] { "FLUSHALL", "FLUSHDB" })
        {
            // Keys of this round only: the previous round cached these names as nil, and a RESP2 invalidation of them
            // could still be on its way.
            long entriesBefore = Stats(client).Entries; // the previous round's nil reads
            for (int i = 0; i < 5; i++) other.Do("SET", $"{flush}{i}", flush);
            for (int i = 0; i < 5; i++) Assert.Equal(flush, S(await cached.GetAsync($"{flush}{i}")));
            Assert.Equal(entriesBefore + 5, Stats(client).Entries);

            long invalidations = Stats(client).Invalidations;
            other.Do(flush);
            await BarrierAsync(client, protocol, invalidations);
            Assert.Equal(0, Stats(client).Entries);
            Assert.Equal(0, Stats(client).Bytes);
            for (int i = 0; i < 5; i++) Assert.Null(await cached.GetAsync($"{flush}{i}"));
        }
    }

    [SkippableTheory]
    [InlineData(3)]
    [InlineData(2)]
    public async Task ClientKill_OfTheCachingConnection_FlushesWhatItTracked_ReadsAreCorrectAfterTheReconnect(int protocol)
    {
        await using TestServer server = await OwnServerAsync();
        using IConn other = Conn.Dial("tcp", server.Address);
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", server.Address, Protocol(protocol), CacheOptions());
        IRedisCommands cached = client.Cached(Ttl);
        other.Do("SET", "k", "before");
        Assert.Equal("before", S(await cached.GetAsync("k")));
        Assert.Equal("before", S(await cached.GetAsync("k")));
        Assert.Equal(1, Stats(client).Entries);

        long id = (long)(await client.DoAsync("CLIENT", "ID"))!;
        long reconnects = client.Stats.Reconnects;
        Assert.Equal(1L, other.Do("CLIENT", "KILL", "ID", id.ToString(CultureInfo.InvariantCulture)));
        await WaitUntilAsync(() => client.Stats.Reconnects > reconnects && client.IsConnected, "the caching client's reconnect");
        Assert.Equal(0, Stats(client).Entries);

        // Written while nobody tracked the key for this client: the entry must be gone, not served.
        other.Do("SET", "k", "after");
        Assert.Equal("after", S(await cached.GetAsync("k")));
        Assert.Equal("after", S(await cached.GetAsync("k")));

        // Tracking is back on after the reconnect: another write is seen after the barrier.
        long invalidations = Stats(client).Invalidations;
        other.Do("SET", "k", "tracked again");
        await BarrierAsync(client, protocol, invalidations);
        Assert.Equal("tracked again", S(await cached.GetAsync("k")));
    }

    [SkippableFact]
    public async Task Resp2_KillingTheInvalidationConnection_FlushesTheCache_AndTrackingResumes()
    {
        await using TestServer server = await OwnServerAsync();
        using IConn other = Conn.Dial("tcp", server.Address);
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", server.Address, Protocol(2), CacheOptions());
        IRedisCommands cached = client.Cached(Ttl);
        other.Do("SET", "k", "before");
        Assert.Equal("before", S(await cached.GetAsync("k")));
        Assert.Equal(1, Stats(client).Entries);

        long reconnects = client.Stats.Reconnects;
        Assert.Equal(1L, other.Do("CLIENT", "KILL", "TYPE", "pubsub")); // the listener is the only subscriber here
        await WaitUntilAsync(() => client.Stats.Reconnects > reconnects && client.IsConnected, "the data connection's reconnect (its redirect target died)");
        Assert.Equal(0, Stats(client).Entries);

        other.Do("SET", "k", "after");
        Assert.Equal("after", S(await cached.GetAsync("k")));
        long invalidations = Stats(client).Invalidations;
        other.Do("SET", "k", "tracked again");
        await BarrierAsync(client, 2, invalidations);
        Assert.Equal("tracked again", S(await cached.GetAsync("k")));
    }

    [SkippableTheory]
    [InlineData(3)]
    [InlineData(2)]
    public async Task ExpiringKey_IsNotServedAfterItsPttl_AndTheServersExpiryInvalidates(int protocol)
    {
        TestServer server = await RealServerAsync();
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", server.Address, Protocol(protocol), CacheOptions());
        IRedisCommands cached = client.Cached(Ttl);
        using IConn other = Conn.Dial("tcp", server.Address);

        // The PTTL bound: the entry lives no longer than the key's TTL when it was read.
        string key = ServerFixture.Key("csc-pttl");
        other.Do("SET", key, "short", "PX", "300");
        var sinceSet = Stopwatch.StartNew();
        Assert.Equal("short", S(await cached.GetAsync(key)));
        await WaitUntilAsync(() => sinceSet.ElapsedMilliseconds > 350, "the key's TTL to pass");
        Assert.Null(await cached.GetAsync(key));

        // The server's expiry sends an invalidation too (active expiry; no read needed).
        string key2 = ServerFixture.Key("csc-expiry");
        other.Do("SET", key2, "short", "PX", "100");
        Assert.Equal("short", S(await cached.GetAsync(key2)));
        long invalidations = Stats(client).Invalidations;
        await WaitUntilAsync(() => other.Do("EXISTS", key2) is 0L, "the server to expire the key");
        await WaitUntilAsync(() => Stats(client).Invalidations > invalidations, "the expiry's invalidation");
        Assert.Null(await cached.GetAsync(key2));
    }

    [SkippableFact]
    public async Task EntryAndByteLimits_AreNeverExceeded_AndEvictionsAreCounted()
    {
        TestServer server = await RealServerAsync();
        string prefix = ServerFixture.Key("csc-limits");
        using IConn other = Conn.Dial("tcp", server.Address);
        string value = new('x', 500);
        for (int i = 0; i < 100; i++) other.Do("SET", $"{prefix}:{i}", value);

        await using (RedisClient byEntries = await RedisClient.ConnectAsync("tcp", server.Address, Protocol(3), CacheOptions(new CacheOptions { MaxEntries = 10 })))
        {
            IRedisCommands cached = byEntries.Cached(Ttl);
            for (int i = 0; i < 100; i++)
            {
                Assert.Equal(value, S(await cached.GetAsync($"{prefix}:{i}")));
                Assert.InRange(Stats(byEntries).Entries, 1, 10);
            }
            Assert.Equal(90, Stats(byEntries).Evictions);
            // The 10 most recent are the ones kept.
            long misses = Stats(byEntries).Misses;
            for (int i = 90; i < 100; i++) await cached.GetAsync($"{prefix}:{i}");
            Assert.Equal(misses, Stats(byEntries).Misses);
        }

        const long maxBytes = 4096;
        await using (RedisClient byBytes = await RedisClient.ConnectAsync("tcp", server.Address, Protocol(3), CacheOptions(new CacheOptions { MaxBytes = maxBytes })))
        {
            IRedisCommands cached = byBytes.Cached(Ttl);
            for (int i = 0; i < 100; i++)
            {
                Assert.Equal(value, S(await cached.GetAsync($"{prefix}:{i}")));
                CacheStats stats = Stats(byBytes);
                Assert.InRange(stats.Bytes, 1, maxBytes);
            }
            CacheStats end = Stats(byBytes);
            Assert.True(end.Evictions >= 90, $"evictions {end.Evictions}");
            Assert.Equal(100 - end.Evictions, end.Entries);
        }
    }

    [SkippableTheory]
    [InlineData(3)]
    [InlineData(2)]
    public async Task ConcurrentMissesOfOneKey_ShareOneRequest(int protocol)
    {
        await using TestServer server = await OwnServerAsync();
        using IConn other = Conn.Dial("tcp", server.Address);
        other.Do("SET", "cold", "value");
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", server.Address, Protocol(protocol), CacheOptions());
        IRedisCommands cached = client.Cached(Ttl);
        long getsBefore = CommandCalls(other, "get");

        var reads = new ValueTask<byte[]?>[32];
        for (int i = 0; i < reads.Length; i++) reads[i] = cached.GetAsync("cold");
        foreach (ValueTask<byte[]?> read in reads) Assert.Equal("value", S(await read.AsTask().WaitAsync(Bound)));

        Assert.Equal(1, Stats(client).Misses);
        Assert.Equal(31, Stats(client).Hits);
        Assert.Equal(getsBefore + 1, CommandCalls(other, "get"));

        // The same with sync callers on threads of their own, released together.
        other.Do("SET", "cold2", "value2");
        getsBefore = CommandCalls(other, "get");
        using var start = new ManualResetEventSlim();
        Task<string?>[] syncReads = [.. Enumerable.Range(0, 32).Select(_ => Task.Factory.StartNew(() =>
        {
            start.Wait();
            return S(cached.Get("cold2"));
        }, TaskCreationOptions.LongRunning))];
        start.Set();
        foreach (Task<string?> read in syncReads) Assert.Equal("value2", await read.WaitAsync(Bound));
        Assert.Equal(2, Stats(client).Misses);
        Assert.Equal(getsBefore + 1, CommandCalls(other, "get"));
    }

    [SkippableFact]
    public async Task Hits_AllocateOnlyTheirResult()
    {
        TestServer server = await RealServerAsync();
        string key = ServerFixture.Key("csc-alloc");
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", server.Address, Protocol(3), CacheOptions());
        IRedisCommands cached = client.Cached(Ttl);
        await client.DoAsync("SET", key, new string('v', 100));
        RedisKey redisKey = key;
        Assert.Equal(100, cached.Get(redisKey)!.Length); // the miss
        for (int i = 0; i < 100; i++) cached.Get(redisKey); // warm up
        long hits = Stats(client).Hits;

        const int count = 10_000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < count; i++) cached.Get(redisKey);
        long perHit = (GC.GetAllocatedBytesForCurrentThread() - before) / count;

        Assert.Equal(hits + count, Stats(client).Hits);
        // A byte[100] is 124 bytes on a 64-bit runtime (rounded to 128): the result is all a hit allocates.
        long resultSize = GC.GetAllocatedBytesForCurrentThread();
        _ = new byte[100];
        resultSize = GC.GetAllocatedBytesForCurrentThread() - resultSize;
        output.WriteLine($"{perHit} bytes per hit (the byte[100] result is {resultSize} bytes)");
        Assert.Equal(resultSize, perHit);
    }

    [SkippableFact]
    public async Task NonCacheableCommands_PassThroughToTheServer()
    {
        await using TestServer server = await OwnServerAsync();
        using IConn other = Conn.Dial("tcp", server.Address);
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", server.Address, Protocol(3), CacheOptions());
        IRedisCommands cached = client.Cached(Ttl);
        await cached.SetAsync("a", "1");
        await cached.SetAsync("b", "2");
        await cached.SAddAsync("s", ["x", "y", "z"]);
        long mgets = CommandCalls(other, "mget"), srands = CommandCalls(other, "srandmember"), sets = CommandCalls(other, "set");

        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(2, (await cached.MGetAsync(["a", "b"])).Length); // two keys
            Assert.NotNull(await cached.SRandMemberAsync("s")); // nondeterministic
            Assert.NotNull(client.DoCached(Ttl, "MGET", "a", "b"));
            await cached.SetAsync("c", i.ToString(CultureInfo.InvariantCulture)); // a write
        }

        Assert.Equal(mgets + 10, CommandCalls(other, "mget"));
        Assert.Equal(srands + 5, CommandCalls(other, "srandmember"));
        Assert.Equal(sets + 5, CommandCalls(other, "set"));
        CacheStats stats = Stats(client);
        Assert.Equal(0, stats.Hits);
        Assert.Equal(0, stats.Misses);
        Assert.Equal(0, stats.Entries);
    }

    [SkippableFact]
    public async Task Soak_OneWriterEightCachedReaders_NoReadOlderThanTheLastAcknowledgedWriteBeforeItsBarrier()
    {
        TestServer server = await RealServerAsync();
        int seconds = int.TryParse(Environment.GetEnvironmentVariable("REDIS_CACHE_SOAK_SECONDS"), CultureInfo.InvariantCulture, out int s) ? Math.Clamp(s, 1, 60) : 10;
        string[] keys = [.. Enumerable.Range(0, 4).Select(i => ServerFixture.Key($"csc-soak{i}"))];
        long[] acknowledged = new long[keys.Length];
        await using RedisClient writerClient = await RedisClient.ConnectAsync("tcp", server.Address);
        await using RedisClient readerClient = await RedisClient.ConnectAsync("tcp", server.Address, Protocol(3), CacheOptions());
        IRedisCommands writer = writerClient.Commands();
        IRedisCommands cached = readerClient.Cached(Ttl);
        foreach (string key in keys) await writer.SetAsync(key, "0");

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var violations = new System.Collections.Concurrent.ConcurrentQueue<string>();
        long writes = 0, reads = 0;
        Task write = Task.Run(async () =>
        {
            for (long n = 1; !stop.IsCancellationRequested; n++)
            {
                int k = (int)(n % keys.Length);
                await writer.SetAsync(keys[k], n.ToString(CultureInfo.InvariantCulture));
                Volatile.Write(ref acknowledged[k], n);
                Interlocked.Increment(ref writes);
            }
        });
        Task[] readers = [.. Enumerable.Range(0, 8).Select(r => Task.Run(async () =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                int k = (i + r) % keys.Length;
                long floor = Volatile.Read(ref acknowledged[k]);
                await readerClient.DoAsync("PING");
                long value = long.Parse(S(await cached.GetAsync(keys[k]))!, CultureInfo.InvariantCulture);
                if (value < floor) violations.Enqueue($"{keys[k]}: read {value} after {floor} was acknowledged");
                Interlocked.Increment(ref reads);
                // a few reads without a barrier in between (hits), which need not be fresh
                for (int j = 0; j < 3; j++) await cached.GetAsync(keys[k]);
            }
        }))];
        await Task.WhenAll([write, .. readers]).WaitAsync(TimeSpan.FromSeconds(seconds + 60));

        CacheStats stats = Stats(readerClient);
        output.WriteLine($"{seconds} s: {writes} writes, {reads} barrier reads; {stats}");
        Assert.Empty(violations);
        Assert.True(stats.Hits > 0 && stats.Invalidations > 0, stats.ToString());
    }
}
