using Redis.Testing;

namespace Redis.Docs.Tests;

/// <summary>The convention that turns Markdown into programs, and the messages a broken snippet produces.</summary>
public sealed class MarkdownSnippetsTests
{
    private static readonly string Root = Repository.Root;

    private const string Sample = """
        # Title

        ```csharp
        int a = 1;
        ```

        Prose between blocks of one section.

        ```cs
        int b = a + 1;
        ```

        ```sh
        dotnet test
        ```

        ## Next section

        <!-- snippet: skip (an excerpt) -->
        ```csharp
        this is not C#
        ```

        <!-- snippet: run -->
        ```csharp
        int a = 2;
        ```

        <!-- snippet: new -->
        ```csharp
        int a = 3;
        ```
        """;

    [Fact]
    public void BlocksUnderOneHeadingFormOneProgramAndMarkersSplitSkipOrRun()
    {
        (IReadOnlyList<SnippetProgram> programs, int skipped) = MarkdownSnippets.Read("X.md", Sample);

        Assert.Equal(1, skipped);
        Assert.Collection(programs,
            p =>
            {
                Assert.Equal("Title", p.Heading);
                Assert.Equal([4, 10], p.Blocks.Select(b => b.FirstLine));
                Assert.False(p.Run);
            },
            p =>
            {
                Assert.Equal("Next section", p.Heading);
                Assert.Equal(26, Assert.Single(p.Blocks).FirstLine);
                Assert.True(p.Run);
            },
            p =>
            {
                Assert.Equal(31, Assert.Single(p.Blocks).FirstLine);
                Assert.False(p.Run);
            });
    }

    [Fact]
    public void AnUnknownMarkerIsAnError()
    {
        var e = Assert.Throws<FormatException>(() => MarkdownSnippets.Read("X.md", "<!-- snippet: skp -->\n```csharp\nint a;\n```\n"));
        Assert.Contains("X.md:1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASkipWithoutAReasonIsAnError()
    {
        var e = Assert.Throws<FormatException>(() => MarkdownSnippets.Read("X.md", "\n<!-- snippet: skip -->\n```csharp\nint a;\n```\n"));
        Assert.Contains("X.md:2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACompileErrorNamesTheMarkdownLineAndTheCompilerMessage()
    {
        const string markdown = "# T\n\n```csharp\nusing IConn conn = Conn.Dial(\"tcp\", \"localhost:6379\");\nconn.Do(\"GET\", undefinedKey);\n```\n";
        SnippetProgram program = Assert.Single(MarkdownSnippets.Read("X.md", markdown).Programs);

        SnippetCompiler.Result result = SnippetCompiler.Compile(Root, program);

        string error = Assert.Single(result.Errors);
        Assert.StartsWith("X.md:5: error CS0103:", error, StringComparison.Ordinal);
        Assert.Contains("undefinedKey", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AGeneratorDiagnosticInASnippetIsReportedOnItsLine()
    {
        const string markdown = "# T\n\n```csharp\n[RedisCommands]\npublic partial interface IBad\n{\n    void NoSuchCommand(string key);\n}\n```\n";
        SnippetProgram program = Assert.Single(MarkdownSnippets.Read("X.md", markdown).Programs);

        SnippetCompiler.Result result = SnippetCompiler.Compile(Root, program);

        Assert.Contains(result.Errors, e => e.StartsWith("X.md:7: error RDS0001:", StringComparison.Ordinal));
    }

    [Fact]
    public void AnAspNetCoreSnippetCompilesWithTheWebSdkUsingsAndGivens()
    {
        // What a DI section of the README looks like: the builder is given, the Web SDK's usings are in scope.
        const string markdown = "# T\n\n```csharp\nbuilder.Services.AddSingleton<IRedisClient>(_ => RedisClient.Connect(\"redis://localhost:6379\"));\nWebApplication app = builder.Build();\napp.MapGet(\"/hits\", async (IRedisClient redis) => (long)(await redis.DoAsync(\"INCR\", \"hits\"))!);\n```\n";
        SnippetProgram program = Assert.Single(MarkdownSnippets.Read("X.md", markdown).Programs);

        SnippetCompiler.Result result = SnippetCompiler.Compile(Root, program);

        Assert.True(result.Errors.Count == 0, string.Join('\n', result.Errors));
        Assert.Equal(["builder"], result.AmbientsUsed);
    }

    [Fact]
    public void GivenNamesAreDeclaredOnlyWhenTheProgramDoesNotDeclareThem()
    {
        const string markdown = "# T\n\n```csharp\nconn.Do(\"PING\");\nvar ct = CancellationToken.None;\n```\n";
        SnippetProgram program = Assert.Single(MarkdownSnippets.Read("X.md", markdown).Programs);

        SnippetCompiler.Result result = SnippetCompiler.Compile(Root, program);

        Assert.Empty(result.Errors);
        Assert.Equal(["conn"], result.AmbientsUsed);
    }

    [Fact]
    public async Task ARunFailsOnAWrongValueCommentNamingItsLine()
    {
        TestServer server = await TestServer.SharedAsync();
        const string markdown = "# T\n\n```csharp\nusing IConn conn = Conn.Dial(\"tcp\", \"localhost:6379\");\nconn.Do(\"SET\", \"docs:check\", \"pear\"); // \"OK\"\nstring? s = Reply.String(conn.Do(\"GET\", \"docs:check\")); // \"apple\"\n```\n";
        SnippetProgram program = Assert.Single(MarkdownSnippets.Read("X.md", markdown).Programs);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => SnippetRunner.RunAsync(Root, program, server));

        Assert.Equal("X.md:6: the comment says \"apple\", the code gives \"pear\"", e.Message);
    }

    [Fact]
    public async Task ARunPassesWhenEveryValueCommentHolds()
    {
        TestServer server = await TestServer.SharedAsync();
        const string markdown = "# T\n\n```csharp\nusing IConn conn = Conn.Dial(\"tcp\", \"localhost:6379\");\nconn.Do(\"SET\", \"docs:check2\", \"pear\"); // \"OK\"\nobject? all = conn.Do(\"GET\", \"docs:check2\"); // \"pear\"\n```\n";
        SnippetProgram program = Assert.Single(MarkdownSnippets.Read("X.md", markdown).Programs);

        Assert.Equal(2, await SnippetRunner.RunAsync(Root, program, server));
    }

    [Theory]
    [InlineData("\"apple\"", "\"apple\"")]
    [InlineData(" [\"OK\",  \"QUEUED\", [6]]", "[\"OK\", \"QUEUED\", [6]]")]
    [InlineData("1 (receivers)", "1")]
    [InlineData("nil", "nil")]
    [InlineData("{\"a\": 1}", "{\"a\": 1}")]
    [InlineData("SET greeting hello EX 60", null)]
    [InlineData("or: conn.Send(\"EXEC\")", null)]
    [InlineData("100ms later", null)]
    public void AValueCommentIsRecognisedOnlyWhenItStartsWithAValue(string comment, string? expected)
        => Assert.Equal(expected, ValueNotation.LeadingValue(comment));

    [Fact]
    public void RepliesAreWrittenInTheCommentNotation()
    {
        object?[] exec = ["OK", "QUEUED", new object?[] { 6L }];
        Assert.Equal("[\"OK\", \"QUEUED\", [6]]", ValueNotation.Format(exec));
        Assert.Equal("\"apple\"", ValueNotation.Format("apple"u8.ToArray()));
        Assert.Equal("nil", ValueNotation.Format(null));
    }
}
