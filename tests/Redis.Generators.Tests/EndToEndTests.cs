using System.Reflection;
using System.Runtime.Loader;
using System.Text;

namespace Redis.Generators.Tests;

/// <summary>
/// An <see cref="IRespExecutor"/> that records the bytes each command writes (through the real
/// <see cref="RespWriter"/>) and answers with canned RESP replies read by the real parsers.
/// </summary>
internal sealed class ScriptedExecutor : IRespExecutor
{
    private readonly Queue<byte[]> _replies = new();

    public List<string> Written { get; } = [];

    public CancellationToken LastToken { get; private set; }

    public ScriptedExecutor Reply(string resp)
    {
        _replies.Enqueue(Encoding.UTF8.GetBytes(resp));
        return this;
    }

    public TResult Execute<TCommand, TParser, TResult>(in TCommand command, in TParser parser)
        where TCommand : struct, IRespCommand, allows ref struct
        where TParser : struct, IRespParser<TResult>
    {
        using var writer = new RespWriter();
        command.WriteTo(writer);
        Written.Add(Encoding.UTF8.GetString(writer.WrittenSpan));
        var reader = new RespReader(_replies.Dequeue());
        TParser copy = parser;
        TResult result = copy.Parse(ref reader);
        Assert.True(reader.End, "the parser must read exactly one reply");
        return result;
    }

    public ValueTask<TResult> ExecuteAsync<TCommand, TParser, TResult>(TCommand command, TParser parser, CancellationToken cancellationToken = default)
        where TCommand : struct, IRespCommand
        where TParser : struct, IRespParser<TResult>
    {
        LastToken = cancellationToken;
        return new ValueTask<TResult>(Execute<TCommand, TParser, TResult>(command, parser));
    }
}

