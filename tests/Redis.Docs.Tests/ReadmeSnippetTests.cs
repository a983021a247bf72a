using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Runtime.Loader;
using Microsoft.Extensions.Logging.Abstractions;
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
        SnippetProgram tour = Assert.Single(MarkdownSnippets.ReadAll(Root), p => p.File == "README.md" && p.Run);
        Assert.Equal("A short tour", tour.Heading);
        Assert.Contains(tour.Blocks, b => b.Code.Contains("RedisClient.ConnectAsync", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task ReadmeTourRunsAgainstTheTestServerAndPrintsWhatItsCommentsSay()
    {
        TestServer server = await TestServer.SharedAsync();
        // The tour uses BLPOP, pub/sub, scripts and MULTI/EXEC, which embedded Garnet does not all support as Redis does.
        Skip.If(!server.IsRealRedis && !TestServer.IsCi, $"the tour needs a real redis-server; the test server is {server.Description}");
        Assert.True(server.IsRealRedis, $"CI needs a real redis-server for the README tour; the test server is {server.Description}");

        foreach (SnippetProgram program in MarkdownSnippets.ReadAll(Root).Where(p => p.Run))
        {
            SnippetCompiler.Result result = SnippetCompiler.Compile(Root, program, instrument: true,
                rewrite: code => code.Replace("localhost:6379", server.Address, StringComparison.Ordinal));
            Assert.True(result.Errors.Count == 0, $"{program} does not compile:\n{string.Join('\n', result.Errors)}");
            int checks = result.Source.Split("SnippetChecks.Check(").Length - 1;
            output.WriteLine($"{program}: {checks} value comment(s) checked against {server.Description}");

            // Bounds the run: a documented call that never returns fails the test instead of hanging it.
            using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var givens = new Dictionary<string, object?>
            {
                ["cancellationToken"] = bound.Token,
                ["ct"] = bound.Token,
                ["stoppingToken"] = bound.Token,
                ["logger"] = NullLogger.Instance,
            };
            foreach (string name in result.AmbientsUsed)
            {
                Assert.True(givens.ContainsKey(name), $"{program} uses '{name}' undeclared, which a run cannot supply: declare it in the snippet");
            }

            var context = new AssemblyLoadContext(program.ToString(), isCollectible: true);
            try
            {
                Assembly assembly = SnippetCompiler.Load(result, context);
                MethodInfo run = assembly.GetType(SnippetCompiler.ClassName)!.GetMethod("RunAsync")!;
                try
                {
                    await (Task)run.Invoke(null, [givens])!;
                }
                catch (TargetInvocationException e) when (e.InnerException is not null)
                {
                    ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                }
                Assert.False(bound.IsCancellationRequested, $"{program} ran into its time bound");
            }
            finally
            {
                context.Unload();
            }
        }
    }

    private static SnippetProgram Find(string name) => MarkdownSnippets.ReadAll(Root).Single(p => p.ToString() == name);
}
