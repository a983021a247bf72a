using System.Numerics;
using Redis.Tests.Infrastructure;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests;

/// <summary>RESP3 (HELLO 3) replies from a live server: maps, sets, doubles, booleans, null, big numbers.</summary>
[Collection(ServerCollection.Name)]
public class Resp3Tests(ServerFixture fixture)
{
    public static TheoryData<bool> Modes() => new() { false, true };

    private Task<IConn> Dial3(bool useAsync) => fixture.DialAsync(useAsync, new DialOptions { Protocol = 3 });

    [Theory, MemberData(nameof(Modes))]
    public async Task Hello3_NegotiatesResp3(bool useAsync)
    {
        await using IConn c = await Dial3(useAsync);
        var hello = Assert.IsType<KeyValuePair<object?, object?>[]>(await c.Do(useAsync, "HELLO", 3));
        var proto = hello.Single(p => Text(p.Key) == "proto");
        Assert.Equal(3L, proto.Value);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task HGetAll_IsAMapInServerOrder(bool useAsync)
    {
        await using IConn c = await Dial3(useAsync);
        string key = ServerFixture.Key("h");
        await c.Do(useAsync, "HSET", key, "a", "1", "b", "2");
        var map = Assert.IsType<KeyValuePair<object?, object?>[]>(await c.Do(useAsync, "HGETALL", key));
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, map.ToDictionary(p => Text(p.Key), p => Text(p.Value)));
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, Reply.StringMap(await c.Do(useAsync, "HGETALL", key)));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task SMembers_IsASet(bool useAsync)
    {
        await using IConn c = await Dial3(useAsync);
        string key = ServerFixture.Key("s");
        await c.Do(useAsync, "SADD", key, 4, 5, 6);
        var set = Assert.IsType<object?[]>(await c.Do(useAsync, "SMEMBERS", key));
        Assert.Equal([4L, 5L, 6L], Reply.Int64s(set)!.Order());
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task ZScore_IsADouble(bool useAsync)
    {
        await using IConn c = await Dial3(useAsync);
        string key = ServerFixture.Key("z");
        await c.Do(useAsync, "ZADD", key, 1.5, "m");
        Assert.Equal(1.5, Assert.IsType<double>(await c.Do(useAsync, "ZSCORE", key, "m")));
        Assert.Equal(1.5, Reply.Double(await c.Do(useAsync, "ZSCORE", key, "m")));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task NilIsNullAndMissingScoreIsNull(bool useAsync)
    {
        await using IConn c = await Dial3(useAsync);
        Assert.Null(await c.Do(useAsync, "GET", ServerFixture.Key("missing")));
        Assert.Null(await c.Do(useAsync, "ZSCORE", ServerFixture.Key("missing"), "m"));
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    [Trait("Server", "RedisOnly")]
    public async Task LuaTypes_MapToBooleansBigNumbersAndVerbatim(bool useAsync)
    {
        await using IConn c = await Dial3(useAsync);
        DedicatedServer.RequireRealRedis(fixture.Server, "RESP3 Lua type conversions (redis.setresp)");
        Assert.Equal(true, await c.Do(useAsync, "EVAL", "redis.setresp(3); return true", 0));
        Assert.Equal(false, await c.Do(useAsync, "EVAL", "redis.setresp(3); return false", 0));
        Assert.Equal(BigInteger.Parse("1234567890123456789012345678901234567890"),
            await c.Do(useAsync, "EVAL", "redis.setresp(3); return {big_number='1234567890123456789012345678901234567890'}", 0));
        Assert.Equal(3.25, await c.Do(useAsync, "EVAL", "redis.setresp(3); return {double=3.25}", 0));
        Assert.Equal("hello", await c.Do(useAsync, "EVAL", "redis.setresp(3); return {verbatim_string={format='txt', string='hello'}}", 0));
        var map = Assert.IsType<KeyValuePair<object?, object?>[]>(await c.Do(useAsync, "EVAL", "redis.setresp(3); return {map={k=1}}", 0));
        Assert.Equal(1L, Assert.Single(map).Value);
    }

    // Redis before 7.2 writes a RESP3 NaN as libc prints it (",-nan" for 0/0 with glibc): it must read as NaN,
    // by Do, Reply.Double and the typed reader alike, and leave the connection usable.
    [SkippableTheory, MemberData(nameof(Modes))]
    [Trait("Server", "RedisOnly")]
    public async Task LuaNaNAndInfinityDoubles_ReadAsDoubles_WhateverSpellingTheServerUses(bool useAsync)
    {
        await using IConn c = await Dial3(useAsync);
        DedicatedServer.RequireRealRedis(fixture.Server, "RESP3 Lua type conversions (redis.setresp)");
        Assert.True(double.IsNaN(Assert.IsType<double>(await c.Do(useAsync, "EVAL", "redis.setresp(3); return {double=0/0}", 0))));
        Assert.True(double.IsNaN(Reply.Double(await c.Do(useAsync, "EVAL", "redis.setresp(3); return {double=-(0/0)}", 0))));
        Assert.Equal(double.PositiveInfinity, await c.Do(useAsync, "EVAL", "redis.setresp(3); return {double=1/0}", 0));
        Assert.Equal(double.NegativeInfinity, await c.Do(useAsync, "EVAL", "redis.setresp(3); return {double=-1/0}", 0));
        var typed = c.Commands();
        Assert.True(double.IsNaN(useAsync
            ? Reply.Double(await typed.EvalAsync("redis.setresp(3); return {double=0/0}"))
            : Reply.Double(typed.Eval("redis.setresp(3); return {double=0/0}"))));
        Assert.Equal("PONG", await c.Do(useAsync, "PING"));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task ErrorReply_IsThrownAndTheConnectionStaysUsable(bool useAsync)
    {
        await using IConn c = await Dial3(useAsync);
        string key = ServerFixture.Key("wt");
        await c.Do(useAsync, "SET", key, "v");
        var error = await Assert.ThrowsAsync<RedisServerException>(() => c.Do(useAsync, "LPUSH", key, "x"));
        Assert.Equal("WRONGTYPE", error.Prefix);
        Assert.Equal("PONG", await c.Do(useAsync, "PING"));
    }
}
