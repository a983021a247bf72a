using Redis.Tests.Infrastructure;

namespace Redis.Tests;

/// <summary>Reply helpers on live replies (redigo's reply_test.go case: SET k 1, then Int of GET and of INCR), on RESP2 and RESP3 connections.</summary>
[Collection(ServerCollection.Name)]
public class ReplyHelpersLiveTests(ServerFixture fixture)
{
    public static TheoryData<int> Protocols() => new() { 2, 3 };

    [Theory, MemberData(nameof(Protocols))]
    public void Helpers_ConvertLiveReplies(int protocol)
    {
        using IConn c = fixture.Dial(new DialOptions { Protocol = protocol });
        string foo = ServerFixture.Key("foo"), k1 = ServerFixture.Key("k1"), set = ServerFixture.Key("set"), hello = ServerFixture.Key("hello");

        c.Do("SET", foo, 1);
        Assert.True(Reply.Bool(c.Do("EXISTS", foo)));
        Assert.False(Reply.Bool(c.Do("EXISTS", ServerFixture.Key("none"))));

        c.Do("SET", k1, 1);
        Assert.Equal(1, Reply.Int32(c.Do("GET", k1)));
        Assert.Equal(2L, Reply.Int64(c.Do("INCR", k1)));

        c.Do("SADD", set, 4, 5, 6);
        Assert.Equal([4, 5, 6], Reply.Int32s(c.Do("SMEMBERS", set))!.Order());

        c.Do("SET", hello, "world");
        Assert.Equal("world", Reply.String(c.Do("GET", hello)));
        Assert.Equal("world"u8.ToArray(), Reply.Bytes(c.Do("GET", hello)));
        Assert.Null(Reply.String(c.Do("GET", ServerFixture.Key("none"))));
        Assert.Throws<RedisNilException>(() => Reply.Int64(c.Do("GET", ServerFixture.Key("none"))));
    }

    [Theory, MemberData(nameof(Protocols))]
    public void MapHelpers_ReadHGetAllOnBothProtocols(int protocol)
    {
        using IConn c = fixture.Dial(new DialOptions { Protocol = protocol });
        string key = ServerFixture.Key("hash");
        c.Do("HSET", key, "a", 1, "b", 2);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, Reply.StringMap(c.Do("HGETALL", key)));
        Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2 }, Reply.Int64Map(c.Do("HGETALL", key)));
    }

    [Theory, MemberData(nameof(Protocols))]
    public void Positions_ReadGeoPos(int protocol)
    {
        using IConn c = fixture.Dial(new DialOptions { Protocol = protocol });
        string key = ServerFixture.Key("geo");
        c.Do("GEOADD", key, 13.361389, 38.115556, "Palermo");
        var positions = Reply.Positions(c.Do("GEOPOS", key, "Palermo", "Nowhere"))!;
        Assert.Equal(2, positions.Length);
        Assert.Equal(13.361389, positions[0]!.Value.Longitude, 4);
        Assert.Equal(38.115556, positions[0]!.Value.Latitude, 4);
        Assert.Null(positions[1]);
    }

    [Fact]
    public void Args_FlattenADictionaryIntoHSet()
    {
        using IConn c = fixture.Dial();
        string key = ServerFixture.Key("args");
        var args = new Args().Add(key).AddFlat(new Dictionary<string, object> { ["title"] = "Example", ["rating"] = 5 });
        Assert.Equal(2L, c.Do("HSET", args.ToArray()));
        Assert.Equal(new Dictionary<string, string> { ["title"] = "Example", ["rating"] = "5" }, Reply.StringMap(c.Do("HGETALL", key)));
    }
}
