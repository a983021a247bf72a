using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;
using Redis.Generators;

namespace Redis.Docs.Tests;

/// <summary>
/// Turns a <see cref="SnippetProgram"/> into a C# file (statements in one async method, type declarations beside
/// it, <c>#line</c> directives pointing every statement back at its Markdown line), compiles it with the
/// <c>[RedisCommands]</c> generator and the repository's <c>commands.json</c>, and loads it to run.
/// </summary>
internal static class SnippetCompiler
{
    /// <summary>
    /// The namespaces a user of the package has: the implicit usings of an ASP.NET Core project (Microsoft.NET.Sdk.Web,
    /// a superset of a console app's), plus Redis.
    /// </summary>
    private const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Net.Http.Json;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Microsoft.AspNetCore.Builder;
        global using Microsoft.AspNetCore.Hosting;
        global using Microsoft.AspNetCore.Http;
        global using Microsoft.AspNetCore.Routing;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        global using Redis;
        """;

    /// <summary>
    /// Names the text uses as given ("your connection", "your logger") without declaring them; each is
    /// declared only when a program uses it undeclared (CS0103), with this type.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Ambients = new Dictionary<string, string>
    {
        ["cancellationToken"] = "global::System.Threading.CancellationToken",
        ["ct"] = "global::System.Threading.CancellationToken",
        ["stoppingToken"] = "global::System.Threading.CancellationToken",
        ["logger"] = "global::Microsoft.Extensions.Logging.ILogger",
        ["conn"] = "global::Redis.IConnWithTimeout",
        ["pool"] = "global::Redis.Pool",
        ["pubSub"] = "global::Redis.PubSubConn",
        ["args"] = "string[]",
        ["services"] = "global::Microsoft.Extensions.DependencyInjection.IServiceCollection",
        ["configuration"] = "global::Microsoft.Extensions.Configuration.IConfiguration",
        ["builder"] = "global::Microsoft.AspNetCore.Builder.WebApplicationBuilder",
    };

    public const string ClassName = "SnippetProgram";

    // Errors of placement only, which the wrapper undoes: a type declared before statements, a field (static readonly) at top level.
    private static readonly HashSet<string> PlacementErrors = ["CS8803", "CS0116", "CS0106"];
    private static readonly CSharpParseOptions RegularOptions = new(LanguageVersion.Latest, DocumentationMode.None);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>The outcome of compiling one program.</summary>
    public sealed record Result(SnippetProgram Program, Compilation Compilation, IReadOnlyList<string> Errors, string Source, IReadOnlyList<string> AmbientsUsed);

    /// <summary>
    /// Compiles <paramref name="program"/>. With <paramref name="instrument"/>, each statement whose trailing comment
    /// starts with a value (<see cref="ValueNotation"/>) is followed by a check of that value.
    /// <paramref name="rewrite"/> edits each block's text first (e.g. the server address).
    /// </summary>
    public static Result Compile(string root, SnippetProgram program, bool instrument = false, Func<string, string>? rewrite = null)
    {
        var ambients = new List<string>();
        while (true)
        {
            (string source, List<string> errors) = BuildSource(program, ambients, instrument, rewrite);
            Compilation compilation = CompileSource(root, source, errors);
            // A given name the program uses undeclared: declare it and compile again.
            string[] missing = [.. compilation.GetDiagnostics()
                .Where(d => d.Id == "CS0103")
                .Select(d => d.Location.SourceTree!.GetRoot().FindNode(d.Location.SourceSpan).ToString())
                .Where(name => Ambients.ContainsKey(name) && !ambients.Contains(name))
                .Distinct()];
            if (missing.Length > 0)
            {
                ambients.AddRange(missing);
                continue;
            }
            errors.AddRange(compilation.GetDiagnostics().Where(IsFailure).Select(d => Describe(root, d)));
            return new Result(program, compilation, errors, source, ambients);
        }
    }

    /// <summary>Emits the compiled program with its PDB (so stack traces name Markdown lines) into a collectible context.</summary>
    public static Assembly Load(Result result, System.Runtime.Loader.AssemblyLoadContext context)
    {
        using var pe = new MemoryStream();
        using var pdb = new MemoryStream();
        EmitResult emit = result.Compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        if (!emit.Success) throw new InvalidOperationException(string.Join('\n', emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        pe.Position = 0;
        pdb.Position = 0;
        return context.LoadFromStream(pe, pdb);
    }

    private static bool IsFailure(Diagnostic d)
        => d.Severity == DiagnosticSeverity.Error || (d.Severity == DiagnosticSeverity.Warning && !d.IsSuppressed);

    /// <summary>"README.md:47: error CS0103: The name 'x' does not exist ... | the line's code".</summary>
    private static string Describe(string root, Diagnostic d)
    {
        FileLinePositionSpan span = d.Location.GetMappedLineSpan();
        string where = span.IsValid && span.HasMappedPath ? $"{span.Path}:{span.StartLinePosition.Line + 1}" : "(wrapper)";
        string code = "";
        if (span.IsValid && span.HasMappedPath && File.Exists(Path.Combine(root, span.Path)))
        {
            string[] lines = File.ReadAllLines(Path.Combine(root, span.Path));
            int line = span.StartLinePosition.Line;
            if (line < lines.Length) code = $"  | {lines[line].Trim()}";
        }
        return $"{where}: {d.Severity.ToString().ToLowerInvariant()} {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}{code}";
    }

    private static Compilation CompileSource(string root, string source, List<string> errors)
    {
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Snippets_" + Guid.NewGuid().ToString("N"),
            [
                CSharpSyntaxTree.ParseText(GlobalUsings, RegularOptions, path: "GlobalUsings.cs", encoding: Encoding.UTF8),
                CSharpSyntaxTree.ParseText(source, RegularOptions, path: "Snippets.cs", encoding: Encoding.UTF8),
            ],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, optimizationLevel: OptimizationLevel.Debug)
                // As the .NET SDK does for every project (NoWarn 1701;1702): libraries built against an older
                // System.Runtime (xunit's) unify with the current one.
                .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress }));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            generators: [new RedisCommandsGenerator().AsSourceGenerator()],
            additionalTexts: [new FileText(Path.Combine(root, "commands.json"))],
            parseOptions: RegularOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        errors.AddRange(generatorDiagnostics.Where(IsFailure).Select(d => Describe(root, d)));
        return output;
    }

    private static (string Source, List<string> Errors) BuildSource(SnippetProgram program, IReadOnlyList<string> ambients, bool instrument, Func<string, string>? rewrite)
    {
        var errors = new List<string>();
        var usings = new StringBuilder();
        var fields = new StringBuilder();
        var body = new StringBuilder();
        var types = new StringBuilder();
        string file = program.File;

        foreach (CodeBlock block in program.Blocks)
        {
            string code = rewrite is null ? block.Code : rewrite(block.Code);
            SyntaxTree tree = CSharpSyntaxTree.ParseText(code, RegularOptions);
            foreach (Diagnostic d in tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && !PlacementErrors.Contains(d.Id)))
            {
                errors.Add($"{file}:{block.FirstLine + d.Location.GetLineSpan().StartLinePosition.Line}: error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
            }
            var unit = (CompilationUnitSyntax)tree.GetRoot();
            int LineOf(SyntaxNode node) => block.FirstLine + node.GetLocation().GetLineSpan().StartLinePosition.Line;

            foreach (UsingDirectiveSyntax u in unit.Usings) usings.Append(Line(file, LineOf(u))).AppendLine(u.ToString());
            foreach (MemberDeclarationSyntax member in unit.Members)
            {
                switch (member)
                {
                    case GlobalStatementSyntax { Statement: not LocalFunctionStatementSyntax } field when field.GetFirstToken().IsKind(SyntaxKind.StaticKeyword):
                        // `static readonly Script GetSet = ...;` is what a user writes as a field of their class.
                        fields.Append(Line(file, LineOf(member))).AppendLine(field.Statement.ToString());
                        break;
                    case GlobalStatementSyntax statement:
                        body.Append(Line(file, LineOf(statement)));
                        body.AppendLine(instrument ? Instrument(statement.Statement, file, block, errors) : statement.Statement.ToString());
                        break;
                    case FieldDeclarationSyntax field:
                        fields.Append(Line(file, LineOf(field))).AppendLine(field.ToString());
                        break;
                    case MethodDeclarationSyntax method:
                        // A top-level method of a snippet is what a user writes as a local function.
                        body.Append(Line(file, LineOf(method))).AppendLine(method.ToString());
                        break;
                    default:
                        types.Append(Line(file, LineOf(member))).AppendLine(member.ToString());
                        break;
                }
            }
        }

        var source = new StringBuilder();
        source.AppendLine("#nullable enable");
        source.Append(usings);
        source.AppendLine("#line hidden");
        source.AppendLine($"public static class {ClassName}");
        source.AppendLine("{");
        source.Append(fields);
        source.AppendLine("#line hidden");
        source.AppendLine("    public static async global::System.Threading.Tasks.Task RunAsync(global::System.Collections.Generic.IReadOnlyDictionary<string, object?> givens)");
        source.AppendLine("    {");
        foreach (string name in ambients) source.AppendLine($"        {Ambients[name]} {name} = ({Ambients[name]})givens[\"{name}\"]!;");
        source.AppendLine("        await global::System.Threading.Tasks.Task.CompletedTask;");
        source.Append(body);
        source.AppendLine("#line hidden");
        source.AppendLine("    }");
        source.AppendLine("}");
        source.Append(types);
        return (source.ToString(), errors);
    }

    private static string Line(string file, int line) => $"#line {line} \"{file}\"\n";

    // A statement whose trailing comment starts with a value is followed by a check of that value:
    // `string? s = ...; // "apple"` checks s, `conn.Do(...); // "OK"` checks the call's result.
    private static string Instrument(StatementSyntax statement, string file, CodeBlock block, List<string> errors)
    {
        SyntaxTrivia comment = statement.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia));
        string? expected = comment == default ? null : ValueNotation.LeadingValue(comment.ToString()[2..]);
        if (expected is null) return statement.ToString();
        int line = block.FirstLine + comment.GetLocation().GetLineSpan().StartLinePosition.Line;
        string check(string value) => $"global::Redis.Docs.Tests.SnippetChecks.Check(\"{file}\", {line}, {SymbolDisplay.FormatLiteral(expected, true)}, (object?)({value}));";
        switch (statement)
        {
            case LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0, Declaration.Variables.Count: 1 } local:
                return $"{statement} {check(local.Declaration.Variables[0].Identifier.Text)}";
            case ExpressionStatementSyntax expression:
                return check(expression.Expression.ToString());
            default:
                errors.Add($"{file}:{line}: the comment states a value ({expected}) on a statement the test cannot check: a declaration of one variable or an expression statement can be checked");
                return statement.ToString();
        }
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The framework's reference assemblies; the ASP.NET Core shared framework (its implementation assemblies,
        // which compile as well); then every other managed assembly in this project's output: the Redis packages
        // and their dependencies, and whatever else a project reference adds, so a README section about a new
        // package compiles once this project references it. One assembly per name, first found wins, so no
        // type is defined twice.
        var framework = new HashSet<string>(Net100.References.All.Select(r => Path.GetFileNameWithoutExtension(r.FilePath ?? r.Display ?? "")), StringComparer.OrdinalIgnoreCase);
        var references = new List<MetadataReference>(Net100.References.All);
        string aspNet = Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Builder.WebApplication).Assembly.Location)!;
        IEnumerable<string> candidates = Directory.EnumerateFiles(aspNet, "*.dll").Order(StringComparer.Ordinal)
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll").Order(StringComparer.Ordinal));
        foreach (string dll in candidates)
        {
            string name = Path.GetFileNameWithoutExtension(dll);
            if (!framework.Add(name)) continue;
            try
            {
                AssemblyName.GetAssemblyName(dll);
            }
            catch (BadImageFormatException)
            {
                continue;   // a native library
            }
            references.Add(MetadataReference.CreateFromFile(dll));
        }
        return [.. references];
    }

    private sealed class FileText(string path) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(File.ReadAllText(path), Encoding.UTF8);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }
}
