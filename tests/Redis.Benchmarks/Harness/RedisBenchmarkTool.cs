using System.Diagnostics;
using System.Globalization;

namespace Redis.Benchmarks.Harness;

/// <summary>Runs the C reference, <c>redis-benchmark</c>, and reads its <c>--csv</c> output.</summary>
internal sealed class RedisBenchmarkTool(string path)
{
    public string Path { get; } = path;

    /// <summary>redis-benchmark next to the redis-server that runs, else on PATH; null when there is none.</summary>
    public static RedisBenchmarkTool? Find(string? serverExecutable)
    {
        var candidates = new List<string>();
        if (serverExecutable is not null && System.IO.Path.GetDirectoryName(serverExecutable) is { } dir) candidates.Add(System.IO.Path.Combine(dir, "redis-benchmark"));
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            candidates.Add(System.IO.Path.Combine(directory, "redis-benchmark"));
        }
        candidates.Add("/usr/bin/redis-benchmark");
        candidates.Add("/usr/local/bin/redis-benchmark");
        string? found = candidates.FirstOrDefault(File.Exists);
        return found is null ? null : new RedisBenchmarkTool(found);
    }

    /// <summary>Runs it with <paramref name="arguments"/> (plus host, port and --csv) and returns requests/s per test name (SET, GET...).</summary>
    public async Task<IReadOnlyDictionary<string, double>> RunAsync(string host, int port, string arguments)
    {
        var start = new ProcessStartInfo(Path, $"-h {host} -p {port} {arguments} --csv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Path}");
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0) throw new InvalidOperationException($"redis-benchmark {arguments} exited with {process.ExitCode}: {await stderr.ConfigureAwait(false)}");
        return ParseCsv(output);
    }

    /// <summary>Parses <c>"test","rps",...</c> rows; progress lines (with carriage returns) are ignored.</summary>
    public static IReadOnlyDictionary<string, double> ParseCsv(string output)
    {
        var rates = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (string rawLine in output.Split('\n'))
        {
            string line = rawLine;
            int cr = line.LastIndexOf('\r');
            if (cr >= 0) line = line[(cr + 1)..];
            string[] cells = line.Split(',');
            if (cells.Length < 2) continue;
            string test = cells[0].Trim().Trim('"');
            string rps = cells[1].Trim().Trim('"');
            if (test.Equals("test", StringComparison.OrdinalIgnoreCase)) continue;
            if (double.TryParse(rps, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)) rates[test] = value;
        }
        if (rates.Count == 0) throw new InvalidOperationException($"no results in redis-benchmark output: {output}");
        return rates;
    }
}
