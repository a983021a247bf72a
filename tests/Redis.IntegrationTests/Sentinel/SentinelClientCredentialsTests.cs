using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;
using static Redis.Tests.Infrastructure.Exec;
using RedisSentinel = Redis.Sentinel;

namespace Redis.Tests.Sentinel;

/// <summary>
/// Separate sentinel and data passwords, and losing 2 of the 3 sentinels, on a set of the test's own (the kill is
/// destructive, so both checks share one set, in order).
/// </summary>
[Trait("Server", "RedisOnly")]
public class SentinelClientCredentialsTests(ITestOutputHelper output)
{
    private const string DataPassword = "data-secret-7";
    private const string SentinelPassword = "sentinel-secret-8";

    [SkippableFact]
    public async Task SentinelUrl_WithADataPassword_ConnectsAndPools_OnPasswordProtectedDataNodes()
    {
        await using LocalSentinelSet set = await DedicatedSentinelSet.StartAsync(options: new LocalSentinelOptions { DataPassword = DataPassword, Log = Log });
        string url = $"redis-sentinel://:{DataPassword}@{string.Join(",", set.SentinelAddresses)}#{set.MasterName}";
        string key = SentinelFixture.Key("url-password");
        await using (RedisClient client = RedisClient.Connect(url))
        {
            await client.DoAsync("SET", key, "v");
        }

        using Pool pool = Pool.Create(url);
        await using IConnWithTimeout conn = await pool.GetAsync();
        Assert.Equal("v", Text(await conn.DoAsync("GET", [key], CancellationToken.None)));
    }

    private void Log(string line)
    {
        output.WriteLine(line);
        Console.Error.WriteLine(line);
    }

    [SkippableFact]
    public async Task SeparatePasswords_EachGoesWhereItBelongs_AndWithTwoOfThreeSentinelsKilledDiscoveryStillWorks()
    {
        await using LocalSentinelSet set = await DedicatedSentinelSet.StartAsync(options: new LocalSentinelOptions { DataPassword = DataPassword, SentinelPassword = SentinelPassword, Log = Log });
        LocalSentinelNode master = await set.GetMasterAsync();
        LocalSentinelNode replica = set.DataNodes.Single(n => n != master);
        var sentinelOptions = new DialOptions { Password = SentinelPassword };
        var dataOptions = new DialOptions { Password = DataPassword };
        var sentinel = new RedisSentinel(set.SentinelAddresses, set.MasterName, sentinelOptions) { DataNodeDialOptions = dataOptions };

        // Sentinel password to the sentinels, data password for ROLE and for the client's connections.
        Assert.Equal(master.Address, sentinel.MasterAddress());
        Assert.Equal([replica.Address], sentinel.ReplicaAddresses());
        string key = SentinelFixture.Key("passwords");
        await using (RedisClient client = RedisClient.Connect(sentinel, dataOptions))
        {
            await client.DoAsync("SET", key, "v");
            Assert.Equal("v", Text(await client.DoAsync("GET", key)));
        }

        using (var pool = new Pool { Dial = () => sentinel.DialMaster(dataOptions), TestOnBorrow = (c, _) => RedisSentinel.TestRole(c, "master") })
        {
            using IConnWithTimeout conn = pool.Get();
            Assert.Equal("v", Text(conn.Do("GET", key)));
        }

        // Without DataNodeDialOptions, the ROLE check uses the data options the client or the pool dials with.
        var dataFromCaller = new RedisSentinel(set.SentinelAddresses, set.MasterName, sentinelOptions);
        await using (RedisClient client = RedisClient.Connect(dataFromCaller, dataOptions))
        {
            Assert.Equal("v", Text(await client.DoAsync("GET", key)));
        }

        await using (IConn conn = dataFromCaller.DialMaster(dataOptions))
        {
            Assert.Equal("v", Text(conn.Do("GET", key)));
        }

        await using (IConn conn = await dataFromCaller.DialMasterAsync(dataOptions))
        {
            Assert.Equal("v", Text(conn.Do("GET", key)));
        }

        // The sentinels without their password: each refuses (NOAUTH), reported as no sentinel answering, without any secret.
        var noSentinelAuth = new RedisSentinel(set.SentinelAddresses, set.MasterName, dataOptions) { DataNodeDialOptions = dataOptions };
        var refused = Assert.Throws<RedisSentinelException>(() => noSentinelAuth.MasterAddress());
        Assert.Equal(SentinelFailure.AllSentinelsUnreachable, refused.Failure);
        Assert.Contains("WRONGPASS", refused.Message);
        Assert.DoesNotContain(DataPassword, refused.Message);

        // The data nodes without their password: ROLE is refused, so the master is never confirmed.
        var noDataAuth = new RedisSentinel(set.SentinelAddresses, set.MasterName, sentinelOptions) { MasterConfirmTimeout = TimeSpan.FromMilliseconds(500) };
        var unconfirmed = Assert.Throws<RedisSentinelException>(() => noDataAuth.MasterAddress());
        Assert.Equal(SentinelFailure.MasterNotConfirmed, unconfirmed.Failure);
        Assert.Contains("NOAUTH", unconfirmed.Message);
        Assert.DoesNotContain(SentinelPassword, unconfirmed.Message);

        // A wrong data password for the client itself: the handshake error, password redacted.
        var wrongData = Assert.ThrowsAny<RedisException>(() => RedisClient.Connect(sentinel, new DialOptions { Password = "not-it-123" }).Dispose());
        Assert.DoesNotContain("not-it-123", wrongData.Message);

        // Two of three sentinels killed: the survivor (listed last) answers, moves to the front, and a client connects.
        await set.KillAsync(set.Sentinels[0]);
        await set.KillAsync(set.Sentinels[1]);
        var survivorOnly = new RedisSentinel(set.SentinelAddresses, set.MasterName, sentinelOptions) { DataNodeDialOptions = dataOptions, SentinelTimeout = TimeSpan.FromMilliseconds(500) };
        Assert.Equal(master.Address, await survivorOnly.MasterAddressAsync());
        Assert.Equal(set.Sentinels[2].Address, survivorOnly.Addresses[0]);
        Assert.Equal([replica.Address], await survivorOnly.ReplicaAddressesAsync());
        await using (RedisClient client = await RedisClient.ConnectAsync(survivorOnly, dataOptions))
        {
            Assert.Equal("v", Text(await client.DoAsync("GET", key)));
        }

        // The sentinel client used before the kill (its order has a dead sentinel first) still finds the master.
        Assert.Equal(master.Address, sentinel.MasterAddress());
    }
}
