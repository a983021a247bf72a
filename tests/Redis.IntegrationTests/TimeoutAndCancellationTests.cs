using Redis.Tests.Infrastructure;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests;

/// <summary>
/// A read timeout or a cancellation while a reply is owed breaks the connection (a late reply must
/// never answer a later command), against a live server with a blocking command.
/// </summary>
[Collection(ServerCollection.Name)]
public class TimeoutAndCancellationTests(ServerFixture fixture)
{
    public static TheoryData<bool> Modes() => new() { false, true };

    [Theory, MemberData(nameof(Modes))]
    public async Task ReadTimeoutDuringBlockingCommand_BreaksTheConnection(bool useAsync)
    {
        await using IConn c = await fixture.DialAsync(useAsync, new DialOptions { ReadTimeout = TimeSpan.FromMilliseconds(200) });
        string list = ServerFixture.Key("blpop");
        await Assert.ThrowsAsync<RedisTimeoutException>(() => c.Do(useAsync, "BLPOP", list, 5));
        Assert.IsType<RedisTimeoutException>(c.Err);
        var later = await Assert.ThrowsAsync<RedisConnectionException>(() => c.Do(useAsync, "PING"));
        Assert.Same(c.Err, later.InnerException);
    }

    [SkippableFact]
    [Trait("Server", "RedisOnly")]
    public async Task CancellingABlockingCall_BreaksTheConnectionAndTheLateReplyReachesNobody()
    {
        DedicatedServer.RequireRealRedis(fixture.Server, "a BLPOP that blocks and a late reply after a cancelled call");
        string list = ServerFixture.Key("cancel");
        await using IConn blocked = await fixture.DialAsync(useAsync: true);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await blocked.DoAsync("BLPOP", [list, 5], cts.Token));
        Assert.NotNull(blocked.Err);

        // The element pushed now would have been BLPOP's late reply; it stays in the list because
        // the blocked client was disconnected rather than left reading.
        await using IConn other = await fixture.DialAsync(useAsync: true);
        await Task.Delay(100);
        await other.Do(true, "RPUSH", list, "late");
        Assert.Equal("late", Text(await other.Do(true, "LPOP", list)));
        await Assert.ThrowsAsync<RedisConnectionException>(async () => await blocked.DoAsync("PING"));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task BlockingCommandWithoutTimeout_WaitsForItsReply(bool useAsync)
    {
        await using IConn c = await fixture.DialAsync(useAsync);
        string list = ServerFixture.Key("blpop-ok");
        Assert.Null(await c.Do(useAsync, "BLPOP", list, 0.3)); // the server's own timeout gives nil
        Assert.Null(c.Err);
        Assert.Equal("PONG", await c.Do(useAsync, "PING"));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task DoWithTimeout_GivesABlockingCommandItsOwnDeadline(bool useAsync)
    {
        await using IConn c = await fixture.DialAsync(useAsync, new DialOptions { ReadTimeout = TimeSpan.FromMilliseconds(100) });
        var conn = Assert.IsAssignableFrom<IConnWithTimeout>(c);
        string list = ServerFixture.Key("per-call");
        object? reply = useAsync
            ? await conn.DoWithTimeoutAsync(TimeSpan.FromSeconds(10), "BLPOP", [list, 0.5])
            : conn.DoWithTimeout(TimeSpan.FromSeconds(10), "BLPOP", list, 0.5);
        Assert.Null(reply); // BLPOP's own 0.5 s timeout passed; the 100 ms default did not apply
        Assert.Null(c.Err);
        // The default deadline is back for the next call.
        await Assert.ThrowsAsync<RedisTimeoutException>(() => c.Do(useAsync, "BLPOP", list, 5));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task DoWithTimeout_ShorterThanTheBlockBreaksTheConnection(bool useAsync)
    {
        await using IConn c = await fixture.DialAsync(useAsync);
        var conn = (IConnWithTimeout)c;
        string list = ServerFixture.Key("per-call-short");
        await Assert.ThrowsAsync<RedisTimeoutException>(async () =>
        {
            if (useAsync) await conn.DoWithTimeoutAsync(TimeSpan.FromMilliseconds(150), "BLPOP", [list, 5]);
            else conn.DoWithTimeout(TimeSpan.FromMilliseconds(150), "BLPOP", list, 5);
        });
        Assert.NotNull(c.Err);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task ReceiveWithTimeout_WaitsForAPendingBlockingReply(bool useAsync)
    {
        await using IConn c = await fixture.DialAsync(useAsync, new DialOptions { ReadTimeout = TimeSpan.FromMilliseconds(100) });
        var conn = (IConnWithTimeout)c;
        string list = ServerFixture.Key("receive-timeout");
        c.Send("BLPOP", list, 0.4);
        await c.Flush(useAsync);
        object? reply = useAsync ? await conn.ReceiveWithTimeoutAsync(TimeSpan.FromSeconds(10)) : conn.ReceiveWithTimeout(TimeSpan.FromSeconds(10));
        Assert.Null(reply);
        Assert.Equal("PONG", await c.Do(useAsync, "PING"));
    }
}
