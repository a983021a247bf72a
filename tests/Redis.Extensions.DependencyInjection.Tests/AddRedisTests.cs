using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Redis.Testing;

namespace Redis.Extensions.DependencyInjection.Tests;

/// <summary>A standalone <see cref="IRedisClient"/> registered from a URL, a configuration section or options, against the shared test server.</summary>
public sealed class AddRedisTests
{
    private static readonly ServiceProviderOptions Strict = new() { ValidateOnBuild = true, ValidateScopes = true };

    [Fact]
    public async Task AddRedisWithAUrl_ResolvesASingletonRedisClientThatTalksToTheServer()
    {
        TestServer server = await TestServer.SharedAsync();
        await using ServiceProvider provider = new ServiceCollection().AddRedis(server.Url).BuildServiceProvider(Strict);

        IRedisClient client = provider.GetRequiredService<IRedisClient>();
        string key = Deployments.Key("url");
        await client.DoAsync("SET", key, "from-url");

        Assert.Same(client, provider.GetRequiredService<IRedisClient>());
        Assert.Same(client, provider.GetRequiredService<RedisClient>());
        await using IConn direct = await Conn.DialUrlAsync(server.Url);
        Assert.Equal("from-url", Encoding.UTF8.GetString((byte[])(await direct.DoAsync("GET", key))!));
    }

    [Fact]
    public async Task AddRedisWithAConfigurationSection_BindsUrlAndDatabase()
    {
        TestServer server = await TestServer.SharedAsync();
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redis:Url"] = server.Url,
            ["Redis:Database"] = "3",
            ["Redis:ClientName"] = "di-config-test",
            ["Redis:CommandTimeout"] = "00:00:07",
        }).Build();
        await using ServiceProvider provider = new ServiceCollection().AddRedis(configuration.GetSection("Redis")).BuildServiceProvider(Strict);

        IRedisClient client = provider.GetRequiredService<IRedisClient>();
        string key = Deployments.Key("config");
        await client.DoAsync("SET", key, "in-db-3");

        await using IConn db3 = await Conn.DialUrlAsync(server.Url, new DialOptions { Database = 3 });
        await using IConn db0 = await Conn.DialUrlAsync(server.Url);
        Assert.Equal("in-db-3", Encoding.UTF8.GetString((byte[])(await db3.DoAsync("GET", key))!));
        Assert.Null(await db0.DoAsync("GET", key));
    }

    [Fact]
    public async Task AddRedisWithOptions_ConnectsToTheEndpointWithTheDatabaseAndAdjustedOptions()
    {
        TestServer server = await TestServer.SharedAsync();
        ClientOptions? seen = null;
        await using ServiceProvider provider = new ServiceCollection()
            .AddRedis(options =>
            {
                options.Endpoints.Add(server.Address);
                options.Database = 2;
                options.ConfigureClientOptions = o =>
                {
                    seen = o with { MaxIdleDedicatedConnections = 1 };
                    return seen;
                };
            })
            .BuildServiceProvider(Strict);

        IRedisClient client = provider.GetRequiredService<IRedisClient>();
        string key = Deployments.Key("options");
        await client.DoAsync("SET", key, "in-db-2");

        await using IConn db2 = await Conn.DialUrlAsync(server.Url, new DialOptions { Database = 2 });
        Assert.Equal("in-db-2", Encoding.UTF8.GetString((byte[])(await db2.DoAsync("GET", key))!));
        Assert.NotNull(seen);
    }

    [Fact]
    public async Task AStandaloneRegistration_RefusesToResolveAsRedisCluster()
    {
        TestServer server = await TestServer.SharedAsync();
        await using ServiceProvider provider = new ServiceCollection().AddRedis(server.Url).BuildServiceProvider(Strict);

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<RedisCluster>());
        Assert.Contains("resolve IRedisClient", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheClientConnectsOnFirstResolve_NotWhenTheProviderIsBuilt_AndAFailedConnectIsTriedAgain()
    {
        int port = TestServer.AllocateFreePort();   // nothing listens there
        await using ServiceProvider provider = new ServiceCollection()
            .AddRedis($"redis://:not-this-secret@127.0.0.1:{port}")
            .BuildServiceProvider(Strict);

        // Building the provider connected to nothing; resolving does, and fails without the password in the message.
        var first = Assert.Throws<RedisConnectionException>(() => provider.GetRequiredService<IRedisClient>());
        Assert.DoesNotContain("not-this-secret", first.ToString(), StringComparison.Ordinal);
        // The failure was not cached as the singleton: the next resolve connects again (and fails again, nothing listens).
        var second = Assert.Throws<RedisConnectionException>(() => provider.GetRequiredService<IRedisClient>());
        Assert.NotSame(first, second);
    }

    [Fact]
    public async Task CallingAddRedisTwice_RegistersOneClientAndTheLastUrlWins()
    {
        TestServer server = await TestServer.SharedAsync();
        IServiceCollection services = new ServiceCollection().AddRedis("redis://127.0.0.1:1").AddRedis(server.Url);

        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(IRedisClient));
        await using ServiceProvider provider = services.BuildServiceProvider(Strict);
        Assert.Equal("PONG", await provider.GetRequiredService<IRedisClient>().DoAsync("PING"));
    }

    [Fact]
    public async Task DisposingTheProvider_DisposesTheClient()
    {
        TestServer server = await TestServer.SharedAsync();
        ServiceProvider provider = new ServiceCollection().AddRedis(server.Url).BuildServiceProvider(Strict);
        IRedisClient client = provider.GetRequiredService<IRedisClient>();
        _ = provider.GetRequiredService<RedisClient>();   // the same instance under a second registration: disposed once, harmlessly twice
        Assert.Equal("PONG", await client.DoAsync("PING"));

        await provider.DisposeAsync();

        Assert.False(((RedisClient)client).IsConnected);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await client.DoAsync("PING"));
    }
}
