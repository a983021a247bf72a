namespace Redis.Docs.Tests;

/// <summary>
/// Finds the ```csharp blocks of Markdown files and groups them into programs.
/// </summary>
/// <remarks>
/// The convention, also stated in this project's README.md:
/// <list type="bullet">
/// <item>Every ```csharp (or ```cs, ```c#) block is compiled. Consecutive blocks under the same heading form one
/// program, in file order; a heading (any level) starts a new program.</item>
/// <item><c>&lt;!-- snippet: new --&gt;</c> on the line before a fence starts a new program under the same heading.</item>
/// <item><c>&lt;!-- snippet: run --&gt;</c> starts a new program that is also run against the test server
/// (<c>localhost:6379</c> in its text is replaced by the server's address).</item>
/// <item><c>&lt;!-- snippet: skip (reason) --&gt;</c> leaves the block out: only for code that is not meant to compile
/// as written (an excerpt of generated code); the reason is required.</item>
/// </list>
/// </remarks>
internal static class MarkdownSnippets
{
    private const string MarkerPrefix = "<!-- snippet:";

    private static readonly string[] CSharpFences = ["```csharp", "```cs", "```c#"];

    /// <summary>The Markdown files whose blocks are checked: README.md, docs/**/*.md and each project's README under src/.</summary>
    public static IEnumerable<string> DocumentationFiles(string root)
    {
        yield return Path.Combine(root, "README.md");
        string docs = Path.Combine(root, "docs");
        if (Directory.Exists(docs))
        {
            foreach (string file in Directory.EnumerateFiles(docs, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal)) yield return file;
        }
        string src = Path.Combine(root, "src");
        if (Directory.Exists(src))
        {
            foreach (string dir in Directory.EnumerateDirectories(src).Order(StringComparer.Ordinal))
            {
                string readme = Path.Combine(dir, "README.md");
                if (File.Exists(readme)) yield return readme;
            }
        }
    }

    /// <summary>Every program of every documentation file under <paramref name="root"/>.</summary>
    public static IReadOnlyList<SnippetProgram> ReadAll(string root)
        => [.. DocumentationFiles(root).SelectMany(f => Read(Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText(f)).Programs)];

    /// <summary>The blocks of one file, grouped into programs, and the number of blocks marked skip.</summary>
    /// <exception cref="FormatException">An unknown marker, or a fence that is never closed.</exception>
    public static (IReadOnlyList<SnippetProgram> Programs, int Skipped) Read(string file, string markdown)
    {
        string[] lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var programs = new List<SnippetProgram>();
        List<CodeBlock>? current = null;
        bool currentRuns = false;
        string heading = "(top)";
        int skipped = 0;

        void Close()
        {
            if (current is { Count: > 0 }) programs.Add(new SnippetProgram(file, current[0].Heading, current, currentRuns));
            current = null;
            currentRuns = false;
        }

        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            string trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                bool csharp = CSharpFences.Any(f => trimmed.TrimEnd().Equals(f, StringComparison.OrdinalIgnoreCase));
                int start = i;
                int end = i + 1;
                while (end < lines.Length && !lines[end].TrimStart().StartsWith("```", StringComparison.Ordinal)) end++;
                if (end == lines.Length) throw new FormatException($"{file}:{start + 1}: the fence is never closed");
                i = end;
                if (!csharp) continue;

                string? marker = MarkerAbove(lines, start, file);
                var block = new CodeBlock(file, heading, start + 2, string.Join('\n', lines[(start + 1)..end]), marker);
                switch (marker)
                {
                    case "skip":
                        skipped++;
                        continue;
                    case "run":
                        Close();
                        currentRuns = true;
                        break;
                    case "new":
                        Close();
                        break;
                }
                current ??= [];
                current.Add(block);
                continue;
            }
            if (trimmed.StartsWith('#'))
            {
                Close();
                heading = trimmed.TrimStart('#').Trim();
            }
        }
        Close();
        return (programs, skipped);
    }

    private static string? MarkerAbove(string[] lines, int fence, string file)
    {
        int i = fence - 1;
        while (i >= 0 && string.IsNullOrWhiteSpace(lines[i])) i--;
        if (i < 0) return null;
        string line = lines[i].Trim();
        if (!line.StartsWith(MarkerPrefix, StringComparison.Ordinal)) return null;
        string text = line[MarkerPrefix.Length..].TrimEnd('-', '>', ' ').Trim();
        int space = text.IndexOf(' ', StringComparison.Ordinal);
        string marker = space < 0 ? text : text[..space];
        string reason = space < 0 ? "" : text[(space + 1)..].Trim();
        if (marker == "skip" && reason.Length == 0)
        {
            throw new FormatException($"{file}:{i + 1}: a skipped block needs its reason: <!-- snippet: skip (why it cannot compile as written) -->");
        }
        return marker is "skip" or "run" or "new"
            ? marker
            : throw new FormatException($"{file}:{i + 1}: unknown snippet marker '{marker}' (known: skip, run, new)");
    }
}
