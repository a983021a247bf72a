using System.Reflection;
using Redis.Testing;
using Xunit.Abstractions;

namespace Redis.Docs.Tests;

/// <summary>
/// The documentation's C# is real: every ```csharp block of README.md, docs/ and src/*/README.md compiles
/// against the runtime and the generator, and the programs marked <c>&lt;!-- snippet: run --&gt;</c> (the
/// README's tour) run against a test server with every value their comments state checked.
/// </summary>
public sealed class ReadmeSnippetTests(ITestOutputHelper output)
{
    private static readonly string Root = Repository.Root;

    /// <summary>One row per program, named by its file, line and heading.</summary>
    public static TheoryData<string> Programs()
    {
        var data = new TheoryData<string>();
        foreach (SnippetProgram program in MarkdownSnippets.ReadAll(Root)) data.Add(program.ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void DocumentedProgramCompilesWithoutWarnings(string name)
    {
        SnippetProgram program = Find(name);
        SnippetCompiler.Result result = SnippetCompiler.Compile(Root, program);
        output.WriteLine($"{program}: {program.Blocks.Count} block(s), lines {string.Join(", ", program.Blocks.Select(b => b.FirstLine))}; givens: {string.Join(", ", result.AmbientsUsed)}");
        Assert.True(result.Errors.Count == 0, $"{program} does not compile as documented:\n{string.Join('\n', result.Errors)}");
    }

    [Fact]
    public void TheReadmeTourIsMarkedToRun()
    {
        // Guards the marker itself: without it the tour would only be compiled.
        SnippetProgram tour = Assert.Single(MarkdownSnippets.ReadAll(Root), p => p.File == "README.md" && p.Heading == "A short tour");
        Assert.True(tour.Run, "the README's tour must be marked <!-- snippet: run -->");
        Assert.Contains(tour.Blocks, b => b.Code.Contains("Conn.Dial", StringComparison.Ordinal));
        Assert.Contains(tour.Blocks, b => b.Code.Contains("RedisClient.ConnectAsync", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadmeTourRunsAgainstTheTestServerAndPrintsWhatItsCommentsSay()
    {
        TestServer server = await TestServer.SharedAsync();
        // Any server the test server helper picks: the tour passes on redis-server 7.0 and on embedded Garnet 2.2.

        SnippetProgram[] runs = [.. MarkdownSnippets.ReadAll(Root).Where(p => p.Run)];
        Assert.NotEmpty(runs);
        foreach (SnippetProgram program in runs)
        {
            int checks = await SnippetRunner.RunAsync(Root, program, server);
            output.WriteLine($"{program}: ran against {server.Description}; {checks} value comment(s) checked");
            Assert.True(checks > 0, $"{program} states no value in a comment, so its run proves only that it does not throw");
        }
    }

    private static SnippetProgram Find(string name) => MarkdownSnippets.ReadAll(Root).Single(p => p.ToString() == name);
}