/// <summary>The generated code compiled into an in-memory assembly, loaded in a collectible context.</summary>
public sealed class CompiledStore : IDisposable
{
    public const string Source = """
        #pragma warning disable CS1591 // the scenario code is public so the test can call it; its docs do not matter
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Redis;

        namespace E2E;

        public enum Condition { Nx, Xx }

        [RedisCommands]
        public partial interface IStore
        {
            void Set(string key, string value);
            [RedisCommand("SET")] bool SetWithOptions(string key, RedisValue value, Condition? condition = null, Expiration expiration = default);
            [RedisCommand("SET")] bool SetWithNullable(string key, RedisValue value, Expiration? expiration = null);
            string? GetEx(string key, ExpirationUpdate expiration = default);
            string? SetGet(string key, string value);
            string? Get(string key);
            [RedisCommand("GET")] string GetRequired(string key);
            [RedisCommand("GET")] ReadOnlyMemory<byte> GetMemory(RedisKey key);
            long HSet(string key, params (string Field, string Value)[] pairs);
            long Del(params string[] keys);
            [RedisCommand("DEL")] long DelSpan(params ReadOnlySpan<RedisKey> keys);
            long ZAdd(string key, (double Score, string Member)[] members, Condition? condition = null, bool ch = false);
            Dictionary<string, string> HGetAll(string key);
            (string Member, double Score)[] ZRangeWithScores(string key, long start, long stop);
            [RedisCommand("ZRANGE")] string[] ZRangeByScore(string key, double min, double max, bool byScore = true, (long Offset, long Count)? limit = null);
            (string Key, string Value)? BLPop(string key, double timeout);
            (ulong Cursor, string[] Keys) Scan(ulong cursor, string? match = null, long? count = null);
            string?[] MGet(params string[] keys);
            long? IncrBy(string key, long increment);
            ValueTask<long> IncrAsync(string key, CancellationToken ct = default);
            Task<string?> GetAsync(string key);
            ValueTask SetAsync(string key, string value);
            bool Expire(string key, long seconds, Condition? condition = null);
            void ClientSetName(string connectionName);
            object? MyModuleEcho(string text, long number);
        }

        public static class Scenarios
        {
            public static object? Set(IRespExecutor e) { IStore.Create(e).Set("key", "value"); return null; }
            public static object? SetWithOptions(IRespExecutor e) => IStore.Create(e).SetWithOptions("k", 42, Condition.Nx, Expiration.Milliseconds(1500));
            public static object? SetWithExat(IRespExecutor e) => IStore.Create(e).SetWithOptions("k", "v", expiration: Expiration.At(DateTimeOffset.FromUnixTimeSeconds(1700000000)));
            public static object? SetWithPxat(IRespExecutor e) => IStore.Create(e).SetWithOptions("k", "v", expiration: Expiration.At(DateTimeOffset.FromUnixTimeMilliseconds(1700000000123)));
            public static object? SetKeepTtl(IRespExecutor e) => IStore.Create(e).SetWithOptions("k", "v", expiration: Expiration.KeepTtl);
            public static object? SetNoExpiration(IRespExecutor e) => IStore.Create(e).SetWithOptions("k", "v");
            public static object? SetNullableSeconds(IRespExecutor e) => IStore.Create(e).SetWithNullable("k", "v", Expiration.Seconds(60));
            public static object? SetNullableNull(IRespExecutor e) => IStore.Create(e).SetWithNullable("k", "v", null);
            public static object? GetExPersist(IRespExecutor e) => IStore.Create(e).GetEx("k", ExpirationUpdate.Persist);
            public static object? SetGet(IRespExecutor e) => IStore.Create(e).SetGet("k", "new");
            public static object? Get(IRespExecutor e) => IStore.Create(e).Get("k");
            public static object? GetRequired(IRespExecutor e) => IStore.Create(e).GetRequired("k");
            public static object? GetMemory(IRespExecutor e) => IStore.Create(e).GetMemory("k").ToArray();
            public static object? HSet(IRespExecutor e) => IStore.Create(e).HSet("h", ("f1", "v1"), ("f2", "v2"));
            public static object? Del(IRespExecutor e) => IStore.Create(e).Del("a", "b", "c");
            public static object? DelSpan(IRespExecutor e) => IStore.Create(e).DelSpan("a", new byte[] { 0x62 });
            public static object? ZAdd(IRespExecutor e) => IStore.Create(e).ZAdd("z", [(1.5, "one"), (2, "two")], Condition.Xx, ch: true);
            public static object? HGetAll(IRespExecutor e) => IStore.Create(e).HGetAll("h");
            public static object? ZRangeWithScores(IRespExecutor e) => IStore.Create(e).ZRangeWithScores("z", 0, -1);
            public static object? ZRangeByScore(IRespExecutor e) => IStore.Create(e).ZRangeByScore("z", double.NegativeInfinity, 10.5, limit: (0, 2));
            public static object? BLPop(IRespExecutor e) => IStore.Create(e).BLPop("list", 0.5);
            public static object? Scan(IRespExecutor e) => IStore.Create(e).Scan(0, match: "user:*");
            public static object? MGet(IRespExecutor e) => IStore.Create(e).MGet("a", "b");
            public static object? IncrBy(IRespExecutor e) => IStore.Create(e).IncrBy("n", -3);
            public static object? IncrAsync(IRespExecutor e) => IStore.Create(e).IncrAsync("n", new CancellationTokenSource().Token).AsTask().GetAwaiter().GetResult();
            public static object? GetAsync(IRespExecutor e) => IStore.Create(e).GetAsync("k").GetAwaiter().GetResult();
            public static object? SetAsync(IRespExecutor e) { IStore.Create(e).SetAsync("k", "v").AsTask().GetAwaiter().GetResult(); return "done"; }
            public static object? Expire(IRespExecutor e) => IStore.Create(e).Expire("k", 10, Condition.Nx);
            public static object? ClientSetName(IRespExecutor e) { IStore.Create(e).ClientSetName("worker-1"); return null; }
            public static object? MyModuleEcho(IRespExecutor e) => IStore.Create(e).MyModuleEcho("hi", 7);
        }
        """;

    private readonly AssemblyLoadContext _context = new("generated-store", isCollectible: true);
    private readonly Dictionary<string, Func<IRespExecutor, object?>> _scenarios;

    public CompiledStore()
    {
        GeneratorRun run = GeneratorHarness.Run(Source);
        GeneratorHarness.AssertCleanCompile(run);
        using var image = new MemoryStream();
        var emit = run.Output.Emit(image);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        image.Position = 0;
        Assembly assembly = _context.LoadFromStream(image);
        Type scenarios = assembly.GetType("E2E.Scenarios", throwOnError: true)!;
        _scenarios = scenarios.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .ToDictionary(m => m.Name, m => m.CreateDelegate<Func<IRespExecutor, object?>>());
    }

    public object? Run(string scenario, IRespExecutor executor) => _scenarios[scenario](executor);

    public void Dispose() => _context.Unload();
}

