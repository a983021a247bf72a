using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Redis.Generators.Tests;

/// <summary>One test per diagnostic id: id, severity and exact location (file, line, column, length).</summary>
public class DiagnosticTests
{
    private static string Interface(string members, string attribute = "[RedisCommands]", string declaration = "internal partial interface IDiag") => $$"""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Redis;

        namespace Diag;

        {{attribute}}
        {{declaration}}
        {
            {{members}}
        }
        """;

    private static Diagnostic Single(GeneratorRun run, string id)
    {
        Diagnostic[] matching = run.Diagnostics.Where(d => d.Id == id).ToArray();
        Assert.True(matching.Length == 1, $"expected one {id}, got: {string.Join("; ", run.Diagnostics)}");
        return matching[0];
    }

    /// <summary>Asserts the diagnostic covers exactly <paramref name="marker"/> (its n-th occurrence) in Source0.cs, at the given 1-based line and column.</summary>
    private static void AssertAt(Diagnostic diagnostic, string source, string marker, int line, int column, int occurrence = 0)
    {
        int index = -1;
        for (int i = 0; i <= occurrence; i++) index = source.IndexOf(marker, index + 1, StringComparison.Ordinal);
        Assert.True(index >= 0, $"marker '{marker}' not in the source");
        LinePositionSpan expected = SourceText.From(source).Lines.GetLinePositionSpan(new TextSpan(index, marker.Length));
        FileLinePositionSpan actual = diagnostic.Location.GetLineSpan();
        Assert.True(diagnostic.Location.IsInSource, "a C# diagnostic must carry a real SourceLocation");
        Assert.Equal("Source0.cs", actual.Path);
        Assert.Equal(expected, actual.Span);
        Assert.Equal((line, column), (actual.StartLinePosition.Line + 1, actual.StartLinePosition.Character + 1));
    }

