namespace Redis.Docs.Tests;

/// <summary>
/// Consecutive blocks under one heading, compiled as one method body in Markdown order (a reader assumes the
/// earlier blocks of a section ran before the later ones).
/// </summary>
/// <param name="File">The Markdown file, relative to the repository root.</param>
/// <param name="Heading">The heading the blocks sit under.</param>
/// <param name="Blocks">The blocks, in file order.</param>
/// <param name="Run">True when the first block is marked <c>&lt;!-- snippet: run --&gt;</c>: the program also runs against the test server.</param>
internal sealed record SnippetProgram(string File, string Heading, IReadOnlyList<CodeBlock> Blocks, bool Run)
{
    /// <summary>The README line of the first block, for test names and messages.</summary>
    public int FirstLine => Blocks[0].FirstLine;

    /// <summary>"README.md:31 (A short tour)".</summary>
    public override string ToString() => $"{File}:{FirstLine} ({Heading})";
}
