using System.Text;
using Redis.Commands;
using Redis.Tests.Infrastructure;

namespace Redis.Tests;

/// <summary>
/// The built-in typed API (<c>conn.Commands()</c>, generated from commands.json into the runtime)
/// against the real server: every command group, typed results, sync and async.
/// </summary>
[Collection(ServerCollection.Name)]
public class GeneratedCommandsTests(ServerFixture fixture)
{
    private static string S(byte[]? bytes) => bytes is null ? "<nil>" : Encoding.UTF8.GetString(bytes);

    [Fact]
    public void Strings_Sync()
    {
        using IConn conn = fixture.Dial();
        IRedisCommands redis = conn.Commands();
        string key = ServerFixture.Key("gen-str");

        Assert.True(redis.Set(key, "v1"));
        Assert.False(redis.Set(key, "v2", condition: SetCondition.Nx));
        Assert.Equal("v1", S(redis.SetGet(key, "v2", expiration: Expiration.Seconds(100))));
        Assert.Equal("v2", S(redis.Get(key)));
        Assert.InRange(redis.Ttl(key), 1, 100);
        Assert.Null(redis.Get(key + ":missing"));
        Assert.Equal(4, redis.Append(key, "xy"));
        Assert.Equal(4, redis.StrLen(key));
        string counter = key + ":n";
        Assert.Equal(1, redis.Incr(counter));
        Assert.Equal(11, redis.IncrBy(counter, 10));
        redis.MSet((key + ":a", "A"), (key + ":b", "B"));
        byte[]?[] values = redis.MGet(key + ":a", key + ":missing", key + ":b");
        Assert.Equal(["A", "<nil>", "B"], values.Select(S));
        Assert.Equal(5, redis.Del(key, counter, key + ":a", key + ":b", key + ":missing") + 1);
    }

    [SkippableFact]
    [Trait("Server", "RedisOnly")]
    public async Task Expiration_EachAlternative_SetsKeepsOrRemovesTheTimeToLiveTheServerReports()
    {
        DedicatedServer.RequireRealRedis(fixture.Server, "Garnet answers a syntax error to one of SET/GETEX's expiration options");
        using IConn conn = fixture.Dial();
        IRedisCommands redis = conn.Commands();
        string key = ServerFixture.Key("gen-expiration");

        Assert.True(redis.Set(key, "v1", expiration: Expiration.Seconds(60)));
        Assert.InRange(redis.Ttl(key), 1, 60);
        Assert.True(redis.Set(key, "v2", expiration: Expiration.KeepTtl));
        Assert.InRange(redis.Ttl(key), 1, 60);
        Assert.Equal("v2", S(redis.Get(key)));
        Assert.True(redis.Set(key, "v3"));
        Assert.Equal(-1, redis.Ttl(key)); // default sends no expiration: a plain SET drops the old one

        // A whole second goes as EXAT, a finer time as PXAT; both land an hour ahead.
        DateTimeOffset inAnHour = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600);
        Assert.True(redis.Set(key, "v4", expiration: Expiration.At(inAnHour)));
        Assert.InRange(redis.Ttl(key), 3000, 3600);
        Assert.True(await redis.SetAsync(key, "v5", expiration: Expiration.At(inAnHour.AddMilliseconds(250))));
        Assert.InRange(await redis.PTtlAsync(key), 3_000_000, 3_600_250);
        Assert.True(await redis.SetAsync(key, "v6", expiration: Expiration.Milliseconds(60_000)));
        Assert.InRange(redis.PTtl(key), 1, 60_000);

