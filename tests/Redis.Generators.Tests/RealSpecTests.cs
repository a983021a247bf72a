using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Redis.Generators.Spec;
using Xunit.Abstractions;

namespace Redis.Generators.Tests;

/// <summary>
/// The repository's own commands.json (every command of the reference server): it parses cleanly
/// and the representative interfaces generate clean code against it. Also reports timings (no
/// timing is asserted: benchmarks report, tests check behaviour).
/// </summary>
public class RealSpecTests(ITestOutputHelper output)
{
    private static readonly string RepositorySpec = Path.GetFullPath(Path.Combine(
        typeof(RealSpecTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDirectory").Value!,
        "..", "..", "commands.json"));

    private static string Load()
    {
        Skip.IfNot(File.Exists(RepositorySpec), $"{RepositorySpec} does not exist yet");
        return File.ReadAllText(RepositorySpec);
    }

    [SkippableFact]
    public void TheRepositorySpec_ParsesWithoutErrors()
    {
        string json = Load();
        var stopwatch = Stopwatch.StartNew();
        SpecFile file = SpecParser.Parse(RepositorySpec, SourceText.From(json));
        TimeSpan cold = stopwatch.Elapsed;
        const int rounds = 20;
        stopwatch.Restart();
        for (int i = 0; i < rounds; i++) SpecParser.Parse(RepositorySpec, SourceText.From(json));
        TimeSpan warm = stopwatch.Elapsed / rounds;

        Assert.Empty(file.Diagnostics.Select(d => d.ToDiagnostic().ToString()));
        Assert.True(file.Commands.Count > 300, $"only {file.Commands.Count} commands");
        CommandSpec spec = CommandSpec.Merge([file]);
        foreach (string name in new[] { "GET", "SET", "HGETALL", "CLIENT SETNAME", "ZRANGE", "SCAN", "BLPOP" }) Assert.NotNull(spec.Find(name));
        output.WriteLine($"{json.Length / 1024} KB, {file.Commands.Count} commands: first parse {cold.TotalMilliseconds:F1} ms, then {warm.TotalMilliseconds:F2} ms per parse");
    }

    [SkippableFact]
    public void RepresentativeInterfaces_GenerateCleanCodeAgainstTheRepositorySpec()
    {
        string json = Load();
        string allShapes = TestSources.AllShapes.Replace("object? MyModuleEcho(string arg, long number);", "");
        foreach (string source in new[] { TestSources.Shop, allShapes, TestSources.Nested, TestSources.NullableOblivious, CompiledStore.Source.Replace("object? MyModuleEcho(string text, long number);", "").Replace("public static object? MyModuleEcho(IRespExecutor e) => IStore.Create(e).MyModuleEcho(\"hi\", 7);", "") })
        {
            GeneratorRun run = GeneratorHarness.Run(source, GeneratorHarness.Spec(json));
            GeneratorHarness.AssertCleanCompile(run);
            Assert.NotEmpty(run.Result.GeneratedSources);
            output.WriteLine($"{string.Join(", ", run.Result.GeneratedSources.Select(s => s.HintName))}: generator run with the repository spec {run.Driver.GetTimingInfo().ElapsedTime.TotalMilliseconds:F1} ms (parse included)");
        }
    }

    [Fact]
    public void GeneratorRunTime_OnTheFixture()
    {
        const int rounds = 20;
        CSharpCompilation baseCompilation = GeneratorHarness.CreateCompilation(TestSources.AllShapes);
        CSharpCompilation[] edits = Enumerable.Range(0, rounds)
            .Select(i => baseCompilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText($"class Unrelated{i} {{ }}", GeneratorHarness.TestParseOptions)))
            .ToArray();

        // First run in this process (includes JIT of the generator and of Roslyn's driver).
        GeneratorRun first = GeneratorHarness.Run(baseCompilation, [GeneratorHarness.Spec()]);
        TimeSpan cold = first.Driver.GetTimingInfo().ElapsedTime;

        // A fresh driver per compilation: parse the spec, read, bind and emit every interface.
        TimeSpan fresh = TimeSpan.Zero;
        foreach (CSharpCompilation compilation in edits) fresh += GeneratorHarness.Run(compilation, [GeneratorHarness.Spec()]).Driver.GetTimingInfo().ElapsedTime;

        // One driver across unrelated edits: everything cached.
        TimeSpan incremental = TimeSpan.Zero;
        GeneratorDriver driver = first.Driver;
        foreach (CSharpCompilation compilation in edits)
        {
            driver = GeneratorHarness.Run(driver, compilation).Driver;
            incremental += driver.GetTimingInfo().ElapsedTime;
        }

        output.WriteLine($"fixture (19 commands, {first.Result.GeneratedSources.Length} file, {TestSources.AllShapes.Split('\n').Count(l => l.Contains(");"))} methods), driver-reported time: " +
            $"first run {cold.TotalMilliseconds:F1} ms, fresh driver {(fresh / rounds).TotalMilliseconds:F2} ms, incremental {(incremental / rounds).TotalMilliseconds:F2} ms");
        Assert.Single(first.Result.GeneratedSources);
    }

    /// <summary>Natural signatures for about seventy real commands.</summary>
    private const string Broad = """
    using System;
    using System.Collections.Generic;
    using System.Threading.Tasks;
    using Redis;
    namespace X;
    internal enum ExpireCondition { Nx, Xx, Gt, Lt }
    internal enum Side { Left, Right }
    [RedisCommands]
    internal partial interface IReal
    {
        long LPush(string key, params string[] elements);
        string? LPop(string key);
        [RedisCommand("LPOP")] string[]? LPopMany(string key, long count);
        long Exists(params string[] keys);
        bool SetNx(string key, string value);
        string? GetEx(string key, ExpirationUpdate expiration = default);
        double? ZScore(string key, string member);
        string XAdd(string key, string id, params (string, string)[] fields);
        Task<long> PublishAsync(string channel, string message);
        object? Eval(string script, long numkeys, string[] keys, string[] args);
        Dictionary<string, string> ConfigGet(params string[] parameters);
        long SInterCard(long numkeys, string[] keys, long? limit = null);
        string? ObjectEncoding(string key);
        void Select(int index);
        void FlushDb();
        long DbSize();
        string Info(params string[] sections);
        bool Expire(string key, long seconds, ExpireCondition? condition = null);
        string? Type(string key);
        string?[] HMGet(string key, params string[] fields);
        (string, string)? BRPop(string[] keys, double timeout);
        long SAdd(string key, params string[] members);
        string[] Keys(string pattern);
        long Append(string key, string value);
        string ClientList();
        long ClientId();
        long HIncrBy(string key, string field, long increment);
        double IncrByFloat(string key, double increment);
        bool HSetNx(string key, string field, string value);
        long PExpireTime(string key);
        bool ExpireAt(string key, DateTimeOffset unixTimeSeconds);
        void Auth(string password);
        [RedisCommand("AUTH")] void AuthUser(string username, string password);
        string? Echo(string message);
        long ZRem(string key, params string[] members);
        (string, double)[] ZPopMin(string key, long? count = null);
        long LRem(string key, long count, string element);
        string[] LRange(string key, long start, long stop);
        void LTrim(string key, long start, long stop);
        string? RPopLPush(string source, string destination);
        string? LMove(string source, string destination, Side wherefrom, Side whereto);
        long SetRange(string key, long offset, string value);
        long Unlink(params string[] keys);
        string[] SMembers(string key);
        bool SIsMember(string key, string member);
        long Touch(params string[] keys);
        void Rename(string key, string newkey);
        long Ttl(string key);
        long Persist(string key);
        string[] HKeys(string key);
        (ulong, string[]) SScan(string key, ulong cursor, string? match = null, long? count = null);
        (ulong, (string, string)[]) HScan(string key, ulong cursor);
        string[] ZRangeByScore(string key, double min, double max);
        long ZCard(string key);
        long PfAdd(string key, params string[] elements);
        long PfCount(params string[] keys);
        long GetBit(string key, long offset);
        long SetBit(string key, long offset, int value);
        long BitCount(string key);
        string ScriptLoad(string script);
        bool[] ScriptExists(params string[] sha1s);
        string Ping();
        void Multi();
        object?[]? Exec();
        void Watch(params string[] keys);
        long ObjectFreq(string key);
        string[] CommandDocs();
    }
    """;

    [SkippableFact]
    public void ABroadInterface_BindsAgainstTheRepositorySpec()
    {
        GeneratorRun run = GeneratorHarness.Run(Broad, GeneratorHarness.Spec(Load()));
        Assert.Empty(run.Diagnostics.Where(d => d.Id != "RDS0015").Select(d => d.ToString()));
        Assert.Empty(run.CompilerWarningsAndErrors.Select(d => d.ToString()));
        Assert.Equal(2, run.Diagnostics.Count(d => d.Id == "RDS0015")); // RPOPLPUSH and ZRANGEBYSCORE are deprecated
    }

    /// <summary>EVAL's numkeys: with no parameter of its own it is the length of the keys array; with one it is what the caller passed.</summary>
    [SkippableFact]
    public void ACountWithoutItsOwnParameter_IsSentAsTheLengthOfTheArrayAfterIt()
    {
        var written = RunCalls("""
            object? Eval(string script, RedisKey[] keys, RedisValue[] args);
            [RedisCommand("EVAL")] object? EvalCounted(string script, long numkeys, RedisKey[] keys, RedisValue[] args);
            """, ":1\r\n", ("Eval", "c.Eval(\"return 1\", [\"k1\", \"k2\"], [\"a\"])"), ("EvalCounted", "c.EvalCounted(\"return 1\", 1, [\"k1\", \"k2\"], [\"a\"])"));
        Assert.Equal(Command("EVAL", "return 1", "2", "k1", "k2", "a"), written["Eval"]);
        Assert.Equal(Command("EVAL", "return 1", "1", "k1", "k2", "a"), written["EvalCounted"]);
    }

    /// <summary>XADD's &lt;* | id&gt;: a nullable parameter named after the id sends the id, or * when null.</summary>
    [SkippableFact]
    public void ATokenOrValueChoice_TakesANullableValue_AndNullSendsTheToken()
    {
        var written = RunCalls("""
            string XAdd(RedisKey key, RedisValue? id, params (RedisValue Field, RedisValue Value)[] data);
            """, "$3\r\n1-1\r\n", ("Auto", "c.XAdd(\"s\", null, (\"f\", \"v\"))"), ("Given", "c.XAdd(\"s\", \"5-1\", (\"f\", \"v\"))"));
        Assert.Equal(Command("XADD", "s", "*", "f", "v"), written["Auto"]);
        Assert.Equal(Command("XADD", "s", "5-1", "f", "v"), written["Given"]);
    }

    /// <summary>
    /// CLIENT KILL's filters are a repeated choice of single values and a token choice: one optional parameter per
    /// alternative (named after it, or typed with its generated enum), each sent at most once, several together.
    /// </summary>
    [SkippableFact]
    public void ARepeatedChoice_GivenOneParameterPerAlternative_SendsEachGivenOneOnce_InSpecOrder()
    {
        var written = RunCalls("""
            long ClientKill(long? id = null, Redis.Commands.ClientKillType? type = null, string? user = null, string? skipMe = null);
            [RedisCommand("CLIENT KILL")] long KillByRole(Redis.Commands.ClientKillType clientKillType, string? laddr = null);
            """, ":1\r\n",
            ("Several", "c.ClientKill(id: 42, type: Redis.Commands.ClientKillType.PubSub, skipMe: \"no\")"),
            ("ByUser", "c.ClientKill(user: \"app\")"),
            ("None", "c.ClientKill()"),
            ("ByRole", "c.KillByRole(Redis.Commands.ClientKillType.Replica, laddr: \"127.0.0.1:6379\")"));
        Assert.Equal(Command("CLIENT", "KILL", "ID", "42", "TYPE", "PUBSUB", "SKIPME", "no"), written["Several"]);
        Assert.Equal(Command("CLIENT", "KILL", "USER", "app"), written["ByUser"]);
        // No filter: sent bare, and the server's syntax error reaches the caller.
        Assert.Equal(Command("CLIENT", "KILL"), written["None"]);
        Assert.Equal(Command("CLIENT", "KILL", "TYPE", "REPLICA", "LADDR", "127.0.0.1:6379"), written["ByRole"]);
    }

    /// <summary>An enum value that names no token is refused before anything is written, naming the parameter as nameof does (no '@').</summary>
    [SkippableFact]
    public void AnUndefinedEnumValue_ThrowsArgumentOutOfRange_NamingTheParameterWithoutItsEscape()
    {
        var results = Calls("""
            long XTrim(RedisKey key, Redis.Commands.TrimStrategy strategy, RedisValue threshold, Redis.Commands.TrimPrecision? @operator = null);
            """, ":0\r\n",
            ("Unknown", "c.XTrim(\"s\", Redis.Commands.TrimStrategy.MaxLen, 10, (Redis.Commands.TrimPrecision)99)"),
            ("Known", "c.XTrim(\"s\", Redis.Commands.TrimStrategy.MaxLen, 10, Redis.Commands.TrimPrecision.Approximate)"));
        var error = Assert.IsType<ArgumentOutOfRangeException>(results["Unknown"].Error);
        Assert.Equal("operator", error.ParamName);
        Assert.Empty(results["Unknown"].Written);
        Assert.Null(results["Known"].Error);
        Assert.Equal(Command("XTRIM", "s", "MAXLEN", "~", "10"), Assert.Single(results["Known"].Written));
    }

    private static string Command(params string[] words) => $"*{words.Length}\r\n" + string.Concat(words.Select(w => $"${Encoding.UTF8.GetByteCount(w)}\r\n{w}\r\n"));

    // Generates an interface of the given members against the repository spec, compiles and loads it, and
    // runs each call against a scripted executor: what each call wrote (exactly one command each).
    private static Dictionary<string, string> RunCalls(string members, string reply, params (string Name, string Call)[] calls)
        => Calls(members, reply, calls).ToDictionary(c => c.Key, c => c.Value.Error is { } error ? throw error : Assert.Single(c.Value.Written));

    // The same, keeping what each call wrote and what it threw.
    private static Dictionary<string, (List<string> Written, Exception? Error)> Calls(string members, string reply, params (string Name, string Call)[] calls)
    {
        string source = $$"""
            #pragma warning disable CS1591 // the scenario code is public so the test can call it
            using Redis;
            namespace Calls;
            [RedisCommands]
            public partial interface ICalls
            {
            {{members}}
            }
            public static class Run
            {
            {{string.Concat(calls.Select(c => $"    public static object? {c.Name}(IRespExecutor e) {{ var c = ICalls.Create(e); return {c.Call}; }}\n"))}}
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(source, GeneratorHarness.Spec(Load()));
        GeneratorHarness.AssertCleanCompile(run);
        using var image = new MemoryStream();
        var emit = run.Output.Emit(image);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        image.Position = 0;
        var context = new AssemblyLoadContext("calls", isCollectible: true);
        try
        {
            Type type = context.LoadFromStream(image).GetType("Calls.Run", throwOnError: true)!;
            var results = new Dictionary<string, (List<string>, Exception?)>();
            foreach (var (name, _) in calls)
            {
                var executor = new ScriptedExecutor().Reply(reply);
                Exception? error = null;
                try
                {
                    type.GetMethod(name)!.Invoke(null, [executor]);
                }
                catch (TargetInvocationException thrown)
                {
                    error = thrown.InnerException;
                }
                results[name] = (executor.Written, error);
            }
            return results;
        }
        finally
        {
            context.Unload();
        }
    }
}
