using Redis.Tests.Infrastructure;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests;

/// <summary>redigo's live command semantics (its conn_test.go, https://github.com/gomodule/redigo/blob/master/redis/conn_test.go), each run sync and async.</summary>
[Collection(ServerCollection.Name)]
public class DoSemanticsTests(ServerFixture fixture)
{
    public static TheoryData<bool> Modes() => new() { false, true };

    [Theory, MemberData(nameof(Modes))]
    public async Task Do_ReturnsTheRedigoValueForEachReplyKind(bool useAsync)
    {
        await using IConn c = await fixture.DialAsync(useAsync);
        string foo = ServerFixture.Key("foo"), list = ServerFixture.Key("list"), counter = ServerFixture.Key("counter");

        Assert.Equal("PONG", await c.Do(useAsync, "PING"));
        Assert.Equal("OK", await c.Do(useAsync, "SET", foo, "bar"));
        Assert.Equal("bar", Text(await c.Do(useAsync, "GET", foo)));
        Assert.Null(await c.Do(useAsync, "GET", ServerFixture.Key("nokey")));

        var mget = Assert.IsType<object?[]>(await c.Do(useAsync, "MGET", ServerFixture.Key("nokey"), foo));
        Assert.Null(mget[0]);
        Assert.Equal("bar", Text(mget[1]));

        Assert.Equal(1L, await c.Do(useAsync, "INCR", counter));
        Assert.Equal(1L, await c.Do(useAsync, "LPUSH", list, "foo"));
        Assert.Equal(2L, await c.Do(useAsync, "LPUSH", list, "bar"));
        var range = Assert.IsType<object?[]>(await c.Do(useAsync, "LRANGE", list, 0, -1));
        Assert.Equal(["bar", "foo"], range.Select(Text));
        Assert.Null(c.Err);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task MultiExec_QueuesAndReturnsTheResultsArray(bool useAsync)
    {
        await using IConn c = await fixture.DialAsync(useAsync);
        string list = ServerFixture.Key("list");
        await c.Do(useAsync, "RPUSH", list, "bar", "foo");

        Assert.Equal("OK", await c.Do(useAsync, "MULTI"));
        Assert.Equal("QUEUED", await c.Do(useAsync, "LRANGE", list, 0, -1));
        Assert.Equal("QUEUED", await c.Do(useAsync, "PING"));
        var exec = Assert.IsType<object?[]>(await c.Do(useAsync, "EXEC"));
        Assert.Equal(["bar", "foo"], Assert.IsType<object?[]>(exec[0]).Select(Text));
        Assert.Equal("PONG", exec[1]);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Pipeline_SendFlushReceiveGivesTheSameRepliesInOrder(bool useAsync)
    {
        await using IConn c = await fixture.DialAsync(useAsync);
        string key = ServerFixture.Key("pipe");
        c.Send("SET", key, "v");
        c.Send("GET", key);
        c.Send("INCR", key + ":n");
        c.Send("MULTI");
        c.Send("PING");
        c.Send("EXEC");
        await c.Flush(useAsync);
        Assert.Equal("OK", await c.Receive(useAsync));
        Assert.Equal("v", Text(await c.Receive(useAsync)));
        Assert.Equal(1L, await c.Receive(useAsync));
        Assert.Equal("OK", await c.Receive(useAsync));
        Assert.Equal("QUEUED", await c.Receive(useAsync));
        Assert.Equal(["PONG"], Assert.IsType<object?[]>(await c.Receive(useAsync)));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task DoEmpty_ReturnsAllPendingRepliesAsOneArray(bool useAsync)
    {
        await using IConn c = await fixture.DialAsync(useAsync);
        string key = ServerFixture.Key("blank");
        c.Send("SET", key, "v");
        c.Send("GET", key);
        c.Send("HSET", key, "f", "v"); // WRONGTYPE: stays an element, not thrown
        c.Send("PING");
        var all = Assert.IsType<object?[]>(await c.Do(useAsync, ""));
        Assert.Equal(4, all.Length);
        Assert.Equal("OK", all[0]);
        Assert.Equal("v", Text(all[1]));
        Assert.Equal("WRONGTYPE", Assert.IsType<RedisServerException>(all[2]).Prefix);
        Assert.Equal("PONG", all[3]);
        Assert.Null(await c.Do(useAsync, "")); // nothing pending: no I/O, nil
        Assert.Equal("PONG", await c.Do(useAsync, "PING"));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task ErrorReply_IsThrownAndTheConnectionStaysUsable(bool useAsync)
    {
        await using IConn c = await fixture.DialAsync(useAsync);
        string key = ServerFixture.Key("wrongtype");
        await c.Do(useAsync, "SET", key, "val");
        var error = await Assert.ThrowsAsync<RedisServerException>(() => c.Do(useAsync, "HSET", key, "fld", "val"));
        Assert.Equal("WRONGTYPE", error.Prefix);
        Assert.Null(c.Err);
        Assert.Equal("OK", await c.Do(useAsync, "SET", key, "again"));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Do_ThrowsTheFirstPendingErrorAfterReadingEveryReply(bool useAsync)
    {
        await using IConn c = await fixture.DialAsync(useAsync);
        string key = ServerFixture.Key("first-error");
        c.Send("SET", key, "notanumber");
        c.Send("INCR", key);          // error reply
        var error = await Assert.ThrowsAsync<RedisServerException>(() => c.Do(useAsync, "GET", key));
        Assert.Equal("ERR", error.Prefix);
        // Every reply was consumed: the stream is in step.
        Assert.Equal("PONG", await c.Do(useAsync, "PING"));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task ExecAbort_ThrowsTheFirstQueuedError(bool useAsync)
    {
        await using IConn c = await fixture.DialAsync(useAsync);
        c.Send("MULTI");
        c.Send("NOTACOMMAND");
        c.Send("ZINCRBY");
        var error = await Assert.ThrowsAsync<RedisServerException>(() => c.Do(useAsync, "EXEC"));
        Assert.Contains("unknown command", error.Message);
        Assert.Equal("PONG", await c.Do(useAsync, "PING"));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task ExecWithAFailingCommand_ReturnsTheErrorAsAnElement(bool useAsync)
    {
        await using IConn c = await fixture.DialAsync(useAsync);
        string key = ServerFixture.Key("zset");
        await c.Do(useAsync, "ZADD", key, 0, "m");
        c.Send("MULTI");
        c.Send("HSET", key, 0, 0);
        c.Send("ZINCRBY", key, 0, 0);
        var exec = Assert.IsType<object?[]>(await c.Do(useAsync, "EXEC"));
        Assert.Equal("WRONGTYPE", Assert.IsType<RedisServerException>(exec[0]).Prefix);
        Assert.IsType<byte[]>(exec[1]);
    }

    [Fact]
    public async Task Receive_StartedBeforeSendGetsTheReply()
    {
        using IConn c = fixture.Dial();
        Task<object?> receiving = Task.Run(c.Receive);
        await Task.Delay(50);
        c.Send("PING");
        c.Flush();
        Assert.Equal("PONG", await receiving.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(c.Do(""));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task UnsupportedArgument_ThrowsBeforeWritingAndLeavesTheConnectionUsable(bool useAsync)
    {
        await using IConn c = await fixture.DialAsync(useAsync);
        string key = ServerFixture.Key("arg");
        await Assert.ThrowsAsync<ArgumentException>(() => c.Do(useAsync, "SET", key, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => c.Do(useAsync, "SET", key, new object()));
        Assert.Null(c.Err);
        Assert.Equal("OK", await c.Do(useAsync, "SET", key, 1.5));
        Assert.Equal("1.5", Text(await c.Do(useAsync, "GET", key)));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Arguments_OfEveryTypeReachTheServerAsDocumented(bool useAsync)
    {
        await using IConn c = await fixture.DialAsync(useAsync);
        var echoed = new Dictionary<object, string>
        {
            ["text"] = "text", [42] = "42", [-7L] = "-7", [(byte)100] = "100", [ulong.MaxValue] = "18446744073709551615",
            [3.25] = "3.25", [true] = "1", [false] = "0", [double.NegativeInfinity] = "-inf",
        };
        foreach ((object arg, string expected) in echoed)
        {
            Assert.Equal(expected, Text(await c.Do(useAsync, "ECHO", arg)));
        }
        Assert.Empty(Assert.IsType<byte[]>(await c.Do(useAsync, "ECHO", [null])));
        Assert.Equal("1000001.5", Text(await c.Do(useAsync, "INCRBYFLOAT", ServerFixture.Key("f"), 1e6 + 1.5)));
    }

    [Fact]
    public void Close_MakesEveryLaterCallFailFast()
    {
        IConn c = fixture.Dial();
        c.Close();
        Assert.NotNull(c.Err);
        Assert.Throws<RedisConnectionException>(() => c.Do("PING"));
        Assert.Throws<RedisConnectionException>(() => c.Send("PING"));
        Assert.Throws<RedisConnectionException>(c.Flush);
        Assert.Throws<RedisConnectionException>(c.Receive);
        c.Close(); // idempotent
    }
}
