using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Redis.Tests.Architecture;

/// <summary>
/// The runtime's folders are its layers, and references point down only. These tests compile the
/// hand-written sources of src/Redis.Runtime with a semantic model, resolve every name to the type or
/// member it denotes, and compare the folder of the code that names it with the folder that declares it
/// against the one layer table below. An upward reference fails CI with the file, the referring type and
/// the referenced type.
/// </summary>
public class LayerTests
{
    /// <summary>
    /// The layers of src/Redis.Runtime, bottom to top: a folder's code may name types and members of its own
    /// folder and of the folders listed before it, never of a folder listed after it, so there is no cycle.
    /// A folder is the first directory under src/Redis.Runtime (Protocol/Typed/ belongs to Protocol). A
    /// partial type's part lives in its own folder's layer (Telemetry/Conn.Telemetry.cs is telemetry code
    /// extending Conn); calls between one type's parts do not count. README.md ("Layout") says the same.
    /// </summary>
    internal static readonly (string Folder, string Holds)[] Layers =
    [
        ("Errors", "the exception hierarchy"),
        ("Protocol", "the RESP codec, no sockets: RespWriter, RespDecoder, RespReader, IRedisArg, Args, RedisPush; Typed/: IRespCommand, IRespParser<T>, IRespArguments, RedisKey, RedisValue, RedisLease, the reply parsers"),
        ("Replies", "Reply helpers over decoded values, SlowLog, reply field names"),
        ("CommandTable", "the command table, key finder, COMMAND INFO reader"),
        ("Connection", "IConn, Conn, dialing, DialOptions, URLs, TLS; IRespExecutor and RespExecutor (typed execution over any IConn)"),
        ("Commands", "IRedisCommands (generated over IRespExecutor), its argument types, the [RedisCommands] attributes"),
        ("Logging", "the logging connection and redaction"),
        ("Telemetry", "RedisTelemetry names, spans and metrics; the telemetry parts of Conn, RedisClient and PipelineOperation"),
        ("PubSub", "PubSubConn and its messages"),
        ("Sentinel", "Sentinel discovery and the +switch-master watch"),
        ("Pooling", "Pool (which can dial through Sentinel)"),
        ("Transactions", "Transaction"),
        ("Caching", "the client-side cache and its invalidation listener"),
        ("Client", "RedisClient, the auto-pipelined shared client, and its cached executor"),
        ("Scripting", "Script (over IConn or IRedisClient)"),
        ("Cluster", "RedisCluster: a RedisClient per node"),
    ];

    [Fact]
    public void Runtime_layers_reference_only_lower_layers()
    {
        var rank = Layers.Select((layer, index) => (layer.Folder, index)).ToDictionary(x => x.Folder, x => x.index);
        IReadOnlyList<LayerReference> references = s_references.Value;
        // The scan resolved names (the connection reads replies through the codec); an empty scan cannot pass.
        Assert.Contains(references, r => r.FromFolder == "Connection" && r.ToFolder == "Protocol");
        string[] upward = [.. references
            .Where(r => rank.ContainsKey(r.FromFolder) && rank.ContainsKey(r.ToFolder) && rank[r.ToFolder] > rank[r.FromFolder])
            .Select(r => r.ToString())
            .Distinct()
            .Order(StringComparer.Ordinal)];
        Assert.True(upward.Length == 0, $"{upward.Length} upward reference(s) between runtime layers:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void Layer_table_names_every_runtime_folder()
    {
        string root = SourceDirectory(Runtime);
        string[] folders = [.. Sources(Runtime).Select(path => LayerOf(root, path)).Distinct().Order(StringComparer.Ordinal)];
        string[] declared = [.. Layers.Select(layer => layer.Folder)];
        Assert.Empty(folders.Except(declared));   // a new folder must be placed in the table
        Assert.Empty(declared.Except(folders));   // and a removed one leaves it
        Assert.Equal(declared.Length, declared.Distinct().Count());
    }

    private static readonly Lazy<IReadOnlyList<LayerReference>> s_references = new(() => References(Runtime));

    /// <summary>One name in <see cref="File"/> (layer <see cref="FromFolder"/>) that denotes a type or member declared in <see cref="ToFolder"/>.</summary>
    internal sealed record LayerReference(string FromFolder, string File, string FromType, string ToFolder, string ToType)
    {
        public override string ToString() => $"{File}: {FromType} -> {ToFolder}.{ToType}";
    }

    private const string Runtime = "Redis.Runtime";

    /// <summary>src/<paramref name="project"/> of this repository (the scan can read the generator's folders the same way).</summary>
    private static string SourceDirectory(string project)
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !Directory.Exists(Path.Combine(directory, "src", project))) directory = Path.GetDirectoryName(directory);
        return Path.Combine(directory ?? throw new InvalidOperationException($"src/{project} not found above the test directory"), "src", project);
    }

    private static IEnumerable<string> Sources(string project)
    {
        string root = SourceDirectory(project);
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(path => !Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin"));
    }

    /// <summary>The layer of a source file: the first folder under src/Redis.Runtime ("(root)" for a file directly in it).</summary>
    private static string LayerOf(string root, string path)
    {
        string[] parts = Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar);
        return parts.Length > 1 ? parts[0] : "(root)";
    }

