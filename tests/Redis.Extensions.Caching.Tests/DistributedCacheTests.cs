using System.Globalization;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;

namespace Redis.Extensions.Caching.Tests;

/// <summary>
/// <see cref="RedisDistributedCache"/> against a live server: the stored layout, get/set/remove/refresh and
/// the expiration rules at their edges. Times to live are read from the server (PTTL) rather than waited
/// out; the cache's clock is a <see cref="ManualClock"/> so the stored times are exact.
/// </summary>
[Collection(CacheCollection.Name)]
public class DistributedCacheTests(CacheFixture fixture)
{
    private static readonly byte[] Value = Encoding.UTF8.GetBytes("apple");

    private static string Ticks(long ticks) => ticks.ToString(CultureInfo.InvariantCulture);

    [Theory, MemberData(nameof(CacheCalls.Modes), MemberType = typeof(CacheCalls))]
    public async Task SetWithoutExpiration_StoresTheAspNetCoreHashWithMinusOneAndNoTtl(bool useAsync, bool useScripts)
    {
        var cache = fixture.NewCache("layout", out string prefix, useScripts: useScripts);
        await cache.Set("k", Value, new DistributedCacheEntryOptions(), useAsync);

        var hash = await fixture.HashAsync(prefix + "k");
        Assert.Equal(new Dictionary<string, string> { ["absexp"] = "-1", ["sldexp"] = "-1", ["data"] = "apple" }, hash);
        Assert.Equal(-1, await fixture.PttlAsync(prefix + "k"));
        Assert.Equal(Value, await cache.Get("k", useAsync));
    }

    [Theory, MemberData(nameof(CacheCalls.Modes), MemberType = typeof(CacheCalls))]
    public async Task GetOfAMissingKey_ReturnsNull(bool useAsync, bool useScripts)
    {
        var cache = fixture.NewCache("missing", out _, useScripts: useScripts);
        Assert.Null(await cache.Get("nothing", useAsync));
    }

    [Theory, MemberData(nameof(CacheCalls.Modes), MemberType = typeof(CacheCalls))]
    public async Task Remove_DeletesTheEntry(bool useAsync, bool useScripts)
    {
        var cache = fixture.NewCache("remove", out string prefix, useScripts: useScripts);
        await cache.Set("k", Value, new DistributedCacheEntryOptions(), useAsync);
        await cache.Remove("k", useAsync);
        Assert.Null(await cache.Get("k", useAsync));
        Assert.Equal(0L, await fixture.Client.DoAsync("EXISTS", prefix + "k"));
    }

    [Theory, MemberData(nameof(CacheCalls.Modes), MemberType = typeof(CacheCalls))]
    public async Task BinaryValues_RoundTripByteForByte(bool useAsync, bool useScripts)
    {
        var cache = fixture.NewCache("binary", out _, useScripts: useScripts);
        byte[] everyByte = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        byte[] large = new byte[1 << 20];
        new Random(7).NextBytes(large);

        await cache.Set("every", everyByte, new DistributedCacheEntryOptions(), useAsync);
        await cache.Set("large", large, new DistributedCacheEntryOptions(), useAsync);
        await cache.Set("empty", [], new DistributedCacheEntryOptions(), useAsync);

        Assert.Equal(everyByte, await cache.Get("every", useAsync));
        Assert.Equal(large, await cache.Get("large", useAsync));
        Assert.Equal(Array.Empty<byte>(), await cache.Get("empty", useAsync));
    }