/// <summary>
/// Compiles generated code, loads it and calls it through the generated interface against a
/// scripted executor: exact RESP bytes out, typed results in.
/// </summary>
public class EndToEndTests(CompiledStore store) : IClassFixture<CompiledStore>
{
    private static string Bulk(string s) => $"${Encoding.UTF8.GetByteCount(s)}\r\n{s}\r\n";

    private static string Command(params string[] parts) => $"*{parts.Length}\r\n" + string.Concat(parts.Select(Bulk));

    private (object? Result, ScriptedExecutor Executor) Run(string scenario, params string[] replies)
    {
        var executor = new ScriptedExecutor();
        foreach (string reply in replies) executor.Reply(reply);
        return (store.Run(scenario, executor), executor);
    }

    [Fact]
    public void Set_WritesSetKeyValue()
    {
        var (result, executor) = Run("Set", "+OK\r\n");
        Assert.Null(result);
        Assert.Equal(Command("SET", "key", "value"), Assert.Single(executor.Written));
    }

    [Fact]
    public void SetWithOptions_WritesTheChosenTokens_AndNilMeansFalse()
    {
        var (result, executor) = Run("SetWithOptions", "$-1\r\n");
        Assert.Equal(false, result);
        Assert.Equal(Command("SET", "k", "42", "NX", "PX", "1500"), Assert.Single(executor.Written));

        (result, executor) = Run("SetWithExat", "+OK\r\n");
        Assert.Equal(true, result);
        Assert.Equal(Command("SET", "k", "v", "EXAT", "1700000000"), Assert.Single(executor.Written));
    }

    [Theory]
    [InlineData("SetWithPxat", new[] { "SET", "k", "v", "PXAT", "1700000000123" })]
    [InlineData("SetKeepTtl", new[] { "SET", "k", "v", "KEEPTTL" })]
    [InlineData("SetNoExpiration", new[] { "SET", "k", "v" })]
    [InlineData("SetNullableSeconds", new[] { "SET", "k", "v", "EX", "60" })]
    [InlineData("SetNullableNull", new[] { "SET", "k", "v" })]
    [InlineData("GetExPersist", new[] { "GETEX", "k", "PERSIST" })]
    public void AnOptionParameter_WritesExactlyItsOneAlternative(string scenario, string[] expected)
    {
        var (_, executor) = Run(scenario, scenario == "GetExPersist" ? "$1\r\nv\r\n" : "+OK\r\n");
        Assert.Equal(Command(expected), Assert.Single(executor.Written));
    }

    [Fact]
    public void SetGetVariant_AlwaysSendsGet()
    {
        var (result, executor) = Run("SetGet", "$3\r\nold\r\n");
        Assert.Equal("old", result);
        Assert.Equal(Command("SET", "k", "new", "GET"), Assert.Single(executor.Written));
    }

    [Fact]
    public void HSet_WritesEveryPair()
    {
        var (result, executor) = Run("HSet", ":2\r\n");
        Assert.Equal(2L, result);
        Assert.Equal(Command("HSET", "h", "f1", "v1", "f2", "v2"), Assert.Single(executor.Written));
    }

    [Fact]
    public void Del_WritesSeveralKeys_FromArrayAndSpan()
    {
        var (result, executor) = Run("Del", ":3\r\n");
        Assert.Equal(3L, result);
        Assert.Equal("*4\r\n$3\r\nDEL\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", Assert.Single(executor.Written));

        (result, executor) = Run("DelSpan", ":1\r\n");
        Assert.Equal(1L, result);
        Assert.Equal(Command("DEL", "a", "b"), Assert.Single(executor.Written));
    }

    [Fact]
    public void ZAdd_WritesOptionsBeforeScoreMemberPairs()
    {
        var (result, executor) = Run("ZAdd", ":2\r\n");
        Assert.Equal(2L, result);
        Assert.Equal(Command("ZADD", "z", "XX", "CH", "1.5", "one", "2", "two"), Assert.Single(executor.Written));
    }

    [Fact]
    public void ZRangeByScore_WritesInfinityAndTheLimitBlock()
    {
        var (result, executor) = Run("ZRangeByScore", "*1\r\n$1\r\na\r\n");
        Assert.Equal(new[] { "a" }, result);
        Assert.Equal(Command("ZRANGE", "z", "-inf", "10.5", "BYSCORE", "LIMIT", "0", "2"), Assert.Single(executor.Written));
    }

    [Theory]
    [InlineData("%2\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n")] // RESP3 map
    [InlineData("*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n")] // RESP2 flat array
    public void HGetAll_ReadsAMap(string reply)
    {
        var (result, executor) = Run("HGetAll", reply);
        Assert.Equal(new Dictionary<string, string> { ["f1"] = "v1", ["f2"] = "v2" }, result);
        Assert.Equal(Command("HGETALL", "h"), Assert.Single(executor.Written));
    }

