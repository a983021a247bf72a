using Redis.Testing;
using Redis.Tests.Infrastructure;
using static Redis.Tests.Infrastructure.Exec;
using RedisSentinel = Redis.Sentinel;

namespace Redis.Tests.Sentinel;

/// <summary>
/// The Sentinel client's discovery against the class's shared local set (1 master, 1 replica, 3 sentinels), none of it
/// destructive: master and replica addresses, the ROLE check, TestRole, pools and URLs, and each error case's message.
/// </summary>
[Trait("Server", "RedisOnly")]
public class SentinelDiscoveryTests(SentinelFixture fixture) : IClassFixture<SentinelFixture>
{
    [SkippableFact]
    public async Task MasterAddress_IsTheMasterTheSentinelsName_ConfirmedByRole_SyncAndAsync()
    {
        LocalSentinelSet set = fixture.Set;
        LocalSentinelNode master = await set.GetMasterAsync();
        RedisSentinel sentinel = SentinelClientKit.For(set);

        Assert.Equal(master.Address, sentinel.MasterAddress());
        Assert.Equal(master.Address, await sentinel.MasterAddressAsync());
        Assert.Equal("mymaster", sentinel.MasterName);
        Assert.Equal(3, sentinel.Addresses.Count);
        Assert.DoesNotContain("secret", sentinel.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task TestRole_IsTrueOnlyForTheExpectedRole_OnMasterAndReplica()
    {
        LocalSentinelSet set = fixture.Set;
        LocalSentinelNode master = await set.GetMasterAsync();
        LocalSentinelNode replica = set.DataNodes.Single(n => n != master);
        await using IConn onMaster = SentinelFixture.Dial(master, SentinelClientKit.Bounded);
        await using IConn onReplica = SentinelFixture.Dial(replica, SentinelClientKit.Bounded);

        Assert.True(RedisSentinel.TestRole(onMaster, "master"));
        Assert.False(RedisSentinel.TestRole(onMaster, "slave"));
        Assert.True(RedisSentinel.TestRole(onReplica, "slave"));
        Assert.False(RedisSentinel.TestRole(onReplica, "master"));
    }

    [SkippableFact]
    public async Task ReplicaAddresses_ListTheReplica_AndReadsThereSeeReplicatedWrites()
    {
        LocalSentinelSet set = fixture.Set;
        LocalSentinelNode master = await set.GetMasterAsync();
        LocalSentinelNode replica = set.DataNodes.Single(n => n != master);
        RedisSentinel sentinel = SentinelClientKit.For(set);

        Assert.Equal([replica.Address], sentinel.ReplicaAddresses());
        Assert.Equal([replica.Address], await sentinel.ReplicaAddressesAsync());

        string key = SentinelFixture.Key("replica-read");
        await using (RedisClient client = RedisClient.Connect(sentinel))
        {
            await client.DoAsync("SET", key, "replicated");
            Assert.Equal(1L, await client.DoAsync("WAIT", 1, 5000));
        }

        // A read-only client on a replica named by the sentinels.
        await using RedisClient reader = RedisClient.Connect("tcp", sentinel.ReplicaAddresses()[0]);
        Assert.Equal("replicated", Text(await reader.DoAsync("GET", key)));
        Assert.Equal("READONLY", (await Assert.ThrowsAsync<RedisServerException>(async () => await reader.DoAsync("SET", key, "x"))).Prefix);
    }

    [SkippableFact]
    public async Task PoolOverDialMaster_WithTestRoleOnBorrow_LendsConnectionsToTheMaster()
    {
        LocalSentinelSet set = fixture.Set;
        LocalSentinelNode master = await set.GetMasterAsync();
        RedisSentinel sentinel = SentinelClientKit.For(set);
        int borrowed = 0;
        using var pool = new Pool
        {
            Dial = () => sentinel.DialMaster(),
            DialAsync = ct => sentinel.DialMasterAsync(null, ct),
            TestOnBorrow = (c, _) =>
            {
                Interlocked.Increment(ref borrowed);
                return RedisSentinel.TestRole(c, "master");
            },
            MaxIdle = 2,
        };
        string key = SentinelFixture.Key("pool");
        for (int i = 0; i < 3; i++)
        {
            await using IConnWithTimeout conn = await pool.GetAsync();
            Assert.Equal((long)i + 1, await conn.DoAsync("INCR", [key], CancellationToken.None));
            Assert.Equal("master", Text(((object?[])conn.Do("ROLE")!)[0]));
        }

        Assert.True(borrowed >= 2, $"TestOnBorrow ran {borrowed} times for idle connections");
        Assert.Equal("3", Text(await SentinelClientKit.On(set, master, "GET", key)));
    }

    [SkippableFact]
    public async Task SentinelUrl_WorksWithRedisClientConnectAndPoolCreate()
    {
        LocalSentinelSet set = fixture.Set;
        LocalSentinelNode master = await set.GetMasterAsync();
        string url = $"redis-sentinel://{string.Join(",", set.SentinelAddresses)}/2#{set.MasterName}";
        string key = SentinelFixture.Key("url");

        await using (RedisClient client = RedisClient.Connect(url))
        {
            await client.DoAsync("SET", key, "via-url");
        }

        await using (RedisClient client = await RedisClient.ConnectAsync(url))
        {
            Assert.Equal("via-url", Text(await client.DoAsync("GET", key)));
        }

        using (Pool pool = Pool.Create(url))
        {
            await using IConnWithTimeout conn = await pool.GetAsync();
            Assert.Equal("via-url", Text(await conn.DoAsync("GET", [key], CancellationToken.None)));
            Assert.Equal("master", Text(((object?[])conn.Do("ROLE")!)[0]));
        }

        // The /2 path selected database 2 on the master: the key is there, not in database 0.
        await using IConn direct = SentinelFixture.Dial(master, SentinelClientKit.Bounded with { Database = 2 });
        Assert.Equal("via-url", Text(direct.Do("GET", key)));
        await using IConn db0 = SentinelFixture.Dial(master, SentinelClientKit.Bounded);
        Assert.Null(db0.Do("GET", key));

        // A sentinel URL without a port defaults to 26379 and without #name is refused with a clear message.
        Assert.Contains("master name is missing", Assert.Throws<ArgumentException>(() => RedisClient.Connect($"redis-sentinel://{set.SentinelAddresses[0]}")).Message);
    }

    [Fact]
    public async Task UnreachableSentinels_ThrowAllSentinelsUnreachable_NamingEachAddress()
    {
        // Ports with nothing listening: bind and release two ephemeral ports.
        string[] dead = [.. Enumerable.Range(0, 2).Select(_ => $"127.0.0.1:{FreePort()}")];
        var sentinel = new RedisSentinel(dead, "mymaster") { SentinelTimeout = TimeSpan.FromMilliseconds(500) };

        var sync = Assert.Throws<RedisSentinelException>(() => sentinel.MasterAddress());
        var async = await Assert.ThrowsAsync<RedisSentinelException>(async () => await sentinel.MasterAddressAsync());
        var replicas = Assert.Throws<RedisSentinelException>(() => sentinel.ReplicaAddresses());
        var connect = Assert.Throws<RedisSentinelException>(() => RedisClient.Connect(sentinel));
        foreach (RedisSentinelException ex in new[] { sync, async, replicas, connect })
        {
            Assert.Equal(SentinelFailure.AllSentinelsUnreachable, ex.Failure);
            Assert.IsAssignableFrom<RedisConnectionException>(ex);
            Assert.StartsWith("No sentinel of 'mymaster' answered (", ex.Message);
            Assert.All(dead, d => Assert.Contains(d, ex.Message));
        }
    }

    [SkippableFact]
    public async Task UnknownMasterName_ThrowsMasterNameUnknown_NotUnreachable()
    {
        LocalSentinelSet set = fixture.Set;
        var sentinel = new RedisSentinel(set.SentinelAddresses, "no-such-master");

        var ex = Assert.Throws<RedisSentinelException>(() => sentinel.MasterAddress());
        Assert.Equal(SentinelFailure.MasterNameUnknown, ex.Failure);
        Assert.StartsWith("No sentinel monitors a master named 'no-such-master'", ex.Message);
        Assert.Equal(SentinelFailure.MasterNameUnknown, (await Assert.ThrowsAsync<RedisSentinelException>(async () => await sentinel.ReplicaAddressesAsync())).Failure);
        Assert.Equal(SentinelFailure.MasterNameUnknown, (await Assert.ThrowsAsync<RedisSentinelException>(async () => await RedisClient.ConnectAsync(sentinel))).Failure);

        // One sentinel that knows the name among dead ones still answers.
        var mixed = new RedisSentinel([$"127.0.0.1:{FreePort()}", .. set.SentinelAddresses], set.MasterName) { SentinelTimeout = TimeSpan.FromMilliseconds(500) };
        Assert.Equal((await set.GetMasterAsync()).Address, mixed.MasterAddress());
        Assert.Equal(set.SentinelAddresses[0], mixed.Addresses[0]); // the one that answered moved to the front
    }

    [SkippableFact]
    public async Task NamedMasterThatIsAReplica_ThrowsMasterNotConfirmed_WithTheAddress()
    {
        LocalSentinelSet set = fixture.Set;
        LocalSentinelNode master = await set.GetMasterAsync();
        LocalSentinelNode replica = set.DataNodes.Single(n => n != master);
        await using var fake = new FakeSentinel(replica.Address);
        var sentinel = new RedisSentinel([fake.Address], "mymaster") { MasterConfirmTimeout = TimeSpan.FromMilliseconds(600) };

        var ex = Assert.Throws<RedisSentinelException>(() => sentinel.MasterAddress());
        Assert.Equal(SentinelFailure.MasterNotConfirmed, ex.Failure);
        Assert.Equal($"The sentinels named {replica.Address} as master of 'mymaster', but it did not confirm the master role within 0.6 s.", ex.Message);
        Assert.Equal(SentinelFailure.MasterNotConfirmed, (await Assert.ThrowsAsync<RedisSentinelException>(async () => await RedisClient.ConnectAsync(sentinel))).Failure);
    }

    [Fact]
    public async Task NamedMasterThatIsStopped_ThrowsMasterNotConfirmed_WithTheConnectionError()
    {
        string stopped = $"127.0.0.1:{FreePort()}";
        await using var fake = new FakeSentinel(stopped);
        var sentinel = new RedisSentinel([fake.Address], "mymaster") { MasterConfirmTimeout = TimeSpan.FromMilliseconds(600) };

        var ex = await Assert.ThrowsAsync<RedisSentinelException>(async () => await sentinel.MasterAddressAsync());
        Assert.Equal(SentinelFailure.MasterNotConfirmed, ex.Failure);
        Assert.StartsWith($"The sentinels named {stopped} as master of 'mymaster', but it did not confirm the master role within 0.6 s: ", ex.Message);
        Assert.IsAssignableFrom<RedisConnectionException>(ex.InnerException);
        Assert.Equal(SentinelFailure.MasterNotConfirmed, Assert.Throws<RedisSentinelException>(() => sentinel.DialMaster()).Failure);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
