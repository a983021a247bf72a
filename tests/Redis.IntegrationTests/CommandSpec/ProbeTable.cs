using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redis.Tests;

/// <summary>
/// The calls that verify the declared replies: a concrete argument list per command on prepared keys, in
/// order (each pass starts with FLUSHALL). Commands left out are unsafe or impossible here: SHUTDOWN,
/// FAILOVER, CLUSTER FAILOVER/FORGET/MEET/REPLICATE, SYNC, PSYNC, MONITOR, MODULE LOAD/LOADEX/UNLOAD (no
/// module file), CONFIG REWRITE (no config file).
/// </summary>
internal static class ProbeTable
{
    private const string Lib = "#!lua name=speclib\n" +
        "redis.register_function('specfn', function(keys, args) return 1 end)\n" +
        "redis.register_function{function_name='specro', callback=function(keys, args) return redis.call('GET', keys[1]) end, flags={'no-writes'}}";

    private const string BusyLib = "#!lua name=busylib\nredis.register_function('busy', function(keys, args) while true do end end)";

    public static IReadOnlyList<Probe> All => [.. Standalone, .. Cluster];

    /// <summary>The data most probes read; destructive probes bring their own keys.</summary>
    private static readonly object?[][] Dataset =
    [
        S("SET", "str", "hello world"), S("SET", "num", "10"), S("SET", "flt", "1.5"), S("SET", "bitstr", "foobar"),
        S("RPUSH", "list", "a", "b", "c", "a"),
        S("HSET", "hash", "f1", "v1", "f2", "2"),
        S("SADD", "set1", "a", "b", "c"), S("SADD", "set2", "b", "c", "d"),
        S("ZADD", "z1", "1", "a", "2", "b", "3", "c"), S("ZADD", "z2", "1", "b", "2", "c", "3", "d"),
        S("GEOADD", "geo", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"),
        S("XADD", "xs", "1-1", "f", "v1"), S("XADD", "xs", "2-1", "f", "v2"), S("XADD", "xs", "3-1", "f", "v3"),
        S("XGROUP", "CREATE", "xs", "grp", "0"), S("XREADGROUP", "GROUP", "grp", "alice", "STREAMS", "xs", ">"),
        S("XGROUP", "CREATE", "xs", "idle", "$"),
        S("PFADD", "hll", "a", "b", "c"),
    ];

    public static IReadOnlyList<Probe> Standalone { get; } =
    [
        P("FLUSHALL"),
        P("DBSIZE").After(Dataset),

        // connection
        P("PING"), P("PING", "hello").When("message"), P("ECHO", "hi"), P("SELECT", "0"),
        P("HELLO") with { ArgsFactory = c => [c.Protocol] },
        P("AUTH", "default", "any-password").Own(),
        P("RESET").Own(), P("QUIT").Own(),
        P("CLIENT ID"), P("CLIENT INFO"), P("CLIENT LIST"), P("CLIENT HELP"),
        P("CLIENT GETNAME").Own().Nil(),
        P("CLIENT SETNAME", "spec"), P("CLIENT GETNAME").NotNil(),
        P("CLIENT GETREDIR"),
        P("CLIENT TRACKING", "ON").Own(),
        P("CLIENT CACHING", "YES").Own().After(S("CLIENT", "TRACKING", "ON", "OPTIN")),
        P("CLIENT TRACKINGINFO"),
        P("CLIENT NO-EVICT", "ON").Own(),
        P("CLIENT REPLY", "ON"),
        P("CLIENT PAUSE", "1", "WRITE"), P("CLIENT UNPAUSE"),
        P("CLIENT UNBLOCK") with { ArgsFactory = c => [c.Conn.Do("CLIENT", "ID")] },
        P("CLIENT KILL", "ID", "999999"),
        P("CLIENT KILL") with { ArgsFactory = c => [ClientAddress(c.DialExtra())], Present = ["filter/ip:port"] },
        P("CLIENT KILL") with { ArgsFactory = c => ["ADDR", ClientAddress(c.DialExtra()), "SKIPME", "yes"] },

        // strings
        P("APPEND", "app", "x"), P("DECR", "cnt"), P("DECRBY", "cnt", "2"), P("INCR", "cnt"), P("INCRBY", "cnt", "5"),
        P("INCRBYFLOAT", "flt", "0.25"),
        P("GET", "str").NotNil(), P("GET", "nokey").Nil(),
        P("GETDEL", "gd").After(S("SET", "gd", "1")).NotNil(), P("GETDEL", "nokey").Nil(),
        P("GETEX", "str", "EX", "100").NotNil(), P("GETEX", "nokey").Nil(),
        P("GETRANGE", "str", "0", "4"), P("SUBSTR", "str", "0", "4"),
        P("GETSET", "gs", "new").Nil(), P("GETSET", "gs", "newer").NotNil(),
        P("LCS", "lcs1", "lcs2").After(S("SET", "lcs1", "ohmytext"), S("SET", "lcs2", "mynewtext")),
        P("LCS", "lcs1", "lcs2", "LEN").When("len[LEN]"),
        P("LCS", "lcs1", "lcs2", "IDX", "MINMATCHLEN", "2", "WITHMATCHLEN").When("idx", "len[MINMATCHLEN]", "withmatchlen"),
        P("MGET", "str", "nokey"), P("MSET", "m1", "1", "m2", "2"), P("MSETNX", "m3", "1", "m4", "2"),
        P("PSETEX", "ps", "100000", "v"), P("SETEX", "se", "100", "v"), P("SETNX", "str", "x"), P("SETRANGE", "sr", "0", "abc"),
        P("STRLEN", "str"),
        P("SET", "s1", "v"),
        P("SET", "s1", "v2", "GET").When("get").NotNil(), P("SET", "s9", "v", "GET").When("get").Nil(),
        P("SET", "s1", "v3", "NX").When("condition").Nil(), P("SET", "s1", "v4", "XX").When("condition").NotNil(),
        P("SET", "s1", "v5", "EX", "100").When("expiration"),

        // lists
        P("LPUSH", "l2", "x", "y"), P("LPUSHX", "l2", "z"), P("LPUSHX", "nokey", "z"), P("RPUSH", "l2", "w"), P("RPUSHX", "l2", "v"),
        P("LINDEX", "list", "0").NotNil(), P("LINDEX", "list", "100").Nil(),
        P("LINSERT", "l2", "BEFORE", "x", "q"), P("LLEN", "list"), P("LRANGE", "list", "0", "-1"),
        P("LPOS", "list", "a").NotNil(), P("LPOS", "list", "zz").Nil(), P("LPOS", "list", "a", "COUNT", "0").When("num-matches"),
        P("LREM", "l2", "1", "q"), P("LSET", "l2", "0", "s"), P("LTRIM", "l2", "0", "10"),
        P("LMOVE", "l2", "l3", "LEFT", "RIGHT").NotNil(), P("LMOVE", "nokey", "l3", "LEFT", "RIGHT").Nil(),
        P("RPOPLPUSH", "l2", "l3").NotNil(), P("RPOPLPUSH", "nokey", "l3").Nil(),
        P("LPOP", "lp").After(S("RPUSH", "lp", "a", "b", "c", "d", "e", "f")).NotNil(), P("LPOP", "nokey").Nil(),
        P("LPOP", "lp", "2").When("count").NotNil(), P("LPOP", "nokey", "2").When("count").Nil(),
        P("RPOP", "lp").NotNil(), P("RPOP", "lp", "2").When("count"), P("RPOP", "nokey").Nil(),
        P("LMPOP", "1", "lp2", "LEFT", "COUNT", "2").After(S("RPUSH", "lp2", "a", "b", "c", "d", "e", "f", "g", "h")).NotNil(),
        P("LMPOP", "1", "nokey", "LEFT").Nil(),
        P("BLMPOP", "0.01", "1", "lp2", "RIGHT").NotNil(), P("BLMPOP", "0.01", "1", "nokey", "RIGHT").Nil(),
        P("BLPOP", "lp2", "0.01").NotNil(), P("BLPOP", "nokey", "0.01").Nil(),
        P("BRPOP", "lp2", "0.01").NotNil(),
        P("BLMOVE", "lp2", "l3", "LEFT", "LEFT", "0.01").NotNil(), P("BLMOVE", "nokey", "l3", "LEFT", "LEFT", "0.01").Nil(),
        P("BRPOPLPUSH", "lp2", "l3", "0.01").NotNil(), P("BRPOPLPUSH", "nokey", "l3", "0.01").Nil(),

        // hashes
        P("HDEL", "hash", "nofield"), P("HEXISTS", "hash", "f1"), P("HGET", "hash", "f1").NotNil(), P("HGET", "hash", "nofield").Nil(),
        P("HGETALL", "hash"), P("HINCRBY", "hash", "f2", "1"), P("HINCRBYFLOAT", "hash", "f2", "0.5"), P("HKEYS", "hash"), P("HLEN", "hash"),
        P("HMGET", "hash", "f1", "nofield"), P("HMSET", "hash", "f3", "v3"), P("HSET", "hash", "f4", "v4"), P("HSETNX", "hash", "f1", "x"),
        P("HSTRLEN", "hash", "f1"), P("HVALS", "hash"), P("HSCAN", "hash", "0"),
        P("HRANDFIELD", "hash").NotNil(), P("HRANDFIELD", "nokey").Nil(),
        P("HRANDFIELD", "hash", "2").When("options"), P("HRANDFIELD", "hash", "2", "WITHVALUES").When("options", "options/withvalues"),

        // sets
        P("SADD", "s3", "a", "b"), P("SCARD", "set1"), P("SDIFF", "set1", "set2"), P("SDIFFSTORE", "sd", "set1", "set2"),
        P("SINTER", "set1", "set2"), P("SINTERCARD", "2", "set1", "set2"), P("SINTERSTORE", "si", "set1", "set2"),
        P("SISMEMBER", "set1", "a"), P("SMEMBERS", "set1"), P("SMISMEMBER", "set1", "a", "zz"), P("SMOVE", "s3", "s4", "a"),
        P("SREM", "set1", "zz"), P("SSCAN", "set1", "0"), P("SUNION", "set1", "set2"), P("SUNIONSTORE", "su", "set1", "set2"),
        P("SPOP", "sp").After(S("SADD", "sp", "a", "b", "c", "d")).NotNil(), P("SPOP", "nokey").Nil(), P("SPOP", "sp", "2").When("count"),
        P("SRANDMEMBER", "set1").NotNil(), P("SRANDMEMBER", "nokey").Nil(), P("SRANDMEMBER", "set1", "2").When("count"),

        // sorted sets
        P("ZADD", "z3", "1", "a", "2", "b"), P("ZADD", "z3", "INCR", "2", "a").When("increment").NotNil(),
        P("ZADD", "z3", "NX", "INCR", "2", "a").When("increment").Nil(),
        P("ZCARD", "z1"), P("ZCOUNT", "z1", "-inf", "+inf"), P("ZLEXCOUNT", "z1", "-", "+"), P("ZINCRBY", "z3", "1.5", "b"),
        P("ZDIFF", "2", "z1", "z2"), P("ZDIFF", "2", "z1", "z2", "WITHSCORES").When("withscores"), P("ZDIFFSTORE", "zd", "2", "z1", "z2"),
        P("ZINTER", "2", "z1", "z2"), P("ZINTER", "2", "z1", "z2", "WITHSCORES").When("withscores"), P("ZINTERCARD", "2", "z1", "z2"),
        P("ZINTERSTORE", "zi", "2", "z1", "z2"),
        P("ZUNION", "2", "z1", "z2"), P("ZUNION", "2", "z1", "z2", "WITHSCORES").When("withscores"), P("ZUNIONSTORE", "zu", "2", "z1", "z2"),
        P("ZMSCORE", "z1", "a", "zz"), P("ZSCORE", "z1", "a").NotNil(), P("ZSCORE", "z1", "zz").Nil(),
        P("ZRANK", "z1", "b").NotNil(), P("ZRANK", "z1", "zz").Nil(), P("ZREVRANK", "z1", "b").NotNil(),
        P("ZRANGE", "z1", "0", "-1"), P("ZRANGE", "z1", "0", "-1", "WITHSCORES").When("withscores"),
        P("ZRANGE", "z1", "(1", "+inf", "BYSCORE", "LIMIT", "0", "2", "WITHSCORES").When("sortby", "offset_count", "withscores"),
        P("ZRANGEBYLEX", "z1", "-", "+"), P("ZREVRANGEBYLEX", "z1", "+", "-"),
        P("ZRANGEBYSCORE", "z1", "-inf", "+inf"), P("ZRANGEBYSCORE", "z1", "-inf", "+inf", "WITHSCORES").When("withscores"),
        P("ZREVRANGE", "z1", "0", "-1"), P("ZREVRANGE", "z1", "0", "-1", "WITHSCORES").When("withscores"),
        P("ZREVRANGEBYSCORE", "z1", "+inf", "-inf"), P("ZREVRANGEBYSCORE", "z1", "+inf", "-inf", "WITHSCORES").When("withscores"),
        P("ZRANGESTORE", "zr", "z1", "0", "-1"), P("ZREM", "z1", "zz"), P("ZSCAN", "z1", "0"),
        P("ZREMRANGEBYLEX", "zrm", "-", "(b").After(S("ZADD", "zrm", "0", "a", "0", "b", "0", "c", "1", "d", "2", "e")),
        P("ZREMRANGEBYRANK", "zrm", "0", "0"), P("ZREMRANGEBYSCORE", "zrm", "-inf", "1"),
        P("ZRANDMEMBER", "z1").NotNil(), P("ZRANDMEMBER", "nokey").Nil(), P("ZRANDMEMBER", "z1", "2").When("options"),
        P("ZRANDMEMBER", "z1", "2", "WITHSCORES").When("options", "options/withscores"),
        P("ZPOPMIN", "zp").After(S("ZADD", "zp", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f", "7", "g", "8", "h", "9", "i", "10", "j", "11", "k", "12", "l")),
        P("ZPOPMIN", "zp", "2").When("count"), P("ZPOPMIN", "nokey"), P("ZPOPMAX", "zp"), P("ZPOPMAX", "zp", "2").When("count"),
        P("ZMPOP", "1", "zp", "MIN", "COUNT", "2").NotNil(), P("ZMPOP", "1", "nokey", "MIN").Nil(),
        P("BZMPOP", "0.01", "1", "zp", "MAX").NotNil(), P("BZMPOP", "0.01", "1", "nokey", "MAX").Nil(),
        P("BZPOPMIN", "zp", "0.01").NotNil(), P("BZPOPMIN", "nokey", "0.01").Nil(), P("BZPOPMAX", "zp", "0.01").NotNil(),

        // geo
        P("GEOADD", "geo2", "13.361389", "38.115556", "Palermo"),
        P("GEODIST", "geo", "Palermo", "Catania", "km").NotNil(), P("GEODIST", "geo", "Palermo", "Nowhere").Nil(),
        P("GEOHASH", "geo", "Palermo", "Nowhere"), P("GEOPOS", "geo", "Palermo", "Nowhere"),
        P("GEORADIUS", "geo", "15", "37", "200", "km"),
        P("GEORADIUS", "geo", "15", "37", "200", "km", "WITHCOORD").When("withcoord"),
        P("GEORADIUS", "geo", "15", "37", "200", "km", "WITHDIST").When("withdist"),
        P("GEORADIUS", "geo", "15", "37", "200", "km", "WITHHASH").When("withhash"),
        P("GEORADIUS", "geo", "15", "37", "200", "km", "STORE", "gs1").When("key[STORE]"),
        P("GEORADIUS", "geo", "15", "37", "200", "km", "STOREDIST", "gs2").When("key[STOREDIST]"),
        P("GEORADIUS_RO", "geo", "15", "37", "200", "km", "ASC"),
        P("GEORADIUS_RO", "geo", "15", "37", "200", "km", "WITHCOORD", "WITHDIST").When("withcoord", "withdist"),
        P("GEORADIUS_RO", "geo", "15", "37", "200", "km", "WITHDIST").When("withdist"),
        P("GEORADIUS_RO", "geo", "15", "37", "200", "km", "WITHHASH").When("withhash"),
        P("GEORADIUSBYMEMBER", "geo", "Palermo", "200", "km"),
        P("GEORADIUSBYMEMBER", "geo", "Palermo", "200", "km", "WITHCOORD").When("withcoord"),
        P("GEORADIUSBYMEMBER", "geo", "Palermo", "200", "km", "WITHDIST").When("withdist"),
        P("GEORADIUSBYMEMBER", "geo", "Palermo", "200", "km", "WITHHASH", "COUNT", "1").When("withhash", "count"),
        P("GEORADIUSBYMEMBER", "geo", "Palermo", "200", "km", "STORE", "gs3").When("key[STORE]"),
        P("GEORADIUSBYMEMBER", "geo", "Palermo", "200", "km", "STOREDIST", "gs4").When("key[STOREDIST]"),
        P("GEORADIUSBYMEMBER_RO", "geo", "Palermo", "200", "km"),
        P("GEORADIUSBYMEMBER_RO", "geo", "Palermo", "200", "km", "WITHCOORD").When("withcoord"),
        P("GEORADIUSBYMEMBER_RO", "geo", "Palermo", "200", "km", "WITHDIST").When("withdist"),
        P("GEORADIUSBYMEMBER_RO", "geo", "Palermo", "200", "km", "WITHHASH").When("withhash"),
        P("GEOSEARCH", "geo", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"),
        P("GEOSEARCH", "geo", "FROMMEMBER", "Palermo", "BYBOX", "400", "400", "km", "WITHCOORD").When("withcoord"),
        P("GEOSEARCH", "geo", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km", "WITHDIST").When("withdist"),
        P("GEOSEARCH", "geo", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km", "WITHHASH").When("withhash"),
        P("GEOSEARCHSTORE", "gs5", "geo", "FROMMEMBER", "Palermo", "BYBOX", "400", "400", "km"),

        // bitmaps, hyperloglog
        P("BITCOUNT", "bitstr"), P("BITPOS", "bitstr", "1"), P("GETBIT", "bitstr", "1"), P("SETBIT", "bits", "7", "1"),
        P("BITOP", "AND", "bitdest", "bitstr", "bitstr"),
        P("BITFIELD", "bf", "INCRBY", "i5", "100", "1", "GET", "u4", "0"), P("BITFIELD", "bf", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "5"),
        P("BITFIELD_RO", "bitstr", "GET", "u8", "0"),
        P("PFADD", "hll", "d"), P("PFCOUNT", "hll"), P("PFMERGE", "hll2", "hll"), P("PFDEBUG", "GETREG", "hll"), P("PFSELFTEST"),

        // generic
        P("EXISTS", "str", "nokey"), P("TYPE", "str"), P("TYPE", "nokey"), P("TOUCH", "str"), P("TTL", "str"), P("PTTL", "str"),
        P("EXPIRE", "ex", "100").After(S("SET", "ex", "1")), P("PEXPIRE", "ex", "100000"), P("EXPIREAT", "ex", "33177117420"),
        P("PEXPIREAT", "ex", "33177117420000"), P("EXPIRETIME", "ex"), P("PEXPIRETIME", "ex"), P("PERSIST", "ex"),
        P("COPY", "str", "strcopy"), P("DEL", "strcopy", "nokey"), P("UNLINK", "nokey"),
        P("DUMP", "str").NotNil(), P("DUMP", "nokey").Nil(),
        P("RESTORE") with { ArgsFactory = c => ["restored", "0", c.Conn.Do("DUMP", "str"), "REPLACE"] },
        P("RESTORE-ASKING") with { ArgsFactory = c => ["restored2", "0", c.Conn.Do("DUMP", "str"), "REPLACE"] },
        P("KEYS", "str*"), P("RANDOMKEY").NotNil(), P("SCAN", "0"), P("SCAN", "0", "MATCH", "s*", "COUNT", "100", "TYPE", "string"),
        P("RENAME", "rn1", "rn2").After(S("SET", "rn1", "1")), P("RENAMENX", "rn2", "str"),
        P("MOVE", "mv", "1").After(S("SET", "mv", "1")), P("SWAPDB", "1", "2"),
        P("MIGRATE", "127.0.0.1", "1", "nokey", "0", "100"),
        P("OBJECT ENCODING", "str").NotNil(), P("OBJECT ENCODING", "nokey").Nil(), P("OBJECT REFCOUNT", "str").NotNil(),
        P("OBJECT REFCOUNT", "nokey").Nil(), P("OBJECT IDLETIME", "str").NotNil(), P("OBJECT IDLETIME", "nokey").Nil(),
        P("OBJECT FREQ", "str").After(S("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu")).NotNil(), P("OBJECT FREQ", "nokey").Nil(),
        P("OBJECT HELP").After(S("CONFIG", "SET", "maxmemory-policy", "noeviction")),
        P("SORT", "sl").After(S("RPUSH", "sl", "3", "1", "2")), P("SORT", "sl", "BY", "nosort", "GET", "#", "GET", "nokey*").When("pattern[GET]"),
        P("SORT", "sl", "STORE", "sld").When("destination"), P("SORT_RO", "sl", "DESC"),
        P("WAIT", "0", "0"),

        // streams
        P("XADD", "xs2", "*", "f", "v").NotNil(), P("XADD", "nokey", "NOMKSTREAM", "*", "f", "v").Nil(),
        P("XLEN", "xs"), P("XRANGE", "xs", "-", "+"), P("XREVRANGE", "xs", "+", "-", "COUNT", "2"),
        P("XREAD", "STREAMS", "xs", "0").NotNil(), P("XREAD", "COUNT", "1", "STREAMS", "xs", "xs2", "0", "0").NotNil(),
        P("XREAD", "STREAMS", "xs", "$").Nil(),
        P("XREADGROUP", "GROUP", "grp", "alice", "STREAMS", "xs", "0").NotNil(),
        P("XREADGROUP", "GROUP", "grp", "alice", "STREAMS", "xs", ">").Nil(),
        P("XREADGROUP", "GROUP", "g", "c", "STREAMS", "xd", "0").After(
            S("XADD", "xd", "1-1", "f", "v"), S("XGROUP", "CREATE", "xd", "g", "0"),
            S("XREADGROUP", "GROUP", "g", "c", "STREAMS", "xd", ">"), S("XDEL", "xd", "1-1")).NotNil(),
        P("XPENDING", "xs", "grp"), P("XPENDING", "xs", "idle"), P("XPENDING", "xs", "grp", "-", "+", "10").When("filters"),
        P("XPENDING", "xs", "grp", "IDLE", "0", "-", "+", "10", "alice").When("filters"),
        P("XCLAIM", "xs", "grp", "bob", "0", "1-1"), P("XCLAIM", "xs", "grp", "bob", "0", "2-1", "JUSTID").When("justid"),
        P("XAUTOCLAIM", "xs", "grp", "carol", "0", "0-0", "COUNT", "1"),
        P("XAUTOCLAIM", "xs", "grp", "carol", "0", "0-0", "JUSTID").When("justid"),
        P("XACK", "xs", "grp", "1-1"), P("XDEL", "xs2", "0-1"),
        P("XGROUP CREATE", "xs", "grp2", "$"), P("XGROUP CREATECONSUMER", "xs", "grp2", "dave"), P("XGROUP DELCONSUMER", "xs", "grp2", "dave"),
        P("XGROUP SETID", "xs", "grp2", "0"), P("XGROUP DESTROY", "xs", "grp2"), P("XGROUP HELP"),
        P("XINFO STREAM", "xs"), P("XINFO STREAM", "xs", "FULL").When("full"), P("XINFO GROUPS", "xs"), P("XINFO CONSUMERS", "xs", "grp"),
        P("XINFO HELP"),
        P("XSETID", "xs", "10-1"), P("XTRIM", "xs", "MAXLEN", "100"),

        // scripting and functions
        P("EVAL", "return 1", "0"), P("EVAL_RO", "return redis.call('GET', KEYS[1])", "1", "str"),
        P("EVALSHA") with { ArgsFactory = c => [c.Conn.Do("SCRIPT", "LOAD", "return 1"), "0"] },
        P("EVALSHA_RO") with { ArgsFactory = c => [c.Conn.Do("SCRIPT", "LOAD", "return redis.call('GET', KEYS[1])"), "1", "str"] },
        P("SCRIPT LOAD", "return 2"), P("SCRIPT EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0000000000000000000000000000000000000000"),
        P("SCRIPT DEBUG", "NO"), P("SCRIPT HELP"),
        P("SCRIPT KILL") with { Before = c => StartBusy(c, "EVAL", "while true do end", "0") },
        P("SCRIPT FLUSH") with { Before = static c => WaitUntilNotBusy(c) },
        P("FUNCTION LOAD", Lib), P("FCALL", "specfn", "0"), P("FCALL_RO", "specro", "1", "str"),
        P("FUNCTION LIST"), P("FUNCTION STATS"), P("FUNCTION DUMP"),
        P("FUNCTION RESTORE") with { ArgsFactory = c => [c.Conn.Do("FUNCTION", "DUMP"), "REPLACE"] },
        P("FUNCTION KILL") with { Before = c => { c.Conn.Do("FUNCTION", "LOAD", "REPLACE", BusyLib); StartBusy(c, "FCALL", "busy", "0"); } },
        P("FUNCTION DELETE", "speclib") with { Before = static c => WaitUntilNotBusy(c) },
        P("FUNCTION FLUSH"), P("FUNCTION HELP"),

        // pub/sub
        P("PUBLISH", "chan", "msg"), P("SPUBLISH", "chan", "msg"),
        P("PUBSUB CHANNELS"), P("PUBSUB NUMPAT"), P("PUBSUB NUMSUB", "chan", "other"), P("PUBSUB SHARDCHANNELS"),
        P("PUBSUB SHARDNUMSUB", "chan"), P("PUBSUB HELP"),
        P("SUBSCRIBE", "chan").Own(), P("PSUBSCRIBE", "ch*").Own(), P("SSUBSCRIBE", "chan").Own(),
        P("UNSUBSCRIBE", "chan").Own().After(S("SUBSCRIBE", "chan")), P("PUNSUBSCRIBE", "ch*").Own().After(S("PSUBSCRIBE", "ch*")),
        P("SUNSUBSCRIBE", "chan").Own().After(S("SSUBSCRIBE", "chan")),

        // transactions
        P("MULTI").Own(), P("DISCARD").Own().After(S("MULTI")),
        // Pipelined: MULTI and the queued commands are only sent; Do("EXEC") flushes them and returns EXEC's reply.
        P("EXEC").Own().NotNil() with { Before = static c => { c.Conn.Send("MULTI"); c.Conn.Send("SET", "tx", "1"); c.Conn.Send("INCR", "tx"); } },
        P("EXEC").Own().After(S("WATCH", "tx")) with
        {
            Before = c => { c.DialExtra().Do("SET", "tx", "changed"); c.Conn.Do("MULTI"); c.Conn.Do("SET", "tx", "mine"); },
            Expect = static r => r is null,
        },
        P("WATCH", "tx"), P("UNWATCH"),

        // server
        P("INFO"), P("INFO", "server"), P("TIME"), P("LASTSAVE"), P("ROLE"), P("LOLWUT"), P("DEBUG", "SLEEP", "0"),
        P("REPLICAOF", "NO", "ONE"), P("SLAVEOF", "NO", "ONE"), P("REPLCONF", "listening-port", "0").Own(),
        P("CONFIG GET", "maxmemory"), P("CONFIG GET", "maxmemory", "save"), P("CONFIG SET", "maxmemory", "0"), P("CONFIG RESETSTAT"),
        P("CONFIG HELP"),
        P("COMMAND COUNT"), P("COMMAND DOCS", "get", "client|kill"), P("COMMAND GETKEYS", "SET", "k", "v"),
        P("COMMAND GETKEYSANDFLAGS", "LMOVE", "a", "b", "LEFT", "RIGHT"), P("COMMAND HELP"), P("COMMAND INFO", "get", "nocommand", "config|get"),
        P("COMMAND LIST"), P("COMMAND LIST", "FILTERBY", "ACLCAT", "hyperloglog"),
        P("MEMORY USAGE", "str").NotNil(), P("MEMORY USAGE", "nokey").Nil(), P("MEMORY DOCTOR"), P("MEMORY MALLOC-STATS"), P("MEMORY PURGE"),
        P("MEMORY STATS"), P("MEMORY HELP"),
        P("MODULE LIST"), P("MODULE HELP"),
        P("SLOWLOG GET", "10").After(S("CONFIG", "SET", "slowlog-log-slower-than", "0"), S("PING")), P("SLOWLOG LEN"), P("SLOWLOG RESET"),
        P("SLOWLOG HELP").After(S("CONFIG", "SET", "slowlog-log-slower-than", "10000")),
        P("LATENCY GRAPH", "command").After(S("CONFIG", "SET", "latency-monitor-threshold", "1"), S("DEBUG", "SLEEP", "0.01")),
        P("LATENCY HISTORY", "command"), P("LATENCY LATEST"), P("LATENCY DOCTOR"), P("LATENCY HISTOGRAM", "set", "get").After(S("SET", "lh", "1"), S("GET", "lh")), P("LATENCY RESET"),
        P("LATENCY HELP").After(S("CONFIG", "SET", "latency-monitor-threshold", "0")),
        P("ACL CAT"), P("ACL CAT", "string"), P("ACL SETUSER", "u1", "on", ">pw", "~*", "+@all"), P("ACL SETUSER", "u2", "on", "nopass", "-@all"),
        P("ACL GETUSER", "u1").NotNil(), P("ACL GETUSER", "nouser").Nil(),
        P("ACL DRYRUN", "u1", "GET", "k"), P("ACL DRYRUN", "u2", "GET", "k"),
        P("ACL LOG") with { Before = static c => Denied(c.DialExtra()) },
        P("ACL LOG", "1").When("operation"), P("ACL LOG", "RESET").When("operation/reset"),
        P("ACL GENPASS"), P("ACL GENPASS", "64"), P("ACL LIST"), P("ACL USERS"), P("ACL WHOAMI"), P("ACL HELP"),
        P("ACL SAVE"), P("ACL DELUSER", "u2", "nouser"), P("ACL LOAD"),
        P("SAVE") with { Before = static c => WaitForPersistence(c.Conn) },
        P("BGSAVE") with { Before = static c => WaitForPersistence(c.Conn) },
        P("BGREWRITEAOF") with { Before = static c => WaitForPersistence(c.Conn) },
        P("FLUSHDB") with { Before = static c => WaitForPersistence(c.Conn) },
    ];

    public static IReadOnlyList<Probe> Cluster { get; } =
    [
        P("CLUSTER RESET", "HARD"), P("CLUSTER SET-CONFIG-EPOCH", "1"), P("CLUSTER BUMPEPOCH"), P("CLUSTER MYID"),
        P("CLUSTER ADDSLOTS", "1", "2", "3"), P("CLUSTER ADDSLOTSRANGE", "100", "200", "300", "400"), P("CLUSTER DELSLOTS", "3"),
        P("CLUSTER DELSLOTSRANGE", "150", "160"), P("CLUSTER SETSLOT", "1", "STABLE"),
        P("CLUSTER INFO"), P("CLUSTER NODES"), P("CLUSTER SLOTS"), P("CLUSTER SHARDS"), P("CLUSTER LINKS"), P("CLUSTER HELP"),
        P("CLUSTER KEYSLOT", "foo"), P("CLUSTER COUNTKEYSINSLOT", "1"), P("CLUSTER GETKEYSINSLOT", "1", "10"),
        P("CLUSTER COUNT-FAILURE-REPORTS") with { ArgsFactory = static c => [c.Conn.Do("CLUSTER", "MYID")] },
        P("CLUSTER REPLICAS") with { ArgsFactory = static c => [c.Conn.Do("CLUSTER", "MYID")] },
        P("CLUSTER SLAVES") with { ArgsFactory = static c => [c.Conn.Do("CLUSTER", "MYID")] },
        P("CLUSTER SAVECONFIG"), P("CLUSTER FLUSHSLOTS"),
        P("READONLY"), P("READWRITE"), P("ASKING"),
    ];

    private static Probe P(string command, params object?[] args) => new(command, args);

    private static object?[] S(params object?[] command) => command;

    private static string ClientAddress(IConn conn)
    {
        string info = Exec.Text(conn.Do("CLIENT", "INFO"));
        return info.Split(' ').Single(f => f.StartsWith("addr=", StringComparison.Ordinal))["addr=".Length..];
    }

    /// <summary>Starts an endless script on another connection and waits until the server reports it busy.</summary>
    private static void StartBusy(ProbeContext context, string command, params object?[] args)
    {
        context.Conn.Do("CONFIG", "SET", "busy-reply-threshold", "10");
        IConn busy = context.DialExtra();
        busy.Send(command, args);
        busy.Flush();
        IConn watcher = context.DialExtra();
        for (int i = 0; i < 200; i++)
        {
            Thread.Sleep(10);
            try
            {
                watcher.Do("GET", "str");
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("BUSY", StringComparison.Ordinal))
            {
                return;
            }
        }
        throw new InvalidOperationException("the server never became busy");
    }

    /// <summary>A killed script stops at its next interrupt check; until then the server still answers BUSY.</summary>
    private static void WaitUntilNotBusy(ProbeContext context)
    {
        IConn watcher = context.DialExtra();
        for (int i = 0; i < 200; i++)
        {
            try
            {
                watcher.Do("GET", "str");
                context.Conn.Do("CONFIG", "SET", "busy-reply-threshold", "5000");
                return;
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("BUSY", StringComparison.Ordinal))
            {
                Thread.Sleep(10);
            }
        }
        throw new InvalidOperationException("the server stayed busy after the kill");
    }

    /// <summary>Makes the ACL log non-empty: user u2 may run nothing.</summary>
    private static void Denied(IConn conn)
    {
        conn.Do("AUTH", "u2", "x");
        try
        {
            conn.Do("GET", "k");
        }
        catch (RedisServerException)
        {
            // NOPERM: logged, which is the point
        }
    }

    /// <summary>SAVE, BGSAVE, BGREWRITEAOF and FLUSHDB refuse or cancel while a child process runs.</summary>
    private static void WaitForPersistence(IConn conn)
    {
        for (int i = 0; i < 500; i++)
        {
            string info = Exec.Text(conn.Do("INFO", "persistence"));
            if (info.Contains("rdb_bgsave_in_progress:0", StringComparison.Ordinal)
                && info.Contains("aof_rewrite_in_progress:0", StringComparison.Ordinal)
                && info.Contains("aof_rewrite_scheduled:0", StringComparison.Ordinal))
            {
                return;
            }
            Thread.Sleep(20);
        }
        throw new InvalidOperationException("a persistence child process is still running");
    }
}
