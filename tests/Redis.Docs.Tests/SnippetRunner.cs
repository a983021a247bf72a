using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Runtime.Loader;
using Microsoft.Extensions.Logging.Abstractions;
using Redis.Testing;

namespace Redis.Docs.Tests;

/// <summary>Runs a program against a test server, with its value comments checked.</summary>
internal static class SnippetRunner
{
    /// <summary>How long a run may take before its tokens are cancelled (so a documented call that never returns fails).</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Compiles <paramref name="program"/> instrumented, with <c>localhost:6379</c> replaced by the server's address, and
    /// runs it; returns the number of value comments checked. A compile error, a wrong value comment or any exception
    /// of the program is thrown (its stack trace names Markdown lines).
    /// </summary>
    public static async Task<int> RunAsync(string root, SnippetProgram program, TestServer server)
    {
        SnippetCompiler.Result result = SnippetCompiler.Compile(root, program, instrument: true,
            rewrite: code => code.Replace("localhost:6379", server.Address, StringComparison.Ordinal));
        if (result.Errors.Count > 0) throw new InvalidOperationException($"{program} does not compile:\n{string.Join('\n', result.Errors)}");
        int checks = result.Source.Split("SnippetChecks.Check(").Length - 1;

        using var bound = new CancellationTokenSource(Bound);
        var givens = new Dictionary<string, object?>
        {
            ["cancellationToken"] = bound.Token,
            ["ct"] = bound.Token,
            ["stoppingToken"] = bound.Token,
            ["logger"] = NullLogger.Instance,
        };
        foreach (string name in result.AmbientsUsed.Where(n => !givens.ContainsKey(n)))
        {
            throw new InvalidOperationException($"{program} uses '{name}' undeclared, which a run cannot supply: declare it in the snippet");
        }

        var context = new AssemblyLoadContext(program.ToString(), isCollectible: true);
        try
        {
            Assembly assembly = SnippetCompiler.Load(result, context);
            MethodInfo run = assembly.GetType(SnippetCompiler.ClassName)!.GetMethod("RunAsync")!;
            try
            {
                await ((Task)run.Invoke(null, [givens])!).ConfigureAwait(false);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            }
            if (bound.IsCancellationRequested) throw new TimeoutException($"{program} ran into its bound of {Bound}");
            return checks;
        }
        finally
        {
            context.Unload();
        }
    }
}