    [Theory, MemberData(nameof(CacheCalls.Modes), MemberType = typeof(CacheCalls))]
    public async Task AbsoluteRelativeToNow_StoresNowPlusTheSpan_AndSetsThatTtl(bool useAsync, bool useScripts)
    {
        var clock = ManualClock.AtRealNow();
        var cache = fixture.NewCache("relative", out string prefix, clock, useScripts);
        await cache.Set("k", Value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) }, useAsync);

        var hash = await fixture.HashAsync(prefix + "k");
        Assert.Equal(Ticks((clock.Now + TimeSpan.FromMinutes(5)).UtcTicks), hash["absexp"]);
        Assert.Equal("-1", hash["sldexp"]);
        long pttl = await fixture.PttlAsync(prefix + "k");
        Assert.InRange(pttl, 1, 300_000);
    }

    [Theory, MemberData(nameof(CacheCalls.Modes), MemberType = typeof(CacheCalls))]
    public async Task AbsoluteDate_StoresItsUtcTicks_AndAReadDoesNotExtendIt(bool useAsync, bool useScripts)
    {
        var clock = ManualClock.AtRealNow();
        var cache = fixture.NewCache("absolute", out string prefix, clock, useScripts);
        // A non-zero offset: the stored value is the instant in UTC ticks, which is how both caches read it.
        var at = (clock.Now + TimeSpan.FromMinutes(3)).ToOffset(TimeSpan.FromHours(2));
        await cache.Set("k", Value, new DistributedCacheEntryOptions { AbsoluteExpiration = at }, useAsync);

        Assert.Equal(Ticks(at.UtcTicks), (await fixture.HashAsync(prefix + "k"))["absexp"]);
        await fixture.Client.DoAsync("PEXPIRE", prefix + "k", 50_000); // as if time had passed
        Assert.Equal(Value, await cache.Get("k", useAsync));
        await cache.Refresh("k", useAsync);
        Assert.InRange(await fixture.PttlAsync(prefix + "k"), 1, 50_000); // no sliding window: nothing moved it
    }

    [Theory, MemberData(nameof(CacheCalls.Modes), MemberType = typeof(CacheCalls))]
    public async Task AbsoluteExpirationInThePast_Throws_AndLeavesTheOldEntry(bool useAsync, bool useScripts)
    {
        var clock = ManualClock.AtRealNow();
        var cache = fixture.NewCache("past", out _, clock, useScripts);
        await cache.Set("k", Value, new DistributedCacheEntryOptions(), useAsync);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => cache.Set("k", [1], new DistributedCacheEntryOptions { AbsoluteExpiration = clock.Now }, useAsync));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => cache.Set("k", [1], new DistributedCacheEntryOptions { AbsoluteExpiration = clock.Now.AddDays(-1) }, useAsync));
        Assert.Equal(Value, await cache.Get("k", useAsync));
    }

    [Theory, MemberData(nameof(CacheCalls.Modes), MemberType = typeof(CacheCalls))]
    public async Task AbsoluteExpirationWithinAMillisecond_RemovesTheOldEntry(bool useAsync, bool useScripts)
    {
        var clock = ManualClock.AtRealNow();
        var cache = fixture.NewCache("instant", out string prefix, clock, useScripts);
        await cache.Set("k", Value, new DistributedCacheEntryOptions(), useAsync);

        await cache.Set("k", [1], new DistributedCacheEntryOptions { AbsoluteExpiration = clock.Now.AddTicks(5_000) }, useAsync);
        Assert.Equal(0L, await fixture.Client.DoAsync("EXISTS", prefix + "k"));
        Assert.Null(await cache.Get("k", useAsync));
    }

    [Theory, MemberData(nameof(CacheCalls.Modes), MemberType = typeof(CacheCalls))]
    public async Task SlidingOnly_TtlIsTheWindow_AndEachReadPushesItBack(bool useAsync, bool useScripts)
    {
        var cache = fixture.NewCache("sliding", out string prefix, useScripts: useScripts);
        await cache.Set("k", Value, new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(10) }, useAsync);

        var hash = await fixture.HashAsync(prefix + "k");
        Assert.Equal("-1", hash["absexp"]);
        Assert.Equal(Ticks(TimeSpan.FromMinutes(10).Ticks), hash["sldexp"]);
        Assert.InRange(await fixture.PttlAsync(prefix + "k"), 1, 600_000);

        await fixture.Client.DoAsync("PEXPIRE", prefix + "k", 1_000); // as if 9m59s had passed
        Assert.Equal(Value, await cache.Get("k", useAsync));
        Assert.InRange(await fixture.PttlAsync(prefix + "k"), 1_001, 600_000);
    }

    [Theory, MemberData(nameof(CacheCalls.Modes), MemberType = typeof(CacheCalls))]
    public async Task SlidingAndAbsolute_TtlIsTheSmaller_AndARefreshStopsAtTheAbsolute(bool useAsync, bool useScripts)
    {
        var clock = ManualClock.AtRealNow();
        var cache = fixture.NewCache("both", out string prefix, clock, useScripts);
        var options = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5), SlidingExpiration = TimeSpan.FromMinutes(2) };
        await cache.Set("k", Value, options, useAsync);
        Assert.InRange(await fixture.PttlAsync(prefix + "k"), 1, 120_000); // the window is the smaller

        // 4 minutes later (by the cache's clock) only 1 minute is left to the absolute expiration.
        clock.Advance(TimeSpan.FromMinutes(4));
        await fixture.Client.DoAsync("PEXPIRE", prefix + "k", 1_000);
        Assert.Equal(Value, await cache.Get("k", useAsync));
        Assert.InRange(await fixture.PttlAsync(prefix + "k"), 1_001, 60_000);

        await fixture.Client.DoAsync("PEXPIRE", prefix + "k", 1_000);
        await cache.Refresh("k", useAsync);
        Assert.InRange(await fixture.PttlAsync(prefix + "k"), 1_001, 60_000);
    }

    [Theory, MemberData(nameof(CacheCalls.Modes), MemberType = typeof(CacheCalls))]
    public async Task AbsoluteBeforeTheWindow_TtlIsTheTimeLeftToTheAbsolute(bool useAsync, bool useScripts)
    {
        var clock = ManualClock.AtRealNow();
        var cache = fixture.NewCache("absfirst", out string prefix, clock, useScripts);
        await cache.Set("k", Value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30), SlidingExpiration = TimeSpan.FromMinutes(10) }, useAsync);
        Assert.InRange(await fixture.PttlAsync(prefix + "k"), 1, 30_000);
        Assert.Equal(Ticks(TimeSpan.FromMinutes(10).Ticks), (await fixture.HashAsync(prefix + "k"))["sldexp"]);
    }

    [Theory, MemberData(nameof(CacheCalls.Modes), MemberType = typeof(CacheCalls))]
    public async Task ReadAfterTheAbsoluteExpiration_IsAMiss_AndDeletesTheKey(bool useAsync, bool useScripts)
    {
        var clock = ManualClock.AtRealNow();
        var cache = fixture.NewCache("expired", out string prefix, clock, useScripts);
        await cache.Set("sliding", Value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5), SlidingExpiration = TimeSpan.FromMinutes(2) }, useAsync);
        await cache.Set("absolute", Value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) }, useAsync);

        // The key is still there (its TTL runs on the server's clock), but the cache's clock is past absexp:
        // e.g. another application server whose clock is ahead reads it.
        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Null(await cache.Get("sliding", useAsync));
        Assert.Null(await cache.Get("absolute", useAsync));
        Assert.Equal(0L, await fixture.Client.DoAsync("EXISTS", prefix + "sliding", prefix + "absolute"));
    }

    [Theory, MemberData(nameof(CacheCalls.Modes), MemberType = typeof(CacheCalls))]
    public async Task Refresh_ExtendsASlidingEntry_AndIgnoresAMissingOne(bool useAsync, bool useScripts)
    {
        var cache = fixture.NewCache("refresh", out string prefix, useScripts: useScripts);
        await cache.Set("k", Value, new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(10) }, useAsync);
        await fixture.Client.DoAsync("PEXPIRE", prefix + "k", 1_000);

        await cache.Refresh("k", useAsync);
        Assert.InRange(await fixture.PttlAsync(prefix + "k"), 1_001, 600_000);

        await cache.Refresh("missing", useAsync);
        Assert.Equal(0L, await fixture.Client.DoAsync("EXISTS", prefix + "missing"));
    }

    [Theory, MemberData(nameof(CacheCalls.Modes), MemberType = typeof(CacheCalls))]
    public async Task OverwritingWithoutExpiration_RemovesTheOldTtl_AndTheOldWindow(bool useAsync, bool useScripts)
    {
        var cache = fixture.NewCache("overwrite", out string prefix, useScripts: useScripts);
        await cache.Set("k", Value, new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(1) }, useAsync);
        await cache.Set("k", [2], new DistributedCacheEntryOptions(), useAsync);

        Assert.Equal(-1, await fixture.PttlAsync(prefix + "k"));
        Assert.Equal("-1", (await fixture.HashAsync(prefix + "k"))["sldexp"]);
        Assert.Equal([2], await cache.Get("k", useAsync));
    }

    [Fact]
    public async Task InstanceName_PrefixesTheRedisKey()
    {
        var cache = new RedisDistributedCache(fixture.Client, "app1:");
        string key = Guid.NewGuid().ToString("N");
        await cache.SetAsync(key, Value, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1) });
        Assert.Equal(1L, await fixture.Client.DoAsync("EXISTS", "app1:" + key));
        Assert.Equal(0L, await fixture.Client.DoAsync("EXISTS", key));
        await cache.RemoveAsync(key);
    }

    [Fact]
    public async Task AKeyHoldingAnotherType_IsAWrongTypeError()
    {
        var cache = fixture.NewCache("wrongtype", out string prefix);
        await fixture.Client.DoAsync("SET", prefix + "k", "a string");
        var error = await Assert.ThrowsAsync<RedisServerException>(() => cache.GetAsync("k"));
        Assert.Contains("WRONGTYPE", error.Message, StringComparison.Ordinal);
    }
}
