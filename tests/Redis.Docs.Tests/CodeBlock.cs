namespace Redis.Docs.Tests;

/// <summary>One ```csharp fenced block of a Markdown file.</summary>
/// <param name="File">The file, relative to the repository root, with forward slashes.</param>
/// <param name="Heading">The nearest heading above the block.</param>
/// <param name="FirstLine">The 1-based line of the block's first code line in <paramref name="File"/>.</param>
/// <param name="Code">The code between the fences.</param>
/// <param name="Marker">The <c>&lt;!-- snippet: X --&gt;</c> marker right above the fence (<c>skip</c>, <c>run</c>, <c>new</c>), if any.</param>
internal sealed record CodeBlock(string File, string Heading, int FirstLine, string Code, string? Marker);
