using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace Redis.Extensions.Caching.Tests;

/// <summary>HybridCache over this cache: a value one application instance computes, another reads from Redis.</summary>
[Collection(CacheCollection.Name)]
public class HybridCacheTests(CacheFixture fixture)
{
    // One "application instance": its own container, so its own in-memory (L1) cache, over the shared Redis client.
    private ServiceProvider NewApp(string prefix)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IRedisClient>(fixture.Client); // as AddRedis(...) would register it
        services.AddRedisDistributedCache(o => o.InstanceName = prefix);
        services.AddHybridCache();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task GetOrCreate_StoresInRedis_AndASecondInstanceReadsItWithoutCallingItsFactory()
    {
        string prefix = CacheFixture.NewInstanceName("hybrid");
        await using var first = NewApp(prefix);
        await using var second = NewApp(prefix);
        Assert.IsType<RedisDistributedCache>(first.GetRequiredService<IDistributedCache>());

        int firstCalls = 0, secondCalls = 0;
        string created = await first.GetRequiredService<HybridCache>().GetOrCreateAsync(
            "answer", _ => { firstCalls++; return ValueTask.FromResult("forty-two"); });
        Assert.Equal("forty-two", created);
        Assert.Equal(1, firstCalls);
        // GetOrCreateAsync returns once the value is computed; its write to the distributed cache may finish after.
        Assert.True(await EventuallyExistsAsync(prefix + "answer"), "HybridCache did not write the entry to Redis within 10 s");
        Assert.Equal("-1", (await fixture.HashAsync(prefix + "answer"))["sldexp"]); // stored in ASP.NET Core's layout

        string read = await second.GetRequiredService<HybridCache>().GetOrCreateAsync(
            "answer", _ => { secondCalls++; return ValueTask.FromResult("computed again"); });
        Assert.Equal("forty-two", read);
        Assert.Equal(0, secondCalls);
    }

    private async Task<bool> EventuallyExistsAsync(string redisKey)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!bound.IsCancellationRequested)
        {
            if ((long)(await fixture.Client.DoAsync("EXISTS", redisKey))! == 1) return true;
            await Task.Delay(20, CancellationToken.None);
        }
        return false;
    }

    [Fact]
    public async Task RemoveAsync_OnOneInstance_RemovesTheRedisEntry()
    {
        string prefix = CacheFixture.NewInstanceName("hybrid-remove");
        await using var app = NewApp(prefix);
        var hybrid = app.GetRequiredService<HybridCache>();
        await hybrid.SetAsync("k", "v");
        Assert.Equal(1L, await fixture.Client.DoAsync("EXISTS", prefix + "k"));
        await hybrid.RemoveAsync("k");
        Assert.Equal(0L, await fixture.Client.DoAsync("EXISTS", prefix + "k"));
    }
}