        Assert.Equal("v6", S(redis.GetEx(key, ExpirationUpdate.Persist)));
        Assert.Equal(-1, redis.Ttl(key));
        Assert.Equal("v6", S(await redis.GetExAsync(key, ExpirationUpdate.Seconds(30))));
        Assert.InRange(redis.Ttl(key), 1, 30);
        Assert.Equal("v6", S(redis.GetEx(key)));
        Assert.InRange(redis.Ttl(key), 1, 30); // no update leaves the time to live as it is
        Assert.Equal(1, redis.Del(key));
    }

    [Fact]
    public async Task Strings_Async()
    {
        using IConn conn = fixture.Dial();
        IRedisCommands redis = conn.Commands();
        string key = ServerFixture.Key("gen-str-async");

        Assert.True(await redis.SetAsync(key, "v1", expiration: Expiration.Milliseconds(60_000)));
        Assert.Equal("v1", S(await redis.GetAsync(key)));
        Assert.Equal(2, await redis.IncrByAsync(key + ":n", 2));
        await redis.MSetAsync([(key + ":a", "A")]);
        Assert.Equal("A", S(await redis.GetAsync(key + ":a")));
        Assert.Equal(3, await redis.DelAsync([key, key + ":n", key + ":a"]));
    }

    [Fact]
    public async Task Hashes()
    {
        using IConn conn = fixture.Dial();
        IRedisCommands redis = conn.Commands();
        string key = ServerFixture.Key("gen-hash");

        Assert.Equal(2, redis.HSet(key, ("f1", "a"), ("f2", "b")));
        Assert.Equal("a", S(redis.HGet(key, "f1")));
        Assert.Null(redis.HGet(key, "nope"));
        Dictionary<string, byte[]> all = redis.HGetAll(key);
        Assert.Equal(["f1", "f2"], all.Keys.Order());
        Assert.Equal("b", S(all["f2"]));
        Assert.Equal(2, await redis.HLenAsync(key));
        (byte[], byte[])[] pairs = await redis.HRandFieldWithValuesAsync(key, 5);
        Assert.Equal(2, pairs.Length);
    }

    [Fact]
    public async Task Lists()
    {
        using IConn conn = fixture.Dial();
        IRedisCommands redis = conn.Commands();
        string key = ServerFixture.Key("gen-list");

        Assert.Equal(3, redis.RPush(key, "a", "b", "c"));
        Assert.Equal(4, await redis.LPushAsync(key, ["z"]));
        Assert.Equal(["z", "a", "b", "c"], redis.LRange(key, 0, -1).Select(S));
        Assert.Equal("z", S(redis.LPop(key)));
        Assert.Equal(["a", "b"], (await redis.LPopCountAsync(key, 2))!.Select(S));
        Assert.Equal(1, redis.LLen(key));
        Assert.Null(redis.LPop(key + ":missing"));
    }

    [Fact]
    public async Task Sets()
    {
        using IConn conn = fixture.Dial();
        IRedisCommands redis = conn.Commands();
        string key = ServerFixture.Key("gen-set");

        Assert.Equal(2, redis.SAdd(key, "x", "y"));
        Assert.True(redis.SIsMember(key, "x"));
        Assert.False(await redis.SIsMemberAsync(key, "nope"));
        Assert.Equal(2, await redis.SCardAsync(key));
        Assert.Equal(["x", "y"], redis.SMembers(key).Select(S).Order());
    }

    [Fact]
    public async Task SortedSets()
    {
        using IConn conn = fixture.Dial();
        IRedisCommands redis = conn.Commands();
        string key = ServerFixture.Key("gen-zset");

        Assert.Equal(3, redis.ZAdd(key, [(1, "a"), (2, "b"), (3, "c")]));
        Assert.Equal(0, redis.ZAdd(key, [(5, "a")], condition: SetCondition.Nx));
        Assert.Equal(4.5, redis.ZAddIncr(key, [(2.5, "b")]));
        Assert.Equal(["a", "c", "b"], redis.ZRange(key, 0, -1).Select(S));
        Assert.Equal(["b", "c"], redis.ZRange(key, 0, -1, rev: true, sortby: null, limit: null).Take(2).Select(S));
        (byte[] Member, double Score)[] scored = await redis.ZRangeWithScoresAsync(key, "(1", "+inf", sortby: RangeMode.ByScore);
        Assert.Equal([("c", 3.0), ("b", 4.5)], scored.Select(p => (S(p.Member), p.Score)));
        Assert.Equal(3.0, redis.ZScore(key, "c"));
        Assert.Null(await redis.ZScoreAsync(key, "nope"));
        Assert.Equal(3, redis.ZCard(key));
    }

    [SkippableFact]
    [Trait("Server", "RedisOnly")]
    public async Task Streams()
    {
        DedicatedServer.RequireRealRedis(fixture.Server, "streams: XADD and the other X commands");
        using IConn conn = fixture.Dial();
        IRedisCommands redis = conn.Commands();
        string key = ServerFixture.Key("gen-stream");

        byte[]? id1 = redis.XAdd(key, [("f", "1")]);
        Assert.NotNull(id1);
        byte[]? id2 = await redis.XAddAsync(key, [("f", "2")], trim: (TrimStrategy.MaxLen, TrimPrecision.Approximate, 1000, null));
        Assert.NotNull(id2);
        Assert.Null(redis.XAdd(key + ":none", [("f", "x")], nomkstream: true));
        Assert.Equal(2, redis.XLen(key));
        var range = redis.XRange(key, "-", "+");
        Assert.Equal([S(id1), S(id2)], range.Select(e => S(e.Id)));
        Assert.Equal("2", S(range[1].Fields[0].Value));
        Dictionary<string, (byte[] Id, (byte[] Field, byte[] Value)[] Fields)[]>? read = await redis.XReadAsync([(key, "0-0")], count: 10);
        Assert.NotNull(read);
        Assert.Equal(2, read[key].Length);
        Assert.Null(redis.XRead([(key, "$")], milliseconds: 10));
        Assert.Equal(1, await redis.XTrimAsync(key, TrimStrategy.MaxLen, 1, TrimPrecision.Exact));
        Assert.Equal(0, redis.XTrim(key, TrimStrategy.MaxLen, 1));
        Assert.Equal(1, redis.XLen(key));
    }

    [Fact]
    public async Task Geo()
    {
        using IConn conn = fixture.Dial();
        IRedisCommands redis = conn.Commands();
        string key = ServerFixture.Key("gen-geo");

        Assert.Equal(2, redis.GeoAdd(key, [(13.361389, 38.115556, "Palermo"), (15.087269, 37.502669, "Catania")]));
        double? km = redis.GeoDist(key, "Palermo", "Catania", GeoUnit.Kilometers);
        Assert.InRange(km!.Value, 166, 167);
        Assert.Null(await redis.GeoDistAsync(key, "Palermo", "Nowhere"));
        byte[][] near = redis.GeoSearch(key, GeoSearchOrigin.Position(15, 37), GeoSearchShape.Radius(200, GeoUnit.Kilometers), order: SortOrder.Asc);
        Assert.Equal(["Catania", "Palermo"], near.Select(S));
        byte[][] byMember = await redis.GeoSearchAsync(key, GeoSearchOrigin.Member("Palermo"), GeoSearchShape.Box(400, 400, GeoUnit.Kilometers), count: (1, false));
        Assert.Equal(["Palermo"], byMember.Select(S));
        // A required choice left at default is refused before anything is written; the connection stays usable.
        ArgumentException noOrigin = Assert.Throws<ArgumentException>(() => redis.GeoSearch(key, default, GeoSearchShape.Radius(1, GeoUnit.Meters)));
        Assert.Equal("origin", noOrigin.ParamName);
        Assert.Equal(2, redis.GeoSearchStore(key + ":near", key, GeoSearchOrigin.Member("Catania"), GeoSearchShape.Radius(200, GeoUnit.Kilometers)));
        Assert.Equal(1, redis.Del(key + ":near"));
        (double, double)?[] positions = redis.GeoPos(key, "Palermo", "Nowhere");
        Assert.NotNull(positions[0]);
        Assert.Null(positions[1]);
    }

    [SkippableFact]
    [Trait("Server", "RedisOnly")]
    public async Task CommandList_WithAndWithoutAFilter_SendsFilterByOnlyWithAnAlternative()
    {
        DedicatedServer.RequireRealRedis(fixture.Server, "Garnet has no COMMAND LIST");
        using IConn conn = fixture.Dial();
        IRedisCommands redis = conn.Commands();

        byte[][] all = redis.CommandList();
        byte[][] matching = await redis.CommandListAsync(CommandFilter.Pattern("xa*"));
        Assert.Contains("get", all.Select(S));
        Assert.Equal(["xack", "xadd", "xautoclaim"], matching.Select(S).Order());
        Assert.Contains("geosearch", redis.CommandList(CommandFilter.AclCategory("geo")).Select(S));
    }

    [SkippableFact]
    [Trait("Server", "RedisOnly")]
    public void ReplicaOf_NoOne_OnAPrimary_IsAcceptedAsOneChoice()
    {
        DedicatedServer.RequireRealRedis(fixture.Server, "Garnet refuses REPLICAOF without cluster support");
        using IConn conn = fixture.Dial();
        IRedisCommands redis = conn.Commands();

        // NO ONE on a server that is already a primary changes nothing; it shows the two words go out as one choice.
        Assert.Equal("OK", redis.ReplicaOf(ReplicationSource.NoOne));
        Assert.Throws<ArgumentException>(() => redis.ReplicaOf(default));
        Assert.Equal("PONG", S(redis.Ping()));
    }

    [Fact]
    public async Task BitmapsAndHyperLogLog()
    {
        using IConn conn = fixture.Dial();
        IRedisCommands redis = conn.Commands();
        string key = ServerFixture.Key("gen-bits");

        Assert.False(redis.SetBit(key, 7, 1));
        Assert.True(redis.GetBit(key, 7));
        Assert.Equal(1, await redis.BitCountAsync(key));
        Assert.Equal([1L, 0L], redis.BitField(key, ["GET", "u1", "7", "GET", "u1", "0"]).Select(v => v ?? -1));

        string hll = key + ":hll";
        Assert.True(redis.PFAdd(hll, ["a", "b", "c"]));
        Assert.False(await redis.PFAddAsync(hll, ["a"]));
        Assert.Equal(3, redis.PFCount(hll));
    }

    [Fact]
    public async Task ScriptingAndPublish()
    {
        using IConn conn = fixture.Dial();
        IRedisCommands redis = conn.Commands();
        string key = ServerFixture.Key("gen-eval");

        object? result = redis.Eval("redis.call('SET', KEYS[1], ARGV[1]); return {KEYS[1], tonumber(ARGV[2])}", [key], ["v", "42"]);
        object?[] array = Assert.IsType<object?[]>(result, exactMatch: false);
        Assert.Equal(42L, array[1]);
        Assert.Equal("v", S(redis.Get(key)));
        Assert.Equal(7L, await redis.EvalAsync("return 7"));
        Assert.Equal(0, redis.Publish(key + ":channel", "hello"));
        Assert.Equal(0, await redis.PublishAsync(key + ":channel", "hello"));
    }

    [SkippableFact]
    [Trait("Server", "RedisOnly")]
    public async Task ClientKill_FiltersPassedTogether_KillOnlyAConnectionMatchingAllOfThem()
    {
        DedicatedServer.RequireRealRedis(fixture.Server, "CLIENT KILL with filters");
        using IConn admin = fixture.Dial();
        IRedisCommands redis = admin.Commands();
        using IConn victim = fixture.Dial();
        long victimId = victim.Commands().ClientId();

        // ID matches, TYPE does not: every filter must match, so nothing is killed.
        Assert.Equal(0, redis.ClientKill(clientId: victimId, clientKillType: ClientKillType.PubSub));
        Assert.Equal("PONG", S(victim.Commands().Ping()));
        Assert.Equal(1, await redis.ClientKillAsync(clientId: victimId, clientKillType: ClientKillType.Normal, skipme: "yes"));
        Assert.ThrowsAny<RedisConnectionException>(() => victim.Commands().Ping());
        Assert.Equal("PONG", S(redis.Ping()));

        // The old form: one ip:port, answered with OK.
        using IConn old = fixture.Dial();
        string info = S(old.Commands().ClientInfo());
        string addr = info.Split(' ').Single(f => f.StartsWith("addr=", StringComparison.Ordinal))["addr=".Length..];
        redis.ClientKillOldFormat(addr);
        Assert.ThrowsAny<RedisConnectionException>(() => old.Commands().Ping());

        // No filter at all: the server's syntax error reaches the caller, and the connection stays usable.
        Assert.Throws<RedisServerException>(() => redis.ClientKill());
        Assert.Equal("PONG", S(redis.Ping()));
    }

    [Fact]
    public async Task ServerAndConnection()
    {
        using IConn conn = fixture.Dial();
        IRedisCommands redis = conn.Commands();

        Assert.Equal("PONG", S(redis.Ping()));
        Assert.Equal("hi", S(await redis.PingAsync("hi")));
        Assert.Equal("echo", S(redis.Echo("echo")));
        Assert.True(redis.DbSize() >= 0);
        (long seconds, long micros) = await redis.TimeAsync();
        Assert.InRange(seconds, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60);
        Assert.InRange(micros, 0, 999_999);
        Assert.Contains("redis_version", S(redis.Info(["server"])));
        Assert.True(redis.ClientId() > 0);
        Assert.Null(redis.ClientGetName());
        redis.ClientSetName("gen-tests");
        Assert.Equal("gen-tests", S(await redis.ClientGetNameAsync()));
        await redis.ClientSetNameAsync("gen-tests-2");
        Assert.Equal("gen-tests-2", S(redis.ClientGetName()));
    }

    [Fact]
    public async Task Generic()
    {
        using IConn conn = fixture.Dial();
        IRedisCommands redis = conn.Commands();
        string key = ServerFixture.Key("gen-generic");

        redis.Set(key, "v");
        Assert.Equal(1, redis.Exists(key, key + ":missing"));
        Assert.Equal(-1, redis.Ttl(key));
        Assert.True(redis.Expire(key, 100));
        Assert.False(await redis.ExpireAsync(key, 200, ExpireCondition.Nx));
        Assert.InRange(await redis.TtlAsync(key), 1, 100);
        Assert.Equal("string", redis.Type(key));
        Assert.Equal("none", await redis.TypeAsync(key + ":missing"));

        var found = new List<string>();
        long cursor = 0;
        do
        {
            (ulong next, byte[][] keys) = redis.Scan(cursor, pattern: key, count: 1000);
            found.AddRange(keys.Select(S));
            cursor = (long)next;
        }
        while (cursor != 0);
        Assert.Equal([key], found);
        Assert.Equal(1, await redis.DelAsync([key]));
        Assert.Equal(0, redis.Exists(key));
    }
}
