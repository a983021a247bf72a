using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;

namespace Redis.Extensions.Caching.Tests;

/// <summary><c>services.AddRedisDistributedCache(...)</c>: what it registers and where the client comes from.</summary>
[Collection(CacheCollection.Name)]
public class ServiceCollectionTests(CacheFixture fixture)
{
    [Fact]
    public async Task UsesTheContainersRedisClient_AndRegistersOneCacheAsBothInterfaces()
    {
        string prefix = CacheFixture.NewInstanceName("di");
        var services = new ServiceCollection();
        services.AddSingleton<IRedisClient>(fixture.Client);
        services.AddRedisDistributedCache(o => o.InstanceName = prefix);
        await using var provider = services.BuildServiceProvider();

        var cache = provider.GetRequiredService<RedisDistributedCache>();
        Assert.Same(cache, provider.GetRequiredService<IDistributedCache>());
        Assert.Same(cache, provider.GetRequiredService<IBufferDistributedCache>());
        await cache.SetAsync("k", [5], new DistributedCacheEntryOptions());
        Assert.Equal(1L, await fixture.Client.DoAsync("EXISTS", prefix + "k"));
    }

    [Fact]
    public void ReplacesAnInMemoryDistributedCacheRegisteredBefore()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddSingleton<IRedisClient>(fixture.Client);
        services.AddRedisDistributedCache();
        using var provider = services.BuildServiceProvider();
        Assert.IsType<RedisDistributedCache>(provider.GetRequiredService<IDistributedCache>());
        Assert.Single(services, d => d.ServiceType == typeof(IDistributedCache));
    }

    [Fact]
    public async Task WithoutAnyClient_TheFirstOperationSaysHowToConfigureOne()
    {
        var services = new ServiceCollection();
        services.AddRedisDistributedCache();
        await using var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredService<IDistributedCache>();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync("k"));
        Assert.Contains("AddRedis", error.Message, StringComparison.Ordinal);
        Assert.Contains("Url", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UrlOption_ConnectsAClientOfItsOwn_ClosedWithTheContainer()
    {
        string prefix = CacheFixture.NewInstanceName("di-url");
        var services = new ServiceCollection();
        services.AddRedisDistributedCache(o => { o.Url = fixture.Server.Url; o.InstanceName = prefix; });
        var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredService<IDistributedCache>();
        await cache.SetAsync("k", [9], new DistributedCacheEntryOptions());
        Assert.Equal([9], cache.Get("k"));

        await provider.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => cache.GetAsync("k"));
        Assert.Equal(1L, await fixture.Client.DoAsync("EXISTS", prefix + "k")); // the entry outlives the client
    }

    [Fact]
    public async Task ClientOption_WinsOverTheContainer_AndIsNotDisposedWithIt()
    {
        string prefix = CacheFixture.NewInstanceName("di-client");
        await using var own = await RedisClient.ConnectAsync(fixture.Server.Url);
        var services = new ServiceCollection();
        services.AddRedisDistributedCache(o => { o.Client = own; o.InstanceName = prefix; });
        await using (var provider = services.BuildServiceProvider())
        {
            await provider.GetRequiredService<IDistributedCache>().SetAsync("k", [1], new DistributedCacheEntryOptions());
        }
        Assert.Equal("PONG", await own.DoAsync("PING")); // still open
        Assert.Equal(1L, await own.DoAsync("EXISTS", prefix + "k"));
    }

    [Fact]
    public async Task ClientFactory_IsCalledOnceOnTheFirstOperation()
    {
        int calls = 0;
        var cache = new RedisDistributedCache(new RedisDistributedCacheOptions
        {
            InstanceName = CacheFixture.NewInstanceName("factory"),
            ClientFactory = _ => { calls++; return ValueTask.FromResult<IRedisClient>(fixture.Client); },
        });
        Assert.Equal(0, calls);
        await cache.SetAsync("k", [1], new DistributedCacheEntryOptions());
        Assert.Equal([1], cache.Get("k"));
        Assert.Equal(1, calls);
    }
}
