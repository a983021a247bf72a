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
        Baseline.Verify($"SpecDriven.{name}.g.cs.txt", run.Source($"SpecDriven.{name}.g.cs"));
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
        string generated = run.Source("SpecDriven.IMixed.g.cs");
        Assert.Contains("public string? Get(string key)", generated);
        Assert.DoesNotContain("byte[]? Get(global::Redis.RedisKey key);", generated);
        Assert.Contains("GetAsync(global::Redis.RedisKey key, global::System.Threading.CancellationToken cancellationToken = default);", generated);
        Assert.Contains("SetGet(", generated);
    }
}
