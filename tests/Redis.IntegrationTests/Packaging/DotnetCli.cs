using System.Diagnostics;
using System.Text;

namespace Redis.Tests.Packaging;

/// <summary>Runs the <c>dotnet</c> CLI in a child process, bounded in time, and returns what it printed.</summary>
public static class DotnetCli
{
    /// <summary>How long one command may run: a pack or a consumer's restore and build on a busy 2-core machine.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="directory"/>; throws when it fails.</summary>
    /// <param name="arguments">The arguments, one element each (no shell quoting).</param>
    /// <param name="directory">The working directory.</param>
    /// <param name="log">Receives the command line and everything it printed.</param>
    /// <param name="environment">Extra environment variables for the child.</param>
    /// <returns>Standard output followed by standard error.</returns>
    public static async Task<string> RunAsync(
        IEnumerable<string> arguments, string directory, StringBuilder log, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // A build server left behind by a test would outlive the test run.
        start.Environment["MSBUILDNOINPROCNODE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        if (environment is not null)
        {
            foreach ((string name, string value) in environment) start.Environment[name] = value;
        }

        string commandLine = "dotnet " + string.Join(' ', start.ArgumentList);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{commandLine} did not finish within {Timeout}.");
        }

        string text = await stdout + await stderr;
        lock (log) log.AppendLine($"$ {commandLine}  (in {directory})").AppendLine(text);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{commandLine} exited with {process.ExitCode}:\n{text}");
        }

        return text;
    }
}
