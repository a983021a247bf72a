namespace Redis.Generators.Tests;

/// <summary>The user code the tests feed the generator.</summary>
internal static class TestSources
{
    /// <summary>A shop's typed command interface: the README's first example, with sync, async, nullable and collection results.</summary>
    public const string Shop = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Redis;

        namespace Shop;

        /// <summary>The shop's commands.</summary>
        [RedisCommands]
        public partial interface IShop
        {
            /// <summary>SET key value.</summary>
            void Set(string key, string value);

            /// <summary>GET key.</summary>
            string? Get(string key);

            /// <summary>The cart.</summary>
            [RedisCommand("HGETALL")] Dictionary<string, string> Cart(string key);

            /// <summary>INCR key.</summary>
            ValueTask<long> IncrAsync(string key, CancellationToken ct = default);
        }
        """;

    /// <summary>Every supported return type and parameter kind, sync and async.</summary>
    public const string AllShapes = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Redis;

        namespace Shapes;

        internal enum Condition { Nx, Xx }

        internal enum ExpireWhen { NX, XX, GT, LT }

        internal enum SortBy { ByScore, ByLex }

        [RedisCommands]
        internal partial interface IAllShapes
        {
            // Return types.
            void Set(string key, string value);
            [RedisCommand("SET")] bool SetIfAbsent(string key, string value, bool nx);
            string? Get(string key);
            [RedisCommand("GET")] string GetRequired(string key);
            [RedisCommand("GET")] byte[]? GetBytes(string key);
            [RedisCommand("GET")] ReadOnlyMemory<byte> GetMemory(RedisKey key);
            [RedisCommand("GET")] ReadOnlyMemory<byte>? GetMemoryOrNull(RedisKey key);
            [RedisCommand("GET")] RedisLease? GetLease(RedisKey key);
            [RedisCommand("GET")] RedisLease GetLeaseRequired(RedisKey key);
            [RedisCommand("GET")] ValueTask<RedisLease?> GetLeaseAsync(RedisKey key, CancellationToken ct = default);
            [RedisCommand("GET")] object? GetObject(string key);
            long Incr(string key);
            [RedisCommand("INCR")] int IncrInt32(string key);
            [RedisCommand("INCR")] long? IncrOrNull(string key);
            [RedisCommand("INCRBY")] double IncrByAsDouble(string key, long increment);
            bool Expire(string key, long seconds);
            string?[] MGet(params string[] keys);
            [RedisCommand("MGET")] byte[]?[]? MGetBytes(IReadOnlyList<RedisKey> keys);
            Dictionary<string, string> HGetAll(string key);
            [RedisCommand("HGETALL")] IReadOnlyDictionary<string, byte[]>? HGetAllBytes(string key);
            string[] ZRange(string key, long start, long stop);
            (string Member, double Score)[] ZRangeWithScores(string key, long start, long stop);
            (string Key, string Value)? BLPop(string key, double timeout);
            [RedisCommand("BLPOP")] (string, string)? BLPopMany(string[] keys, double timeout);
            (ulong Cursor, string[] Keys) Scan(ulong cursor, string? match = null, long? count = null);
            string Ping();
            [RedisCommand("PING")] string Echo(string message);
            string? ClientGetName();
            void ClientSetName(string connectionName);
            object? MyModuleEcho(string arg, long number);

            // Parameter kinds.
            [RedisCommand("SET")] bool SetWithOptions(RedisKey key, RedisValue value, Condition? condition = null, Expiration expiration = default);
            string? SetGet(string key, byte[] value);
            [RedisCommand("SET")] void SetBytes(byte[] key, ReadOnlyMemory<byte> value, long? ex = null);
            [RedisCommand("SET")] void SetSpan(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);
            [RedisCommand("SET")] void SetNumber(string key, double value);
            long Del(string key);
            [RedisCommand("DEL")] long DelTwo(string key1, string key2);
            [RedisCommand("DEL")] long DelMany(params ReadOnlySpan<RedisKey> keys);
            [RedisCommand("DEL")] long DelList(IReadOnlyList<string> keys);
            long HSet(string key, string field, string value);
            [RedisCommand("HSET")] long HSetMany(string key, params (string Field, string Value)[] pairs);
            [RedisCommand("HSET")] long HSetList(string key, List<(RedisValue, RedisValue)> pairs);
            long ZAdd(string key, double score, string member);
            [RedisCommand("ZADD")] long ZAddMany(string key, (double Score, string Member)[] members, Condition? condition = null, bool ch = false);
            double? ZAddIncr(string key, double score, string member);
            [RedisCommand("ZRANGE")] string[] ZRangeBy(string key, string min, string max, SortBy sortBy, bool rev = false, (long Offset, long Count)? limit = null);
            [RedisCommand("EXPIRE")] bool ExpireWhen(string key, int seconds, ExpireWhen when);
            [RedisCommand("EXPIRE")] bool ExpireIf(string key, long seconds, bool nx = false, bool xx = false);

            // Async.
            [RedisCommand("SET")] Task SetTaskAsync(string key, string value);
            [RedisCommand("SET")] ValueTask SetValueTaskAsync(string key, string value, CancellationToken cancellationToken = default);
            Task<string?> GetAsync(string key, CancellationToken cancellationToken = default);
            ValueTask<long> IncrAsync(string key, CancellationToken cancellationToken = default);
            ValueTask<Dictionary<string, string>> HGetAllAsync(string key);
            [RedisCommand("HGETALL")] Task<IReadOnlyDictionary<string, string>> HGetAllReadOnlyAsync(string key);
            ValueTask<(string Member, double Score)[]> ZRangeWithScoresAsync(string key, long start, long stop, CancellationToken cancellationToken);
            ValueTask<(string Key, string Value)?> BLPopAsync(string[] keys, double timeout, CancellationToken cancellationToken = default);
            [RedisCommand("SET")] ValueTask<bool> SetIfAbsentAsync(string key, string value, bool nx = true);
            [RedisCommand("DEL")] ValueTask<long> DelAsync(IReadOnlyList<RedisKey> keys);
        }
        """;

    /// <summary>An interface nested in partial classes.</summary>
    public const string Nested = """
        using System.Threading.Tasks;
        using Redis;

        namespace Outer.Space;

        internal static partial class Container
        {
            internal partial class Inner
            {
                [RedisCommands]
                internal partial interface ICounter
                {
                    long Incr(string key);
                    ValueTask<long> IncrByAsync(string key, long increment);
                }

                [RedisCommands]
                private partial interface IHidden
                {
                    string? Get(string key);
                }

                public static long Use(Redis.IConn conn) => IHidden.Create(conn).Get("k") is null ? 0 : 1;
            }
        }
        """;

    /// <summary>A file with nullable reference types disabled: oblivious types read nil as null.</summary>
    public const string NullableOblivious = """
        #nullable disable
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Redis;

        namespace Legacy;

        [RedisCommands]
        internal partial interface ILegacy
        {
            string Get(string key);
            string[] MGet(string[] keys);
            Task<Dictionary<string, string>> HGetAllAsync(string key);
            void Set(string key, string value);
            (ulong, string[]) Scan(ulong cursor, string match);
        }
        """;

    public static string Get(string name) => (string)typeof(TestSources).GetField(name)!.GetValue(null)!;

    /// <summary>An interface in the global namespace.</summary>
    public const string GlobalNamespace = """
        using Redis;

        [RedisCommands]
        internal partial interface IGlobal
        {
            string? Get(string key);
        }
        """;
}