    /// <summary>Method-level errors leave a throwing stub, so the compiler adds no errors of its own.</summary>
    private static void AssertNoCompilerErrors(GeneratorRun run)
        => Assert.Empty(run.CompilerWarningsAndErrors.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));

    [Fact]
    public void RDS0001_UnknownCommand_FromTheMethodName_IsOnTheMethodName()
    {
        string source = Interface("long Frobnicate(string key);");
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Single(run, "RDS0001");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        AssertAt(diagnostic, source, "Frobnicate", 11, 10);
        Assert.Contains("'FROBNICATE'", diagnostic.GetMessage());
        AssertNoCompilerErrors(run);
    }

    [Fact]
    public void RDS0001_UnknownCommand_FromTheAttribute_IsOnTheAttributeArgument()
    {
        string source = Interface("[RedisCommand(\"NOPE\")] long Count(string key);");
        Diagnostic diagnostic = Single(GeneratorHarness.Run(source), "RDS0001");
        AssertAt(diagnostic, source, "\"NOPE\"", 11, 19);
    }

    [Fact]
    public void RDS0001_AContainerIsNotCallable_AndTheMessageNamesASubcommand()
    {
        string source = Interface("string? Client();");
        Diagnostic diagnostic = Single(GeneratorHarness.Run(source), "RDS0001");
        AssertAt(diagnostic, source, "Client", 11, 13);
        Assert.Contains("CLIENT is a container", diagnostic.GetMessage());
        Assert.Contains("CLIENT GETNAME", diagnostic.GetMessage());
    }

    [Fact]
    public void RDS0002_AnExtraParameter_IsOnThatParameter()
    {
        string source = Interface("string? Get(string key, string extra);");
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Single(run, "RDS0002");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        AssertAt(diagnostic, source, "extra", 11, 36);
        AssertNoCompilerErrors(run);
    }

    [Fact]
    public void RDS0002_AMissingRequiredArgument_IsOnTheMethod()
    {
        string source = Interface("void Set(string key);");
        Diagnostic diagnostic = Single(GeneratorHarness.Run(source), "RDS0002");
        AssertAt(diagnostic, source, "Set", 11, 10);
        Assert.Contains("'value'", diagnostic.GetMessage());
    }

    [Fact]
    public void RDS0002_ArityOnlyCommand_ChecksTheArity()
    {
        string source = Interface("object? MyModuleEcho();");
        Diagnostic diagnostic = Single(GeneratorHarness.Run(source), "RDS0002");
        AssertAt(diagnostic, source, "MyModuleEcho", 11, 13);
        Assert.Contains("at least 1", diagnostic.GetMessage());
    }

    [Fact]
    public void RDS0003_ATypeTheArgumentDoesNotAccept_IsOnTheParameter()
    {
        string source = Interface("string? Get(double key);");
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Single(run, "RDS0003");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        AssertAt(diagnostic, source, "key", 11, 24);
        Assert.Contains("a key accepts", diagnostic.GetMessage());
        AssertNoCompilerErrors(run);
    }

    [Fact]
    public void RDS0003_ASpanInAnAsyncMethod_IsOnTheParameter()
    {
        string source = Interface("ValueTask<long> DelAsync(System.ReadOnlySpan<string> keys);");
        Diagnostic diagnostic = Single(GeneratorHarness.Run(source), "RDS0003");
        AssertAt(diagnostic, source, "keys", 11, 58);
        Assert.Contains("synchronous", diagnostic.GetMessage());
    }

    [Fact]
    public void RDS0004_UnsupportedReturnType_IsOnTheReturnType()
    {
        string source = Interface("System.Text.StringBuilder Get(string key);");
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Single(run, "RDS0004");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        AssertAt(diagnostic, source, "System.Text.StringBuilder", 11, 5);
        AssertNoCompilerErrors(run);
    }

    [Fact]
    public void RDS0004_AnAsyncNameWithASynchronousReturnType_IsOnTheReturnType()
    {
        string source = Interface("long IncrAsync(string key);");
        Diagnostic diagnostic = Single(GeneratorHarness.Run(source), "RDS0004");
        AssertAt(diagnostic, source, "long", 11, 5);
        Assert.Contains("Async", diagnostic.GetMessage());
    }

    [Fact]
    public void RDS0005_UnsupportedParameter_IsOnTheParameter()
    {
        string source = Interface("string? Get(ref string key);");
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Single(run, "RDS0005");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        AssertAt(diagnostic, source, "key", 11, 28);
        AssertNoCompilerErrors(run);
    }

    [Fact]
    public void RDS0005_AnObjectParameter_IsOnTheParameter()
    {
        string source = Interface("string? Get(object key);");
        Diagnostic diagnostic = Single(GeneratorHarness.Run(source), "RDS0005");
        AssertAt(diagnostic, source, "key", 11, 24);
    }

    [Fact]
    public void RDS0006_ANonPartialInterface_IsOnItsName()
    {
        string source = Interface("string? Get(string key);", declaration: "internal interface IDiag");
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Single(run, "RDS0006");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        AssertAt(diagnostic, source, "IDiag", 9, 20);
        Assert.Empty(run.Result.GeneratedSources);
    }

    [Fact]
    public void RDS0006_ANonPartialContainingType_IsOnTheInterfaceName()
    {
        string source = """
            using Redis;

            namespace Diag;

            internal class Outer
            {
                [RedisCommands]
                internal partial interface INested
                {
                    string? Get(string key);
                }
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Single(run, "RDS0006");
        AssertAt(diagnostic, source, "INested", 8, 32);
        Assert.Contains("'Outer'", diagnostic.GetMessage());
        Assert.Empty(run.Result.GeneratedSources);
    }

    [Fact]
    public void RDS0007_TheAttributeOnAClass_IsOnItsName()
    {
        string source = Interface("", declaration: "internal partial class Store");
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Single(run, "RDS0007");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        AssertAt(diagnostic, source, "Store", 9, 24);
        Assert.Empty(run.Result.GeneratedSources);
    }

    [Fact]
    public void RDS0008_AGenericInterface_IsOnItsName()
    {
        string source = Interface("string? Get(string key);", declaration: "internal partial interface IDiag<T>");
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Single(run, "RDS0008");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        AssertAt(diagnostic, source, "IDiag", 9, 28);
        Assert.Empty(run.Result.GeneratedSources);
    }

    [Fact]
    public void RDS0009_NoCommandsJson_IsAWarningOnTheAttribute()
    {
        string source = Interface("string? Get(string key);");
        GeneratorRun run = GeneratorHarness.Run(source, GeneratorHarness.Spec("{}", "/proj/other.json"));
        Diagnostic diagnostic = Single(run, "RDS0009");
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        AssertAt(diagnostic, source, "RedisCommands", 8, 2);
        Assert.Empty(run.Result.GeneratedSources);
    }

    [Fact]
    public void RDS0010_MalformedJson_IsInTheSpecFile_AtTheLineAndColumn()
    {
        string spec = "{\n  \"commands\": {\n    \"GET\": { \"arity\": 2 \"docs\": true }\n  }\n}\n";
        GeneratorRun run = GeneratorHarness.Run(Interface("string? Get(string key);"), GeneratorHarness.Spec(spec));
        Diagnostic diagnostic = Single(run, "RDS0010");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        FileLinePositionSpan span = diagnostic.Location.GetLineSpan();
        Assert.Equal(GeneratorHarness.SpecPath, span.Path);
        Assert.Equal(new LinePosition(2, 24), span.StartLinePosition); // line 3, column 25: the '"' of "docs"
        Assert.Contains("Expected ',' or '}'", diagnostic.GetMessage());
        Assert.Contains("line 3, column 25", diagnostic.GetMessage());
        Assert.Empty(run.Result.GeneratedSources);
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "RDS0001");
    }

    [Fact]
    public void RDS0010_AValueOfTheWrongKind_IsAtThatValue()
    {
        string spec = "{\n  \"commands\": {\n    \"GET\": { \"arity\": \"two\" }\n  }\n}\n";
        Diagnostic diagnostic = Single(GeneratorHarness.Run(Interface("string? Get(string key);"), GeneratorHarness.Spec(spec)), "RDS0010");
        Assert.Equal(new LinePosition(2, 22), diagnostic.Location.GetLineSpan().StartLinePosition);
        Assert.Contains("\"arity\" must be an integer", diagnostic.GetMessage());
    }

    [Fact]
    public void RDS0011_AUserCreateMethodClashingWithTheFactory_IsOnTheMethod()
    {
        string source = Interface("[RedisCommand(\"PING\")] IDiag Create(IConn conn);");
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Single(run, "RDS0011");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        AssertAt(diagnostic, source, "Create", 11, 34);
        Assert.DoesNotContain("Create(global::Redis.IConn conn) =>", run.Source("Diag.IDiag.g.cs"));
    }

    [Fact]
    public void RDS0011_TwoMethodsWithTheSameSignature_IsOnTheSecond()
    {
        string source = Interface("""
            (string Key, string Value)? BLPop(string key, double timeout);
                (string K, string V)? BLPop(string key, double timeout);
            """);
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Single(run, "RDS0011");
        AssertAt(diagnostic, source, "BLPop", 12, 27, occurrence: 1);
    }

    [Fact]
    public void RDS0012_CommandsNamingSomethingTheSpecLacks_IsOnThatName()
    {
        string source = Interface("", attribute: "[RedisCommands(Commands = new[] { \"GET\", \"NOPE\" }, Groups = new[] { \"string\", \"nogroup\" })]");
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic[] diagnostics = run.Diagnostics.Where(d => d.Id == "RDS0012").ToArray();
        Assert.Equal(2, diagnostics.Length);
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        AssertAt(diagnostics[0], source, "\"NOPE\"", 8, 42);
        AssertAt(diagnostics[1], source, "\"nogroup\"", 8, 79);
        Assert.Contains("Command 'NOPE'", diagnostics[0].GetMessage());
        Assert.Contains("Group 'nogroup'", diagnostics[1].GetMessage());
    }

    [Fact]
    public void RDS0013_ACancellationTokenOnASynchronousMethod_IsOnTheParameter()
    {
        string source = Interface("string? Get(string key, CancellationToken cancellationToken);");
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Single(run, "RDS0013");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        AssertAt(diagnostic, source, "cancellationToken", 11, 47);
        AssertNoCompilerErrors(run);
    }

    [Fact]
    public void RDS0014_AProperty_IsOnTheProperty()
    {
        string source = Interface("string Name { get; }");
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Single(run, "RDS0014");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        AssertAt(diagnostic, source, "Name", 11, 12);
        Assert.Empty(run.Result.GeneratedSources);
    }

    [Fact]
    public void RDS0015_ADeprecatedCommand_IsInfoOnTheMethod()
    {
        string source = Interface("string? GetSet(string key, string value);");
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Single(run, "RDS0015");
        Assert.Equal(DiagnosticSeverity.Info, diagnostic.Severity);
        AssertAt(diagnostic, source, "GetSet", 11, 13);
        Assert.Contains("deprecated since Redis 6.2.0; use SET with the !GET argument", diagnostic.GetMessage());
        Assert.Empty(run.CompilerWarningsAndErrors);
    }

    [Fact]
    public void RDS0017_TwoParametersForOneValuedChoice_IsAWarningOnTheSecond_NamingTheOneParameterType()
    {
        string source = Interface("bool Set(string key, string value, long? ex = null, long? px = null);");
        GeneratorRun run = GeneratorHarness.Run(source);
        Diagnostic diagnostic = Single(run, "RDS0017");
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        AssertAt(diagnostic, source, "px", 11, 63);
        Assert.Contains("ex, px", diagnostic.GetMessage());
        Assert.Contains("declare one 'Expiration' parameter instead", diagnostic.GetMessage());
        Assert.NotEmpty(run.Result.GeneratedSources);
    }

    [Fact]
    public void RDS0017_OneParameterForOneAlternative_IsNotReported()
    {
        GeneratorRun run = GeneratorHarness.Run(Interface("bool Set(string key, string value, long? ex = null);"));
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "RDS0017");
        AssertNoCompilerErrors(run);
    }

    [Fact]
    public void RDS0003_AnOptionTypeThatCanSendATokenTheChoiceLacks_IsRejected_AndTheRightTypeNamed()
    {
        // Expiration can send KEEPTTL, which GETEX does not take: the wrong type must not compile into a command.
        string source = Interface("string? GetEx(string key, Expiration expiration = default);");
        Diagnostic diagnostic = Single(GeneratorHarness.Run(source), "RDS0003");
        AssertAt(diagnostic, source, "expiration", 11, 42);
        Assert.Contains("Expiration can send KEEPTTL", diagnostic.GetMessage());
        Assert.Contains("use ExpirationUpdate", diagnostic.GetMessage());
    }

    [Fact]
    public void RDS0016_ACommandDefinedInTwoSpecFiles_IsInfoOnTheSecondDefinition()
    {
        string extra = "{\n  \"commands\": {\n    \"GET\": { \"arity\": 2, \"docs\": false }\n  }\n}\n";
        GeneratorRun run = GeneratorHarness.Run(Interface("string? Get(string key);"),
            GeneratorHarness.Spec(), GeneratorHarness.Spec(extra, "/proj/extra.commands.json"));
        Diagnostic diagnostic = Single(run, "RDS0016");
        Assert.Equal(DiagnosticSeverity.Info, diagnostic.Severity);
        Assert.Equal("/proj/extra.commands.json", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(new LinePosition(2, 11), diagnostic.Location.GetLineSpan().StartLinePosition);
        Assert.Contains("commands.json", diagnostic.GetMessage());
        Assert.Single(run.Result.GeneratedSources);
    }

    [Fact]
    public void Warnings_CanBeSuppressedWithPragma_BecauseLocationsAreRealSourceLocations()
    {
        string source = Interface("string? Get(string key);", attribute: "#pragma warning disable RDS0009\n[RedisCommands]\n#pragma warning restore RDS0009");
        GeneratorRun run = GeneratorHarness.Run(source, GeneratorHarness.Spec("{}", "/proj/unrelated.json"));
        Assert.Contains(run.Diagnostics, d => d.Id == "RDS0009");
        Assert.DoesNotContain(run.FilteredDiagnostics, d => d.Id == "RDS0009" && !d.IsSuppressed);
    }

    [Fact]
    public void RDS0018_AnArgumentShapeThePlannerCannotType_IsAWarningNamingTheCommandAndTheReason_AndTheMemberStaysUntyped()
    {
        // FROB's optional MODE choice has one alternative that is itself a choice of two valued options:
        // no proposal types a choice inside a choice, and the diagnostic says which arguments it could not propose.
        const string spec = """
            {"format_version": 1, "commands": {"FROB": {"name": "FROB", "wire": ["FROB"], "summary": "Test command", "group": "generic",
              "arity": -2, "flags": ["write"], "docs": true,
              "arguments": [
                {"name": "key", "type": "key"},
                {"name": "mode", "type": "oneof", "token": "MODE", "optional": true, "arguments": [
                  {"name": "inner", "type": "oneof", "arguments": [
                    {"name": "a", "type": "integer", "token": "A"},
                    {"name": "b", "type": "integer", "token": "B"}]}]}],
              "reply": {"cases": [{"type": "int"}]}}}}
            """;
        string source = Interface("", attribute: "[RedisCommands(Commands = new[] { \"FROB\" })]");
        GeneratorRun run = GeneratorHarness.Run(source, GeneratorHarness.Spec(spec));
        Diagnostic[] diagnostics = run.Diagnostics.Where(d => d.Id == "RDS0018").ToArray();
        Assert.Single(diagnostics);
        Diagnostic diagnostic = diagnostics[0];
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        AssertAt(diagnostic, source, "RedisCommands(Commands = new[] { \"FROB\" })", 8, 2);
        Assert.StartsWith("The spec-driven member 'FRoB' could not get typed parameters for FROB: ", diagnostic.GetMessage());
        Assert.Contains("no typed parameter can be proposed for the argument 'mode' ([MODE <<A a | B b>>])", diagnostic.GetMessage());
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "RDS0099");
        string generated = string.Concat(run.Result.GeneratedSources.Select(s => s.SourceText.ToString()));
        Assert.Contains("FRoB(params global::Redis.RedisValue[] args)", generated);
        AssertNoCompilerErrors(run);
    }

    [Fact]
    public void EveryDescriptor_HasAStableIdTheRedisCommandsCategoryAndATitle()
    {
        var descriptors = typeof(DiagnosticDescriptors).GetFields()
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToArray();
        Assert.Equal(19, descriptors.Length);
        Assert.All(descriptors, d => Assert.Matches("^RDS00[0-9][0-9]$", d.Id));
        Assert.All(descriptors, d => Assert.Equal("RedisCommands", d.Category));
        Assert.Equal(descriptors.Length, descriptors.Select(d => d.Id).Distinct().Count());
    }
}
