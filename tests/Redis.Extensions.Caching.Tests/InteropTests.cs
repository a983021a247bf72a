using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;

namespace Redis.Extensions.Caching.Tests;

/// <summary>
/// Entries are shared with ASP.NET Core's own Redis cache (Microsoft.Extensions.Caching.StackExchangeRedis):
/// what one writes, the other reads and refreshes, for every kind of expiration.
/// </summary>
[Collection(CacheCollection.Name)]
public class InteropTests(CacheFixture fixture) : IAsyncLifetime
{
    private AspNetCoreRedisCache? _theirs;

    private AspNetCoreRedisCache Theirs => _theirs!;

    async Task IAsyncLifetime.InitializeAsync() => _theirs = await AspNetCoreRedisCache.ConnectAsync(fixture.Server.Host, fixture.Server.Port);

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_theirs is not null) await _theirs.DisposeAsync();
    }

    public static TheoryData<string, bool> Kinds() => new()
    {
        { "none", true }, { "absolute", true }, { "relative", true }, { "sliding", true }, { "both", true },
        { "none", false }, { "absolute", false }, { "relative", false }, { "sliding", false }, { "both", false },
    };

    private static DistributedCacheEntryOptions Options(string kind) => kind switch
    {
        "none" => new(),
        "absolute" => new() { AbsoluteExpiration = DateTimeOffset.UtcNow.AddMinutes(5) },
        "relative" => new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) },
        "sliding" => new() { SlidingExpiration = TimeSpan.FromMinutes(2) },
        "both" => new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5), SlidingExpiration = TimeSpan.FromMinutes(2) },
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private (RedisDistributedCache Ours, RedisCache Theirs, string Prefix) Pair(string test, bool useScripts)
    {
        var ours = fixture.NewCache(test, out string prefix, useScripts: useScripts);
        return (ours, Theirs.NewCache(prefix), prefix);
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task TheirsWrites_OursReads(string kind, bool useScripts)
    {
        var (ours, theirs, prefix) = Pair("theirs-ours", useScripts);
        byte[] value = Encoding.UTF8.GetBytes("written by RedisCache " + kind);
        await theirs.SetAsync("k", value, Options(kind));

        Assert.Equal(value, await ours.GetAsync("k"));
        Assert.Equal(value, ours.Get("k"));
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        Assert.True(await ours.TryGetAsync("k", writer));
        Assert.Equal(value, writer.WrittenSpan.ToArray());
        await ours.RemoveAsync("k");
        Assert.Null(await theirs.GetAsync("k"));
        Assert.Equal(-2, await fixture.PttlAsync(prefix + "k"));
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task OursWrites_TheirsReads(string kind, bool useScripts)
    {
        var (ours, theirs, prefix) = Pair("ours-theirs", useScripts);
        byte[] value = Encoding.UTF8.GetBytes("written by RedisDistributedCache " + kind);
        await ours.SetAsync("k", value, Options(kind));

        Assert.Equal(value, await theirs.GetAsync("k"));
        Assert.Equal(value, theirs.Get("k"));
        await theirs.RemoveAsync("k");
        Assert.Null(await ours.GetAsync("k"));
        Assert.Equal(-2, await fixture.PttlAsync(prefix + "k"));
    }

    [Theory, MemberData(nameof(Kinds))]
    public async Task BothWriteTheSameFields(string kind, bool useScripts)
    {
        var (ours, theirs, prefix) = Pair("fields", useScripts);
        var options = Options(kind);
        await ours.SetAsync("ours", [1, 2, 3], options);
        await theirs.SetAsync("theirs", [1, 2, 3], options);

        var ourFields = await fixture.HashAsync(prefix + "ours");
        var theirFields = await fixture.HashAsync(prefix + "theirs");
        Assert.Equal(theirFields.Keys.Order(), ourFields.Keys.Order());
        Assert.Equal(theirFields["sldexp"], ourFields["sldexp"]);
        Assert.Equal(theirFields["data"], ourFields["data"]);
        // absexp: both -1, or both the same instant for a fixed date; relative ones differ by the moments of the two writes.
        if (kind is "none" or "sliding" or "absolute") Assert.Equal(theirFields["absexp"], ourFields["absexp"]);
        else Assert.True(long.Parse(ourFields["absexp"]) > 0 && long.Parse(theirFields["absexp"]) > 0);
        Assert.Equal(await fixture.PttlAsync(prefix + "theirs") == -1, await fixture.PttlAsync(prefix + "ours") == -1);
    }

    [Theory, InlineData(true), InlineData(false)]
    public async Task OurSlidingRead_OfTheirEntry_PushesItsTtlBack_AndTheyStillReadIt(bool useScripts)
    {
        var (ours, theirs, prefix) = Pair("our-refresh", useScripts);
        await theirs.SetAsync("k", [42], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(10) });
        await fixture.Client.DoAsync("PEXPIRE", prefix + "k", 1_000); // as if the window had nearly run out

        Assert.Equal([42], await ours.GetAsync("k"));
        Assert.InRange(await fixture.PttlAsync(prefix + "k"), 1_001, 600_000);
        Assert.Equal([42], await theirs.GetAsync("k"));

        await fixture.Client.DoAsync("PEXPIRE", prefix + "k", 1_000);
        await ours.RefreshAsync("k");
        Assert.InRange(await fixture.PttlAsync(prefix + "k"), 1_001, 600_000);
    }

    [Fact]
    public async Task TheirSlidingRead_OfOurEntry_PushesItsTtlBack()
    {
        var (ours, theirs, prefix) = Pair("their-refresh", true);
        await ours.SetAsync("k", [42], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(10) });
        await fixture.Client.DoAsync("PEXPIRE", prefix + "k", 1_000);

        Assert.Equal([42], await theirs.GetAsync("k"));
        Assert.InRange(await fixture.PttlAsync(prefix + "k"), 1_001, 600_000);
        Assert.Equal([42], await ours.GetAsync("k"));
    }
}
