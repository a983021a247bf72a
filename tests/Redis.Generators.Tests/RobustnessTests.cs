using Microsoft.CodeAnalysis;

namespace Redis.Generators.Tests;

/// <summary>
/// The generator never throws, and what it emits always compiles: for garbage specs and odd
/// interfaces its output is either clean code or absent with a diagnostic.
/// </summary>
public class RobustnessTests
{
    private const string Weird = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Redis;

        namespace Weird;

        [RedisCommands]
        internal partial interface IWithProperty
        {
            string Name { get; }
            string? Get(string key);
        }

        internal interface IBase
        {
            long Incr(string key);
        }

        [RedisCommands]
        internal partial interface IOddMembers : IBase, IDisposable
        {
            string? Get(string key) => null;
            static string Helper() => "";
            string? @class(string @event);
            long Del(params string[][] keys);
            (int, int, int, int) Get4(string key);
            void Set(string key, string value, string value2);
            void Out(out string key);
            string? Get(in string key, int extra);
            ValueTask<ValueTask<long>> Nested(string key);
            List<string> ListResult(string key);
            long HSet(string key, (string, string, string)[] triples);
            long ZAdd(string key, (double, string)? single);
            [RedisCommand("")] long Empty();
            [RedisCommand(null!)] long Null();
            [RedisCommand("client")] long Container();
            [RedisCommand("client   setname")] void Spaced(string name);
        }

        [RedisCommands]
        internal partial interface IGenericMethod
        {
            T Echo<T>(T value);
        }

        [RedisCommands]
        internal partial interface IEmpty
        {
        }

        [RedisCommands]
        internal partial interface IWithEvents
        {
            event EventHandler Changed;
            int this[int index] { get; }
        }

        [RedisCommands]
        internal partial interface IUnknownTypes
        {
            void Set(string key, UnknownType value);
            Missing Get(string key);
        }

        [RedisCommands]
        internal partial struct NotAnInterface
        {
        }

        [RedisCommands]
        internal partial record NotAnInterfaceEither;

