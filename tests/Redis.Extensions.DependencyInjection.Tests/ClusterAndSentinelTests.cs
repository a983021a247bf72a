using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Redis.Testing;

namespace Redis.Extensions.DependencyInjection.Tests;

/// <summary>Configuration that selects a Redis Cluster or a Sentinel deployment, against local ones.</summary>
public sealed class ClusterAndSentinelTests
{
    [SkippableFact]
    public async Task AClusterConfiguration_ResolvesARedisClusterThatRoutesKeysToEveryMaster()
    {
        await using LocalCluster cluster = await Deployments.StartClusterAsync();
        var settings = new Dictionary<string, string?> { ["Redis:Mode"] = "Cluster" };
        for (int i = 0; i < cluster.Nodes.Count; i++) settings[$"Redis:Endpoints:{i}"] = cluster.Nodes[i].Address;
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using ServiceProvider provider = new ServiceCollection().AddRedis(configuration.GetSection("Redis")).BuildServiceProvider();

        IRedisClient client = provider.GetRequiredService<IRedisClient>();
        Assert.IsType<RedisCluster>(client);
        Assert.Same(client, provider.GetRequiredService<RedisCluster>());
        Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<RedisClient>());

        // Enough keys that every master owns some; each is read back from the node that owns its slot.
        var masters = new HashSet<string>();
        for (int i = 0; i < 30; i++)
        {
            string key = Deployments.Key($"cluster{i}");
            await client.DoAsync("SET", key, $"value{i}");
            LocalClusterNode owner = await cluster.GetMasterOfKeyAsync(key);
            masters.Add(owner.Address);
            await using IConn direct = await Conn.DialAsync("tcp", owner.Address);
            Assert.Equal($"value{i}", Encoding.UTF8.GetString((byte[])(await direct.DoAsync("GET", key))!));
        }
        Assert.Equal(3, masters.Count);
    }

    [SkippableFact]
    public async Task ASentinelConfiguration_ResolvesAClientOnTheMasterWithBothPasswords()
    {
        await using LocalSentinelSet set = await Deployments.StartSentinelSetAsync(new LocalSentinelOptions
        {
            DataPassword = "data-secret",
            SentinelPassword = "sentinel-secret",
        });
        var settings = new Dictionary<string, string?>
        {
            ["Redis:Password"] = "data-secret",
            ["Redis:Sentinel:MasterName"] = set.MasterName,
            ["Redis:Sentinel:Password"] = "sentinel-secret",
        };
        for (int i = 0; i < set.SentinelAddresses.Count; i++) settings[$"Redis:Endpoints:{i}"] = set.SentinelAddresses[i];
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using ServiceProvider provider = new ServiceCollection().AddRedis(configuration.GetSection("Redis")).BuildServiceProvider();

        IRedisClient client = provider.GetRequiredService<IRedisClient>();
        string key = Deployments.Key("sentinel");
        await client.DoAsync("SET", key, "on-master");

        LocalSentinelNode master = await set.GetMasterAsync();
        await using IConn direct = await Conn.DialAsync("tcp", master.Address, new DialOptions { Password = "data-secret" });
        Assert.Equal("on-master", Encoding.UTF8.GetString((byte[])(await direct.DoAsync("GET", key))!));
        Assert.Contains(set.MasterName, ((RedisClient)client).Endpoint, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ASentinelUrl_SelectsSentinelModeWithoutMode()
    {
        await using LocalSentinelSet set = await Deployments.StartSentinelSetAsync(new LocalSentinelOptions());
        string url = $"redis-sentinel://{string.Join(',', set.SentinelAddresses)}/1#{set.MasterName}";
        await using ServiceProvider provider = new ServiceCollection().AddRedis(url).BuildServiceProvider();

        IRedisClient client = provider.GetRequiredService<IRedisClient>();
        string key = Deployments.Key("sentinel-url");
        await client.DoAsync("SET", key, "db1");

        LocalSentinelNode master = await set.GetMasterAsync();
        await using IConn direct = await Conn.DialAsync("tcp", master.Address, new DialOptions { Database = 1 });
        Assert.Equal("db1", Encoding.UTF8.GetString((byte[])(await direct.DoAsync("GET", key))!));
    }
}
