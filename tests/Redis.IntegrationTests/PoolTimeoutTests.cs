using System.Diagnostics;
using Redis.Tests.Infrastructure;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests;

/// <summary>
/// Per-call read deadlines for blocking commands (redigo's DoWithTimeout / ReceiveWithTimeout) through
/// pooled connections: BLPOP, BRPOP, XREAD BLOCK and WAIT outlast a short default without breaking it.
/// </summary>
[Collection(ServerCollection.Name)]
public class PoolTimeoutTests(ServerFixture fixture)
{
    public static TheoryData<bool> Modes() => new() { false, true };

    private Pool ShortDefaultPool() => Pool.Create("tcp", fixture.Server.Address, new DialOptions { ReadTimeout = TimeSpan.FromMilliseconds(100) });

    private static async Task<object?> DoWithTimeout(IConnWithTimeout c, bool useAsync, TimeSpan timeout, string command, params object?[] args)
        => useAsync ? await c.DoWithTimeoutAsync(timeout, command, args) : c.DoWithTimeout(timeout, command, args);

    [Theory, MemberData(nameof(Modes))]
    public async Task BlockingCommands_GetTheirOwnDeadline_AndTheDefaultStays(bool useAsync)
    {
        using Pool pool = ShortDefaultPool();
        string list = ServerFixture.Key("blocking");
        TimeSpan generous = TimeSpan.FromSeconds(10);
        var watch = Stopwatch.StartNew();
        await using (IConnWithTimeout c = await (useAsync ? pool.GetAsync().AsTask() : Task.FromResult(pool.Get())))
        {
            Assert.Null(await DoWithTimeout(c, useAsync, generous, "BLPOP", list, 0.3));
            Assert.Null(await DoWithTimeout(c, useAsync, generous, "BRPOP", list, 0.3));
            Assert.Null(c.Err);
        }
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(500), "each command blocked for its own time");
        Assert.Equal(new PoolStats(1, 1, 0, TimeSpan.Zero), pool.Stats); // the connection came back healthy

        await using IConn again = pool.Get();
        await Assert.ThrowsAsync<RedisTimeoutException>(() => again.Do(useAsync, "BLPOP", list, 5)); // the 100 ms default is back
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    [Trait("Server", "RedisOnly")]
    public async Task XReadBlockAndWait_GetTheirOwnDeadline(bool useAsync)
    {
        DedicatedServer.RequireRealRedis(fixture.Server, "XREAD BLOCK and WAIT");
        using Pool pool = ShortDefaultPool();
        await using IConnWithTimeout c = pool.Get();
        var watch = Stopwatch.StartNew();
        Assert.Null(await DoWithTimeout(c, useAsync, TimeSpan.FromSeconds(10), "XREAD", "BLOCK", 300, "STREAMS", ServerFixture.Key("stream"), "$"));
        Assert.Equal(0L, await DoWithTimeout(c, useAsync, TimeSpan.FromSeconds(10), "WAIT", 1, 300)); // no replica acknowledges
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(500));
        Assert.Null(c.Err);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task ReceiveWithTimeout_OnAPooledPubSubConnection(bool useAsync)
    {
        using Pool pool = ShortDefaultPool();
        await using var sub = new PubSubConn(pool.Get());
        string channel = ServerFixture.Key("rwt");
        sub.Subscribe(channel);
        Assert.IsType<Subscription>(useAsync ? await sub.ReceiveWithTimeoutAsync(TimeSpan.FromSeconds(5)) : sub.ReceiveWithTimeout(TimeSpan.FromSeconds(5)));
        _ = Task.Run(async () =>
        {
            await Task.Delay(300);
            await using IConn publisher = fixture.Dial();
            await publisher.DoAsync("PUBLISH", channel, "late");
        });
        object message = useAsync ? await sub.ReceiveWithTimeoutAsync(TimeSpan.FromSeconds(5)) : sub.ReceiveWithTimeout(TimeSpan.FromSeconds(5));
        Assert.Equal("late", Assert.IsType<Message>(message).Text);
    }
}
