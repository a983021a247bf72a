using Redis.Testing;
using Redis.Tests.Infrastructure;
using static Redis.Tests.Infrastructure.Exec;
using RedisSentinel = Redis.Sentinel;

namespace Redis.Tests.Sentinel;

/// <summary>
/// A sentinel's answer changes between two questions, as it does around a failover, with two real masters: the old one
/// restarted as a "zombie" (it answers ROLE master until Sentinel demotes it) and the one the sentinels chose. The
/// answers come from a <see cref="FakeSentinel"/>, which gives them in a fixed order: real sentinels change their answer
/// only in a short window, which a test cannot hit on purpose.
/// </summary>
[Trait("Server", "RedisOnly")]
public class SentinelStaleAnswerTests
{
    private static Task<TestServer> StartMasterAsync(string role) => DedicatedServer.StartAsync(new TestServerOptions { Reason = role });

    [SkippableFact]
    public async Task MasterAddress_TheSentinelNamesTheNewMasterAfterTheZombiesRoleCheck_ReturnsTheNewMaster_SyncAndAsync()
    {
        await using TestServer zombie = await StartMasterAsync("a restarted old master, still answering ROLE master");
        await using TestServer master = await StartMasterAsync("the master the sentinels chose");

        // The first answer predates the failover and names the old master; by the time of its ROLE check the old master
        // is back as a zombie and confirms. Every later answer names the new master.
        await using (var fake = new FakeSentinel(zombie.Address, master.Address))
        {
            Assert.Equal(master.Address, new RedisSentinel([fake.Address], "mymaster").MasterAddress());
        }

        await using (var fake = new FakeSentinel(zombie.Address, master.Address))
        {
            Assert.Equal(master.Address, await new RedisSentinel([fake.Address], "mymaster").MasterAddressAsync());
        }
    }

    [SkippableFact]
    public async Task Reconnect_ToAMasterTheSentinelNamesNow_MovesTheDedicatedConnectionsToo()
    {
        await using TestServer old = await StartMasterAsync("the master before the move");
        await using TestServer next = await StartMasterAsync("the master after the move");
        await using var fake = new FakeSentinel(old.Address);
        // Only the reconnect asks the sentinel: no periodic check within the test, and the fake refuses SUBSCRIBE, so no
        // +switch-master either.
        var sentinel = new RedisSentinel([fake.Address], "mymaster") { CheckInterval = TimeSpan.FromHours(1) };
        await using RedisClient client = RedisClient.Connect(sentinel, SentinelClientKit.Bounded, SentinelClientKit.ClientOptions);
        string key = SentinelFixture.Key("moved");
        Assert.Equal("OK", Text(await client.DoAsync("SET", key, "old")));

        // The master moves, and the shared connection breaks (as Sentinel's CLIENT KILL does): its reconnect asks the
        // sentinel, which names the new master.
        fake.Name(next.Address);
        await using (IConn admin = await Conn.DialAsync("tcp", old.Address, SentinelClientKit.Bounded))
        {
            Assert.True((long)(await admin.DoAsync("CLIENT", ["KILL", "TYPE", "normal", "SKIPME", "yes"], CancellationToken.None))! >= 1, "the client's connection was not killed");
        }

        object? written = null;
        for (int attempt = 0; attempt < 50 && written is null; attempt++)
        {
            try
            {
                written = await client.DoAsync("SET", key, "next");
            }
            catch (RedisConnectionException)
            {
                await Task.Delay(100); // the reconnect is under way
            }
        }

        Assert.Equal("OK", Text(written));
        await using (IConn onNext = await Conn.DialAsync("tcp", next.Address, SentinelClientKit.Bounded))
        {
            Assert.Equal("next", Text(await onNext.DoAsync("GET", [key], CancellationToken.None)));
        }

        // A dedicated connection (transactions, blocking commands, leases) goes to the new master as well.
        await using IConnWithTimeout lease = await client.GetDedicatedAsync();
        Assert.Equal("next", Text(await lease.DoAsync("GET", [key], CancellationToken.None)));
    }
}
