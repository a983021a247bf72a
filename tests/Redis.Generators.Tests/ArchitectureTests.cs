using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Redis.Generators.Tests;

/// <summary>
/// The generator's folders point one way: Common/Json/Diagnostics &lt;- Spec &lt;- Model &lt;- Planning &lt;- Emit
/// (the generator class at the root wires them). Checked on the compiler's own binding of every name in
/// src/Redis.Generators, so a comment or a string never counts and a fully qualified name always does.
/// </summary>
public class ArchitectureTests
{
    private static readonly string GeneratorDirectory = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(SpecDrivenTests.RepositorySpec)!, "src", "Redis.Generators"));

    /// <summary>Which folders each folder may use (besides itself).</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Common"] = [],
        ["Json"] = ["Common"],
        ["Diagnostics"] = ["Common"],
        ["Spec"] = ["Common", "Json", "Diagnostics"],
        ["Model"] = ["Common", "Diagnostics"],
        ["Planning"] = ["Common", "Diagnostics", "Spec", "Model"],
        ["Emit"] = ["Common", "Spec", "Model"],
        [""] = ["Common", "Json", "Diagnostics", "Spec", "Model", "Planning", "Emit"],
    };

    [Fact]
    public void EveryReferenceBetweenGeneratorFolders_PointsDownTheLayers()
    {
        var (compilation, trees) = CompileGeneratorSources();
        var violations = new SortedSet<string>(StringComparer.Ordinal);
        int crossFolder = 0;
        foreach (SyntaxTree tree in trees)
        {
            string from = FolderOf(tree.FilePath);
            Assert.True(Allowed.ContainsKey(from), $"folder '{from}' of {tree.FilePath} has no rule in ArchitectureTests.Allowed");
            SemanticModel model = compilation.GetSemanticModel(tree);
            foreach (SimpleNameSyntax name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            {
                ISymbol? symbol = model.GetSymbolInfo(name).Symbol;
                // Namespaces span folders; the types and members in them are what a file depends on.
                if (symbol is null or INamespaceSymbol) continue;
                foreach (Location location in (symbol.OriginalDefinition as ISymbol ?? symbol).Locations)
                {
                    if (!location.IsInSource || location.SourceTree is null) continue;
                    string to = FolderOf(location.SourceTree.FilePath);
                    if (to == from) continue;
                    crossFolder++;
                    if (!Allowed[from].Contains(to))
                    {
                        violations.Add($"{Relative(tree.FilePath)} ({from}) uses {symbol.ToDisplayString()} ({to})");
                    }
                }
            }
        }
        Assert.True(violations.Count == 0, "references against the layer order:\n" + string.Join("\n", violations));
        // The walk saw the layers at all (a broken file list would pass vacuously).
        Assert.True(crossFolder > 100, $"only {crossFolder} cross-folder references found");
    }

    [Fact]
    public void TheLayerRules_HaveNoCycle()
    {
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (string folder in Allowed.Keys) Assert.True(Acyclic(folder, visiting, done), $"the rules allow a cycle through {folder}");
    }

    [Fact]
    public void EveryHandWrittenGeneratorFile_IsUnder600Lines()
    {
        var tooLong = Directory.EnumerateFiles(GeneratorDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(IsSource)
            .Select(f => (File: Relative(f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > 600)
            .Select(f => $"{f.File}: {f.Lines}")
            .ToList();
        Assert.True(tooLong.Count == 0, "files over 600 lines: " + string.Join(", ", tooLong));
    }

    private static bool Acyclic(string folder, HashSet<string> visiting, HashSet<string> done)
    {
        if (done.Contains(folder)) return true;
        if (!visiting.Add(folder)) return false;
        foreach (string next in Allowed[folder])
        {
            if (!Acyclic(next, visiting, done)) return false;
        }
        visiting.Remove(folder);
        done.Add(folder);
        return true;
    }

    private static (CSharpCompilation Compilation, List<SyntaxTree> Trees) CompileGeneratorSources()
    {
        Assert.True(Directory.Exists(GeneratorDirectory), GeneratorDirectory);
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = Directory.EnumerateFiles(GeneratorDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(IsSource)
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), options, path: f))
            .ToList();
        Assert.True(trees.Count > 20, $"only {trees.Count} generator sources found under {GeneratorDirectory}");
        var references = Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(Compilation).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(CSharpCompilation).Assembly.Location));
        var compilation = CSharpCompilation.Create("GeneratorSources", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        // Unbound names would hide references: the sources must bind (warnings such as CS0436 are fine).
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(5).ToList();
        Assert.True(errors.Count == 0, "the generator sources do not compile on their own: " + string.Join("; ", errors));
        return (compilation, trees);
    }

    private static bool IsSource(string path)
    {
        string relative = Relative(path);
        return !relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            && !relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static string Relative(string path) => Path.GetRelativePath(GeneratorDirectory, path);

    // The first directory under src/Redis.Generators ("" for the root).
    private static string FolderOf(string path)
    {
        string relative = Relative(path);
        int slash = relative.IndexOf(Path.DirectorySeparatorChar);
        return slash < 0 ? "" : relative.Substring(0, slash);
    }
}
