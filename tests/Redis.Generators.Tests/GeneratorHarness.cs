using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Redis.Generators.Tests;

/// <summary>An additional file held in memory (what MSBuild passes as AdditionalFiles).</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary>Per-file <c>build_metadata.*</c> options, as MSBuild passes CompilerVisibleItemMetadata.</summary>
internal sealed class TestOptionsProvider(Dictionary<string, Dictionary<string, string>> perFile) : AnalyzerConfigOptionsProvider
{
    private static readonly Options Empty = new([]);

    public override AnalyzerConfigOptions GlobalOptions => Empty;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile)
        => perFile.TryGetValue(textFile.Path, out var values) ? new Options(values) : Empty;

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}

/// <summary>One generator run: the driver to run again, the output compilation and what the run produced.</summary>
internal sealed record GeneratorRun(GeneratorDriver Driver, Compilation Output, GeneratorRunResult Result, ImmutableArray<Diagnostic> FilteredDiagnostics)
{
    public ImmutableArray<Diagnostic> Diagnostics => Result.Diagnostics;

    public string Source(string hintName) => Result.GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    /// <summary>Compiler diagnostics of the output compilation at warning level or above.</summary>
    public IEnumerable<Diagnostic> CompilerWarningsAndErrors => Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning);
}

/// <summary>
/// Runs <see cref="RedisCommandsGenerator"/> with <see cref="CSharpGeneratorDriver"/> over an in-memory
/// compilation that references the .NET 10 reference assemblies and the real Redis.Runtime.
/// </summary>
internal static class GeneratorHarness
{
    public const string SpecPath = "/proj/commands.json";

    // Not "ParseOptions": that name collides with Microsoft.CodeAnalysis.ParseOptions.
    public static readonly CSharpParseOptions TestParseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    public static readonly string MiniSpec = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestSpecs", "mini.commands.json"));

    private static readonly ImmutableArray<MetadataReference> References =
        [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(RedisCommandsAttribute).Assembly.Location)];

    public static CSharpCompilation CreateCompilation(params string[] sources)
        => CSharpCompilation.Create(
            "TestAssembly",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, TestParseOptions, path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                warningLevel: 9999));

    public static AdditionalText Spec(string? text = null, string path = SpecPath) => new InMemoryAdditionalText(path, text ?? MiniSpec);

    public static GeneratorDriver CreateDriver(params AdditionalText[] texts) => CreateDriver(texts, null);

    public static GeneratorDriver CreateDriver(AdditionalText[] texts, AnalyzerConfigOptionsProvider? options)
        => CSharpGeneratorDriver.Create(
            generators: [new RedisCommandsGenerator().AsSourceGenerator()],
            additionalTexts: texts,
            parseOptions: TestParseOptions,
            optionsProvider: options,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator over <paramref name="source"/> with the mini spec (or the given additional files).</summary>
    public static GeneratorRun Run(string source, params AdditionalText[] texts)
        => Run(CreateCompilation(source), texts.Length == 0 ? [Spec()] : texts);

    public static GeneratorRun Run(Compilation compilation, AdditionalText[] texts)
        => Run(CreateDriver(texts), compilation);

    public static GeneratorRun Run(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> filtered);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        return new GeneratorRun(driver, output, result, filtered);
    }

    /// <summary>Asserts the run reported nothing and the output compiles with no warnings at all.</summary>
    public static void AssertCleanCompile(GeneratorRun run)
    {
        Assert.Empty(run.Diagnostics.Select(d => d.ToString()));
        Assert.Empty(run.CompilerWarningsAndErrors.Select(d => d.ToString()));
    }
}