    /// <summary>
    /// Every name in the hand-written code of src/<paramref name="project"/> that resolves to a type or member declared in another
    /// folder. The compilation lacks the generator's output (the generated half of IRedisCommands, regexes):
    /// names that resolve only into it are not seen, and the generated code itself is the Commands layer.
    /// References inside one type (a partial type's parts in different folders calling each other) do not count.
    /// </summary>
    internal static IReadOnlyList<LayerReference> References(string project)
    {
        string root = SourceDirectory(project);
        var parseOptions = new CSharpParseOptions(LanguageVersion.Preview);
        SyntaxTree[] trees = [.. Sources(project).Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), parseOptions, path))];
        // The runtime's own usings are implicit (ImplicitUsings); add them as one global-usings tree.
        SyntaxTree globalUsings = CSharpSyntaxTree.ParseText(
            "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; "
            + "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;", parseOptions, "GlobalUsings.g.cs");
        string runtimeAssembly = typeof(RedisClient).Assembly.Location;
        MetadataReference[] references = [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => path.Length > 0 && !string.Equals(Path.GetFullPath(path), Path.GetFullPath(runtimeAssembly), StringComparison.Ordinal))
            .Select(path => MetadataReference.CreateFromFile(path))];
        CSharpCompilation compilation = CSharpCompilation.Create(project, [.. trees, globalUsings], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: false));

        // Only names the runtime declares can resolve into it; skipping the rest (locals, BCL members) halves the time.
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (SyntaxTree tree in trees)
        {
            foreach (SyntaxNode node in tree.GetRoot().DescendantNodes())
            {
                SyntaxToken name = node switch
                {
                    BaseTypeDeclarationSyntax type => type.Identifier,
                    DelegateDeclarationSyntax type => type.Identifier,
                    MethodDeclarationSyntax method => method.Identifier,
                    PropertyDeclarationSyntax property => property.Identifier,
                    EventDeclarationSyntax e => e.Identifier,
                    VariableDeclaratorSyntax { Parent.Parent: BaseFieldDeclarationSyntax } field => field.Identifier,
                    EnumMemberDeclarationSyntax member => member.Identifier,
                    _ => default,
                };
                if (name.ValueText.Length > 0) declared.Add(name.ValueText);
            }
        }

        var found = new List<LayerReference>();
        foreach (SyntaxTree tree in trees)
        {
            SemanticModel model = compilation.GetSemanticModel(tree);
            string fromFolder = LayerOf(root, tree.FilePath);
            string file = Path.GetRelativePath(root, tree.FilePath).Replace(Path.DirectorySeparatorChar, '/');
            foreach (SyntaxNode node in tree.GetRoot().DescendantNodes())
            {
                if (node is not (SimpleNameSyntax or ImplicitObjectCreationExpressionSyntax)) continue;
                if (node is SimpleNameSyntax simple && !declared.Contains(simple.Identifier.ValueText)) continue;
                if (node.IsPartOfStructuredTrivia()) continue; // a cref in a doc comment is no dependency
                SymbolInfo info = model.GetSymbolInfo(node);
                ISymbol? symbol = info.Symbol ?? (info.CandidateSymbols.Length == 1 ? info.CandidateSymbols[0] : null);
                if (symbol is null) continue;
                symbol = Definition(symbol);
                INamedTypeSymbol? toType = OutermostType(symbol);
                if (toType is null || !SymbolEqualityComparer.Default.Equals(toType.ContainingAssembly, compilation.Assembly)) continue;
                // The outermost type whose declaration holds the name (its base list and attributes included).
                SyntaxNode? declaration = node.Ancestors().LastOrDefault(a => a is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax);
                INamedTypeSymbol? fromType = declaration is null ? null : model.GetDeclaredSymbol(declaration) as INamedTypeSymbol;
                if (fromType is not null && SymbolEqualityComparer.Default.Equals(fromType, toType)) continue;
                string? toFolder = FolderOf(root, symbol, toType);
                if (toFolder is null || toFolder == fromFolder) continue;
                found.Add(new LayerReference(fromFolder, file, fromType?.Name ?? "(file)", toFolder, toType.Name));
            }
        }
        return found;
    }

    private static ISymbol Definition(ISymbol symbol) => symbol switch
    {
        IMethodSymbol { ReducedFrom: { } extension } => extension.OriginalDefinition,
        IAliasSymbol alias => Definition(alias.Target),
        _ => symbol.OriginalDefinition,
    };

    private static INamedTypeSymbol? OutermostType(ISymbol? symbol)
    {
        INamedTypeSymbol? type = symbol as INamedTypeSymbol ?? symbol?.ContainingType;
        while (type?.ContainingType is not null) type = type.ContainingType;
        return type;
    }

    /// <summary>
    /// The folder that declares a symbol: a member's own declaration (a partial type's part in another folder
    /// belongs to that folder); a type's file named after it when it is partial, else its only declaration.
    /// </summary>
    private static string? FolderOf(string root, ISymbol symbol, INamedTypeSymbol type)
    {
        if (symbol is not INamedTypeSymbol && symbol.DeclaringSyntaxReferences.Length > 0)
            return LayerOf(root, symbol.DeclaringSyntaxReferences[0].SyntaxTree.FilePath);
        SyntaxReference[] parts = [.. type.DeclaringSyntaxReferences];
        if (parts.Length == 0) return null;
        SyntaxReference main = parts.FirstOrDefault(part => Path.GetFileNameWithoutExtension(part.SyntaxTree.FilePath) == type.Name) ?? parts[0];
        return LayerOf(root, main.SyntaxTree.FilePath);
    }
}