    [Fact]
    public void HGetAll_NilForANonNullableResult_ThrowsRedisNilException()
    {
        Assert.Throws<RedisNilException>(() => Run("HGetAll", "_\r\n"));
    }

    [Theory]
    [InlineData("*2\r\n*2\r\n$3\r\none\r\n,1.5\r\n*2\r\n$3\r\ntwo\r\n,2\r\n")] // RESP3: array of pairs
    [InlineData("*4\r\n$3\r\none\r\n$3\r\n1.5\r\n$3\r\ntwo\r\n$1\r\n2\r\n")] // RESP2: flat
    public void ZRangeWithScores_ReadsPairs_AndSendsWithScores(string reply)
    {
        var (result, executor) = Run("ZRangeWithScores", reply);
        Assert.Equal(new[] { ("one", 1.5), ("two", 2.0) }, ((string, double)[])result!);
        Assert.Equal(Command("ZRANGE", "z", "0", "-1", "WITHSCORES"), Assert.Single(executor.Written));
    }

    [Theory]
    [InlineData("*2\r\n$4\r\nlist\r\n$1\r\nx\r\n", true)]
    [InlineData("*-1\r\n", false)]
    [InlineData("_\r\n", false)]
    public void BLPop_ReadsANullableTuple(string reply, bool present)
    {
        var (result, executor) = Run("BLPop", reply);
        if (present) Assert.Equal(("list", "x"), ((string, string))result!);
        else Assert.Null(result);
        Assert.Equal(Command("BLPOP", "list", "0.5"), Assert.Single(executor.Written));
    }

    [Fact]
    public void Scan_ReadsCursorAndKeys()
    {
        var (result, executor) = Run("Scan", "*2\r\n$2\r\n17\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n");
        var (cursor, keys) = ((ulong, string[]))result!;
        Assert.Equal(17UL, cursor);
        Assert.Equal(["a", "b"], keys);
        Assert.Equal(Command("SCAN", "0", "MATCH", "user:*"), Assert.Single(executor.Written));
    }

    [Fact]
    public void NullableResults_GiveNull_NonNullableThrow()
    {
        Assert.Null(Run("Get", "$-1\r\n").Result);
        Assert.Equal("v", Run("Get", "$1\r\nv\r\n").Result);
        Assert.Throws<RedisNilException>(() => Run("GetRequired", "$-1\r\n"));
        Assert.Equal(Array.Empty<byte>(), Run("GetMemory", "$-1\r\n").Result);
        Assert.Equal(new string?[] { "1", null }, Run("MGet", "*2\r\n$1\r\n1\r\n$-1\r\n").Result);
        Assert.Null(Run("IncrBy", "_\r\n").Result);
        Assert.Equal(-3L, Run("IncrBy", ":-3\r\n").Result);
    }

    [Fact]
    public void AsyncMethods_PassTheCancellationToken_AndConvertTasks()
    {
        var (result, executor) = Run("IncrAsync", ":5\r\n");
        Assert.Equal(5L, result);
        Assert.True(executor.LastToken.CanBeCanceled);
        Assert.Equal("w", Run("GetAsync", "$1\r\nw\r\n").Result);
        Assert.Equal("done", Run("SetAsync", "+OK\r\n").Result);
    }

    [Fact]
    public void ErrorReply_IsThrownAsRedisServerException()
    {
        var error = Assert.Throws<RedisServerException>(() => Run("Set", "-ERR wrong\r\n"));
        Assert.Contains("wrong", error.Message);
    }

    [Fact]
    public void EnumCondition_SubcommandAndArityOnlyCommands_WriteTheirWords()
    {
        var (result, executor) = Run("Expire", ":1\r\n");
        Assert.Equal(true, result);
        Assert.Equal(Command("EXPIRE", "k", "10", "NX"), Assert.Single(executor.Written));

        (_, executor) = Run("ClientSetName", "+OK\r\n");
        Assert.Equal(Command("CLIENT", "SETNAME", "worker-1"), Assert.Single(executor.Written));

        (result, executor) = Run("MyModuleEcho", "$2\r\nhi\r\n");
        Assert.Equal("hi"u8.ToArray(), result);
        Assert.Equal(Command("MYMODULE.ECHO", "hi", "7"), Assert.Single(executor.Written));
    }
}
