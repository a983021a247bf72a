using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace Redis.Generators.Tests;

/// <summary>
/// Spec-driven members (<c>[RedisCommands(Commands = ..., Groups = ...)]</c>) against the repository's
/// commands.json: baselines for representative commands, and the whole spec compiling cleanly.
/// </summary>
public class SpecDrivenTests(ITestOutputHelper output)
{
    internal static readonly string RepositorySpec = Path.GetFullPath(Path.Combine(
        typeof(SpecDrivenTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDirectory").Value!,
        "..", "..", "commands.json"));

    internal static readonly string[] AllGroups =
    [
        "bitmap", "cluster", "connection", "generic", "geo", "hash", "hyperloglog", "list", "pubsub",
        "scripting", "server", "set", "sorted-set", "stream", "string", "transactions",
    ];

    private static AdditionalText Spec() => GeneratorHarness.Spec(File.ReadAllText(RepositorySpec));

    private static string Interface(string attribute, string name = "ICommands", string members = "")
        => $$"""
            using Redis;

            namespace SpecDriven;

            /// <summary>Spec-driven test interface.</summary>
            {{attribute}}
            public partial interface {{name}}
            {
            {{members}}
            }
            """;

    [Theory]
    [InlineData("SET")]
    [InlineData("GET")]
    [InlineData("ZADD")]
    [InlineData("ZRANGE")]
    [InlineData("XADD")]
    [InlineData("XREAD")]
    [InlineData("GEOSEARCH")]
    [InlineData("CLIENT KILL")]
    [InlineData("BITFIELD")]
    [InlineData("EVAL")]
    [InlineData("MSET")]
    public void SpecDrivenCommand_MatchesBaseline_AndCompilesCleanly(string command)
    {
        string name = "I" + Regex.Replace(command, "[^A-Za-z]", "");
        GeneratorRun run = GeneratorHarness.Run(Interface($"[RedisCommands(Commands = new[] {{ \"{command}\" }})]", name), Spec());

        Dump(run);
        GeneratorHarness.AssertCleanCompile(run);
        Baseline.Verify($"SpecDriven.{name}.g.cs.txt", Files(run, $"SpecDriven.{name}"));
    }

    // The interface's main file and its group files, each under a header line with its hint name.
    private static string Files(GeneratorRun run, string prefix)
        => string.Concat(run.Result.GeneratedSources
            .Where(s => s.HintName.StartsWith(prefix + ".", StringComparison.Ordinal))
            .OrderBy(s => s.HintName, StringComparer.Ordinal)
            .Select(s => $"//// {s.HintName}\n{s.SourceText}"));

    [Fact]
    public void SpecDrivenMembers_AreSplitIntoOneFilePerCommandGroup_NamedAfterTheGroup()
    {
        string source = Interface("[RedisCommands(Commands = new[] { \"GET\", \"ZADD\", \"LMOVE\" })]", "ISplit");
        GeneratorRun run = GeneratorHarness.Run(source, Spec());

        GeneratorHarness.AssertCleanCompile(run);
        Assert.Equal(
            ["SpecDriven.ISplit.List.g.cs", "SpecDriven.ISplit.SortedSet.g.cs", "SpecDriven.ISplit.String.g.cs", "SpecDriven.ISplit.g.cs"],
            run.Result.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
        string sortedSet = run.Source("SpecDriven.ISplit.SortedSet.g.cs");
        Assert.Contains("ZAdd(", sortedSet);
        Assert.DoesNotContain("LMove(", sortedSet);
        Assert.Contains("partial interface ISplit", sortedSet);
        Assert.Contains("partial class ISplitImplementation", sortedSet);
        Assert.Contains("LMove(", run.Source("SpecDriven.ISplit.List.g.cs"));
        Assert.DoesNotContain("ZAdd(", run.Source("SpecDriven.ISplit.g.cs"));
    }

    [Fact]
    public void TheWholeGeneratedApi_ReadsTupleElementsByName_NeverItemN()
    {
        string groups = string.Join(", ", AllGroups.Select(g => $"\"{g}\""));
        GeneratorRun run = GeneratorHarness.Run(Interface($"[RedisCommands(Groups = new[] {{ {groups} }})]", "IAll"), Spec());

        string all = Files(run, "SpecDriven.IAll");
        Assert.DoesNotMatch(new Regex(@"\.Item\d"), all);
        // Tuple parameters are named after the spec's arguments, tuple replies after the reply's element names.
        Assert.Contains("(double Score, global::Redis.RedisValue Member)[] scoreMembers", all);
        Assert.Contains("(byte[] Member, double Score)[] ZRangeWithScores(", all);
        Assert.Contains("(ulong Cursor, byte[][] Keys) Scan(", all);
        Assert.Contains("(global::Redis.RedisKey Key, global::Redis.RedisValue Id)[] streams", all);
    }

    [Theory]
    [InlineData("ZUNIONSTORE", "[WEIGHTS weight [weight ...]]")]
    [InlineData("SORT", "[GET pattern [GET pattern ...]]")]
    [InlineData("ZADD", "score member [score member ...]")]
    public void TheSyntaxInTheDocs_RepeatsATokenOnlyWhenTheSpecSaysMultipleToken(string command, string expected)
    {
        string name = "I" + Regex.Replace(command, "[^A-Za-z]", "");
        GeneratorRun run = GeneratorHarness.Run(Interface($"[RedisCommands(Commands = new[] {{ \"{command}\" }})]", name), Spec());

        string all = Files(run, $"SpecDriven.{name}");
        Assert.Contains(expected, all);
        Assert.DoesNotContain("[WEIGHTS weight [WEIGHTS", all);
    }

    [Fact]
    public void EveryGroup_OfTheRepositorySpec_CompilesWithZeroDiagnostics_AndReportsTheGeneratorTime()
    {
        string groups = string.Join(", ", AllGroups.Select(g => $"\"{g}\""));
        string source = Interface($"[RedisCommands(Groups = new[] {{ {groups} }})]", "IAll");
        AdditionalText spec = Spec();

        var stopwatch = Stopwatch.StartNew();
        GeneratorRun run = GeneratorHarness.Run(source, spec);
        TimeSpan first = stopwatch.Elapsed;
        TimeSpan driver = run.Driver.GetTimingInfo().ElapsedTime;

        Dump(run);
        GeneratorHarness.AssertCleanCompile(run);
        string generated = run.Source("SpecDriven.IAll.g.cs");
        foreach (string line in generated.Split('\n').Take(6).Where(l => l.StartsWith("// Spec", StringComparison.Ordinal) || l.StartsWith("// Commands", StringComparison.Ordinal)))
        {
            output.WriteLine(line);
        }
        // A second, fresh run (JIT warm).
        stopwatch.Restart();
        GeneratorRun again = GeneratorHarness.Run(source, spec);
        TimeSpan warm = again.Driver.GetTimingInfo().ElapsedTime;
        output.WriteLine($"generated {generated.Length / 1024} KB; generator time on the full spec: first run {driver.TotalMilliseconds:F0} ms (driver), warm {warm.TotalMilliseconds:F0} ms; whole first run incl. driver setup {first.TotalMilliseconds:F0} ms");
        Assert.Contains("Spec-driven members: 3", generated);
    }

    private void Dump(GeneratorRun run)
    {
        foreach (var d in run.Diagnostics.Concat(run.CompilerWarningsAndErrors).Take(40))
        {
            string line = d.Location.IsInSource ? d.Location.SourceTree!.GetText().Lines[d.Location.GetLineSpan().StartLinePosition.Line].ToString().Trim() : "";
            output.WriteLine(d.ToString() + "  >>> " + line);
        }
        if (Environment.GetEnvironmentVariable("DUMP_GENERATED") is { Length: > 0 } dir)
        {
            foreach (var s in run.Result.GeneratedSources) File.WriteAllText(Path.Combine(dir, s.HintName), s.SourceText.ToString());
        }
    }

    [Fact]
    public void AUserDeclaredMember_WinsOverTheSpecDrivenOne()
    {
        string source = Interface("[RedisCommands(Commands = new[] { \"GET\", \"SET\" })]", "IMixed", "    /// <summary>GET, user-declared.</summary>\n    string? Get(string key);");
        GeneratorRun run = GeneratorHarness.Run(source, Spec());

        GeneratorHarness.AssertCleanCompile(run);
        string generated = Files(run, "SpecDriven.IMixed");
        Assert.Contains("public string? Get(string key)", generated);
        Assert.DoesNotContain("byte[]? Get(global::Redis.RedisKey key);", generated);
        Assert.Contains("GetAsync(global::Redis.RedisKey key, global::System.Threading.CancellationToken cancellationToken = default);", generated);
        Assert.Contains("SetGet(", generated);
    }
}
