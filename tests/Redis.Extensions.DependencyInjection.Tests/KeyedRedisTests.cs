using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Redis.Testing;

namespace Redis.Extensions.DependencyInjection.Tests;

/// <summary>Clients registered under names with <c>AddKeyedRedis</c>, each with settings of its own.</summary>
public sealed class KeyedRedisTests
{
    [Fact]
    public async Task KeyedClients_AreDistinctAndEachTalksToItsOwnServer()
    {
        TestServer shared = await TestServer.SharedAsync();
        await using TestServer other = await TestServer.StartAsync();
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redis:Sessions:Url"] = other.Url,
        }).Build();
        var services = new ServiceCollection()
            .AddKeyedRedis("cache", shared.Url)
            .AddKeyedRedis("sessions", configuration.GetSection("Redis:Sessions"));
        services.AddSingleton<TwoClients>();
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        TwoClients both = provider.GetRequiredService<TwoClients>();
        Assert.NotSame(both.Cache, both.Sessions);
        Assert.Same(both.Cache, provider.GetRequiredKeyedService<IRedisClient>("cache"));
        Assert.Null(provider.GetService<IRedisClient>());   // no default registration was made

        string key = Deployments.Key("keyed");
        await both.Cache.DoAsync("SET", key, "cache");
        await both.Sessions.DoAsync("SET", key, "sessions");

        await using IConn sharedConn = await Conn.DialUrlAsync(shared.Url);
        await using IConn otherConn = await Conn.DialUrlAsync(other.Url);
        Assert.Equal("cache", Encoding.UTF8.GetString((byte[])(await sharedConn.DoAsync("GET", key))!));
        Assert.Equal("sessions", Encoding.UTF8.GetString((byte[])(await otherConn.DoAsync("GET", key))!));
    }

    [Fact]
    public async Task AKeyedAndTheDefaultRegistration_KeepTheirOwnSettings()
    {
        TestServer server = await TestServer.SharedAsync();
        await using ServiceProvider provider = new ServiceCollection()
            .AddRedis(options => { options.Url = server.Url; options.Database = 4; })
            .AddKeyedRedis("five", options => { options.Url = server.Url; options.Database = 5; })
            .BuildServiceProvider();

        string key = Deployments.Key("databases");
        await provider.GetRequiredService<IRedisClient>().DoAsync("SET", key, "default");
        await provider.GetRequiredKeyedService<IRedisClient>("five").DoAsync("SET", key, "five");

        await using IConn db4 = await Conn.DialUrlAsync(server.Url, new DialOptions { Database = 4 });
        await using IConn db5 = await Conn.DialUrlAsync(server.Url, new DialOptions { Database = 5 });
        Assert.Equal("default", Encoding.UTF8.GetString((byte[])(await db4.DoAsync("GET", key))!));
        Assert.Equal("five", Encoding.UTF8.GetString((byte[])(await db5.DoAsync("GET", key))!));
    }

    /// <summary>A service taking two keyed clients, as application code does.</summary>
    private sealed class TwoClients([FromKeyedServices("cache")] IRedisClient cache, [FromKeyedServices("sessions")] IRedisClient sessions)
    {
        public IRedisClient Cache { get; } = cache;

        public IRedisClient Sessions { get; } = sessions;
    }
}