        [RedisCommands(Commands = new string[0], Groups = null)]
        internal partial interface IEmptySelection
        {
            long Incr(string key);
        }
        """;

    public static TheoryData<string, string> Specs()
    {
        var data = new TheoryData<string, string>
        {
            { "empty", "" },
            { "whitespace", "  \n\t " },
            { "bom", "\uFEFF{}" },
            { "open brace", "{" },
            { "array", "[]" },
            { "null", "null" },
            { "commands array", "{\"commands\": []}" },
            { "command number", "{\"commands\": {\"GET\": 5}}" },
            { "argument without name", "{\"commands\": {\"GET\": {\"arguments\": [{\"name\": 1}]}}}" },
            { "unknown argument type", "{\"commands\": {\"GET\": {\"arity\": 2, \"docs\": true, \"arguments\": [{\"name\": \"key\", \"type\": \"wat\"}], \"reply\": \"bulk?\"}}}" },
            { "oneof without children", "{\"commands\": {\"SET\": {\"arguments\": [{\"name\": \"c\", \"type\": \"oneof\"}]}}}" },
            { "reply garbage", "{\"commands\": {\"GET\": {\"arity\": 2, \"docs\": true, \"arguments\": [{\"name\": \"key\", \"type\": \"key\"}], \"reply\": \"map<<,\"}}}" },
            { "reply cases without variant match", "{\"commands\": {\"SET\": {\"arity\": -3, \"docs\": true, \"arguments\": [{\"name\": \"key\", \"type\": \"key\"}], \"reply\": {\"cases\": [{\"type\": \"ok\", \"variant\": \"\"}]}}}}" },
            { "huge numbers", "{\"commands\": {\"GET\": {\"arity\": 1e400, \"docs\": true}}}" },
            { "empty wire", "{\"commands\": {\"GET\": {\"wire\": [], \"arity\": 2, \"docs\": false}}}" },
            { "empty token", "{\"commands\": {\"MIGRATE\": {\"arity\": -6, \"docs\": true, \"arguments\": [{\"name\": \"empty\", \"type\": \"pure-token\", \"token\": \"\"}]}}}" },
            { "control characters", "{\"commands\": {\"G\u0001ET\": {}}}" },
            { "binary garbage", "\u0000\u0001\u0002{[\"\\" },
            { "deep nesting", new string('[', 100_000) },
            { "unterminated string", "{\"commands\": {\"GET" },
            { "bad escape", "{\"commands\": {\"\\q\": {}}}" },
            { "comments", "// a comment\n{ /* inline */ \"commands\": {} }" },
        };
        string mini = GeneratorHarness.MiniSpec;
        foreach (int cut in new[] { 1, 100, mini.Length / 3, mini.Length / 2, mini.Length - 2 }) data.Add($"truncated at {cut}", mini[..cut]);
        var random = new Random(12345);
        for (int i = 0; i < 8; i++)
        {
            char[] chars = mini.ToCharArray();
            for (int j = 0; j < 5; j++) chars[random.Next(chars.Length)] = "{}[]\",:x0 \\"[random.Next(12)];
            data.Add($"mutated {i}", new string(chars));
        }
        data.Add("the mini spec", mini);
        return data;
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void GarbageInputs_NeverThrow_AndOutputCompilesOrIsAbsentWithADiagnostic(string name, string spec)
    {
        foreach (string source in new[] { Weird, TestSources.AllShapes, TestSources.Shop })
        {
            GeneratorRun run = GeneratorHarness.Run(source, GeneratorHarness.Spec(spec)); // asserts no generator exception
            Assert.DoesNotContain(run.Diagnostics, d => d.Id == "RDS0099");

            var generatedTrees = run.Output.SyntaxTrees.Skip(1).ToHashSet();
            var inGenerated = run.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && generatedTrees.Contains(d.Location.SourceTree!));
            Assert.True(!inGenerated.Any(), $"{name}: generated code has diagnostics: {string.Join("\n", inGenerated)}");

            if (run.Result.GeneratedSources.Length == 0 && source != Weird)
            {
                Assert.True(run.Diagnostics.Any(d => d.Severity >= DiagnosticSeverity.Warning), $"{name}: nothing generated and nothing reported");
            }
        }
    }

    [Fact]
    public void OddMembers_AreReported_AndNothingBrokenIsEmitted()
    {
        GeneratorRun run = GeneratorHarness.Run(Weird);
        string[] hints = run.Result.GeneratedSources.Select(s => s.HintName).ToArray();

        // Interfaces with members the generator cannot implement are not generated, and say why.
        Assert.DoesNotContain("Weird.IWithProperty.g.cs", hints);
        Assert.DoesNotContain("Weird.IGenericMethod.g.cs", hints);
        Assert.DoesNotContain("Weird.IWithEvents.g.cs", hints);
        Assert.Equal(4, run.Diagnostics.Count(d => d.Id == "RDS0014"));
        Assert.Equal(2, run.Diagnostics.Count(d => d.Id == "RDS0007"));

        // Error types are the compiler's to report: no output and no diagnostic of ours for them.
        Assert.DoesNotContain("Weird.IUnknownTypes.g.cs", hints);

        // Methods with errors become throwing stubs, so the interface still compiles.
        Assert.Contains("Weird.IOddMembers.g.cs", hints);
        Assert.Contains("Weird.IEmpty.g.cs", hints);
        Assert.Contains("Weird.IEmptySelection.g.cs", hints);
        string odd = run.Source("Weird.IOddMembers.g.cs");
        Assert.Contains("public string? @class(string @event)", odd);
        Assert.Contains("throw new global::System.NotSupportedException(", odd);
        Assert.Contains("public long Incr(string key)", odd); // inherited from IBase
        Assert.DoesNotContain("Helper", odd);

        var generatedTrees = run.Output.SyntaxTrees.Skip(1).ToHashSet();
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && generatedTrees.Contains(d.Location.SourceTree!)).Select(d => d.ToString()));
    }
}
