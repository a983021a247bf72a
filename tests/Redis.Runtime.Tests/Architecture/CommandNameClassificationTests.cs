using System.Text.RegularExpressions;

namespace Redis.Tests.Architecture;

/// <summary>
/// The command table (src/Redis.Runtime/CommandTable/) is the one place that knows what a command is. These tests scan the
/// runtime's sources: the old per-feature classifiers are gone, and no file but the table's overlay
/// compares a command's name with a literal command name.
/// </summary>
public partial class CommandNameClassificationTests
{
    private const string Overlay = "CommandTable.Overlay.cs";

    private static string RuntimeSourceDirectory()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !Directory.Exists(Path.Combine(directory, "src", "Redis.Runtime"))) directory = Path.GetDirectoryName(directory);
        return Path.Combine(directory ?? throw new InvalidOperationException("src/Redis.Runtime not found above the test directory"), "src", "Redis.Runtime");
    }

    private static IEnumerable<string> RuntimeSources()
    {
        string root = RuntimeSourceDirectory();
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(path => !Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin"));
    }

    // A comparison whose subject is a command's name (a variable called name or command) and whose other
    // side is a literal word: Ascii.EqualsIgnoreCase(name, "EXEC"u8), string.Equals(command, "AUTH", ...),
    // Is(command, "ACL"), name == "GET". Only literals that are commands of the table count.
    [GeneratedRegex(@"(?:EqualsIgnoreCase|Equals|\bIs|IsWord)\(\s*(?:name|command)\s*,\s*""(?<word>[A-Za-z][A-Za-z0-9.\-]*)""|(?:EqualsIgnoreCase|Equals)\(\s*""(?<word>[A-Za-z][A-Za-z0-9.\-]*)""(?:u8)?\s*,\s*(?:name|command)\b|\b(?:name|command)\s*[!=]=\s*""(?<word>[A-Za-z][A-Za-z0-9.\-]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex NameComparison();

    /// <summary>The command names a line compares a command's name with (comments ignored).</summary>
    internal static IEnumerable<string> ComparedCommandNames(string line)
    {
        int comment = line.IndexOf("//", StringComparison.Ordinal);
        string code = comment >= 0 ? line[..comment] : line;
        foreach (Match match in NameComparison().Matches(code))
        {
            string word = match.Groups["word"].Value;
            if (Redis.CommandTable.Find(word).IsKnown) yield return word.ToUpperInvariant();
        }
    }

    [Fact]
    public void TheOldClassifiers_AreGone()
    {
        Assert.Null(typeof(RedisClient).Assembly.GetType("Redis.CommandState"));
        foreach (string path in RuntimeSources())
        {
            string text = File.ReadAllText(path);
            Assert.False(text.Contains("class CommandState", StringComparison.Ordinal), path);
            Assert.False(text.Contains("ClassifyName(", StringComparison.Ordinal), path);
        }
        // CommandRouting keeps only the decision from a table entry: no RESP parsing of its own.
        string routing = File.ReadAllText(Path.Combine(RuntimeSourceDirectory(), "Client", "CommandRouting.cs"));
        Assert.DoesNotContain("TryReadHeader", routing);
        Assert.DoesNotContain("TryReadBulk", routing);
    }

    [Fact]
    public void NoFileButTheOverlay_ComparesACommandNameWithALiteralName()
    {
        string[] sources = [.. RuntimeSources()];
        Assert.Contains(sources, path => Path.GetFileName(path) == Overlay); // the scan found the runtime's tree
        var offenders = new List<string>();
        foreach (string path in sources)
        {
            if (Path.GetFileName(path) == Overlay) continue;
            string[] lines = File.ReadAllLines(path);
            for (int i = 0; i < lines.Length; i++)
            {
                foreach (string name in ComparedCommandNames(lines[i])) offenders.Add($"{Path.GetFileName(path)}:{i + 1} compares with {name}");
            }
        }
        Assert.Empty(offenders);
    }

    [Theory]
    [InlineData("""        4 when Ascii.EqualsIgnoreCase(name, "EXEC"u8) => (ConnState.None, ConnState.Watch | ConnState.Multi),""", "EXEC")]
    [InlineData("""                if (Ascii.EqualsIgnoreCase(name, "BLPOP"u8) || Ascii.EqualsIgnoreCase(name, "BRPOP"u8)) return CommandRoute.Blocking;""", "BLPOP,BRPOP")]
    [InlineData("""        if (Is(command, "HELLO") || Is(command, "MIGRATE")) return true;""", "HELLO,MIGRATE")]
    [InlineData("""        if (string.Equals(command, "auth", StringComparison.OrdinalIgnoreCase)) return;""", "AUTH")]
    [InlineData("""        if (name == "MULTI") return;""", "MULTI")]
    public void TheScan_CatchesTheShapesTheOldClassifiersUsed(string line, string expected)
        => Assert.Equal(expected, string.Join(",", ComparedCommandNames(line)));

    [Theory]
    [InlineData("""        conn.Send("DISCARD");""")]
    [InlineData("""                    if (ArgumentWords.Is(args[i], "KEYS")) break;""")]
    [InlineData("""        => ByEntry(info) ?? (ArgumentWords.Contains(args, "BLOCK"u8) ? CommandRoute.Blocking : CommandRoute.Shared);""")]
    [InlineData("""        // e.g. Ascii.EqualsIgnoreCase(name, "EXEC"u8) in a comment""")]
    [InlineData("""        if (Ascii.EqualsIgnoreCase(name, "NOT-A-COMMAND"u8)) return;""")]
    public void TheScan_IgnoresSendsArgumentWordsCommentsAndNonCommands(string line)
        => Assert.Empty(ComparedCommandNames(line));
}
