namespace Redis.Generators.Tests;

/// <summary>
/// The command table data the generator emits for the class marked <c>[GeneratedCommandTable]</c> (the
/// runtime's CommandTable), from a small excerpt of the spec: compared with a checked-in baseline and
/// compiled against the real Redis.Runtime.
/// </summary>
public class CommandTableEmitterTests
{
    private static readonly string TableSpec = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestSpecs", "table.commands.json"));

    // The runtime's attribute is internal, so the test declares its own under the same full name (the
    // generator matches by metadata name). The class reads every column, so an unused or ill-typed column
    // is a compiler diagnostic.
    private const string Source = """
        namespace Redis
        {
            [System.AttributeUsage(System.AttributeTargets.Class)]
            internal sealed class GeneratedCommandTableAttribute : System.Attribute
            {
            }
        }

        namespace Tables
        {
            [Redis.GeneratedCommandTable]
            internal static partial class MiniTable
            {
                public static int Touch()
                    => GeneratedCount + s_names.Length + Arities.Length + FlagValues.Length + RequestPolicies.Length
                        + ResponsePolicies.Length + Kinds.Length + KeySpecStarts.Length + s_keySpecs.Length;
            }
        }
        """;

    [Fact]
    public void TheTableData_MatchesTheBaseline_AndCompilesCleanly()
    {
        GeneratorRun run = GeneratorHarness.Run(Source, GeneratorHarness.Spec(TableSpec));

        GeneratorHarness.AssertCleanCompile(run);
        Baseline.Verify("Tables.MiniTable.g.cs.txt", run.Source("MiniTable.g.cs"));
    }

    [Fact]
    public void TheTableData_IsSortedByName_WithSubcommandsAsContainerAndSubcommand()
    {
        string source = GeneratorHarness.Run(Source, GeneratorHarness.Spec(TableSpec)).Source("MiniTable.g.cs");

        string[] names = ["\"BLPOP\"", "\"CLIENT\"", "\"CLIENT KILL\"", "\"CLIENT REPLY\"", "\"DBSIZE\"", "\"EVAL\"", "\"GET\"", "\"MIGRATE\"", "\"XREAD\""];
        int[] positions = [.. names.Select(name => source.IndexOf(name, StringComparison.Ordinal))];
        Assert.All(positions, position => Assert.True(position >= 0));
        Assert.Equal(positions.Order(), positions);
        Assert.Contains("private const int GeneratedCount = 9;", source);
    }

    [Fact]
    public void WithoutAMarkedClass_NoTableIsEmitted()
    {
        GeneratorRun run = GeneratorHarness.Run("namespace Empty { internal static class Nothing { } }", GeneratorHarness.Spec(TableSpec));

        Assert.DoesNotContain(run.Result.GeneratedSources, source => source.HintName.EndsWith("Table.g.cs", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Result.GeneratedSources, source => source.SourceText.ToString().Contains("GeneratedCount", StringComparison.Ordinal));
    }
}
