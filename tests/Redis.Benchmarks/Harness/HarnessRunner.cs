using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Redis.Testing;

namespace Redis.Benchmarks.Harness;

/// <summary>
/// The side-by-side throughput harness: <c>dotnet run -c Release --project tests/Redis.Benchmarks -- harness [--runs 3] [--quick]</c>.
/// Starts a local redis-server, runs W1–W4 through this project, StackExchange.Redis and redis-benchmark,
/// interleaved (every client of a workload once per run, in a rotating order), and prints the median
/// ops/s of each with the ratios of ours to the peers as a Markdown table.
/// </summary>
internal static class HarnessRunner
{
    private static readonly (string Workload, double VersusRedisBenchmark, double VersusStackExchange)[] Targets =
    [
        ("W1", 1.0, 1.7),
        ("W2", 0.9, 3.0),
        ("W3", 0, 1.5),
        ("W4", 1.0, 0),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        HarnessOptions options = HarnessOptions.Parse(args);
        if (options.Cluster) return await ClusterHarness.RunAsync(options).ConfigureAwait(false);
        await using TestServer server = await TestServer.StartAsync(new TestServerOptions
        {
            RequireLocalRedisServer = true,
            Reason = "the throughput harness runs redis-benchmark against its own local redis-server",
            Log = line => Console.Error.WriteLine($"// {line}"),
        }).ConfigureAwait(false);
        RedisBenchmarkTool? redisBenchmark = RedisBenchmarkTool.Find(server.ExecutablePath);
        if (redisBenchmark is null) Console.Error.WriteLine("// redis-benchmark not found: its rows are skipped");

        var workloads = new Workloads(server.Host, server.Port, options, redisBenchmark);
        workloads.Prepare();
        IReadOnlyList<Contender> contenders = workloads.All();
        var samples = contenders.ToDictionary(c => c, _ => new List<double>());

        for (int run = 0; run < options.Runs; run++)
        {
            foreach ((string id, string _) in Workloads.Titles)
            {
                Contender[] group = contenders.Where(c => c.Workload == id).ToArray();
                if (group.Length == 0) continue;
                // Rotate the order per run so no client always runs first (cold) or last.
                for (int k = 0; k < group.Length; k++)
                {
                    Contender contender = group[(k + run) % group.Length];
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    double opsPerSecond = await contender.Measure().ConfigureAwait(false);
                    samples[contender].Add(opsPerSecond);
                    Console.Error.WriteLine($"// run {run + 1}/{options.Runs} {id} {contender.Name}: {opsPerSecond:N0} ops/s");
                }
            }
        }

        Console.WriteLine(Render(options, server, workloads, samples));
        return 0;
    }

    internal static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static string Render(HarnessOptions options, TestServer server, Workloads workloads, Dictionary<Contender, List<double>> samples)
    {
        var text = new StringBuilder();
        var medians = samples.ToDictionary(p => p.Key, p => Median(p.Value));
        text.AppendLine(CultureInfo.InvariantCulture, $"## Throughput harness: median of {options.Runs} interleaved run(s){(options.Quick ? " (--quick: counts / 10)" : "")}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {MachineDescription()}; {server.Description}; .NET {Environment.Version}; StackExchange.Redis {StackExchangeVersion()}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Counts: W1 {workloads.W1Count:N0} SET + {workloads.W1Count:N0} GET; W2 {workloads.W2Count:N0} GET; W3 {workloads.W3Count:N0} GET by 64 callers; W4 {workloads.W4Count:N0} GET of 100 KB; W6 {workloads.W6Count:N0} GET by 64 callers, cached and not.");
        text.AppendLine();
        text.AppendLine("| Workload | Client | ops/s (median) | runs (ops/s) | ours / redis-benchmark | ours / StackExchange.Redis |");
        text.AppendLine("|---|---|---:|---|---:|---:|");
        foreach ((string id, string title) in Workloads.Titles)
        {
            var rows = medians.Where(m => m.Key.Workload == id).OrderBy(m => m.Key.Peer).ThenByDescending(m => m.Value).ToArray();
            if (rows.Length == 0) continue;
            double? bench = Best(rows, Peer.RedisBenchmark);
            double? stackExchange = Best(rows, Peer.StackExchangeRedis);
            foreach ((Contender contender, double median) in rows)
            {
                string runs = string.Join(", ", samples[contender].Select(v => v.ToString("N0", CultureInfo.InvariantCulture)));
                string versusBench = contender.Peer == Peer.Ours && bench is { } b ? $"{median / b:0.00}x" : "";
                string versusSe = contender.Peer == Peer.Ours && stackExchange is { } s ? $"{median / s:0.00}x" : "";
                text.AppendLine(CultureInfo.InvariantCulture, $"| {id}: {title} | {contender.Name} | {median:N0} | {runs} | {versusBench} | {versusSe} |");
            }
        }
        text.AppendLine();
        text.AppendLine("Ratios compare each of our rows with the best row of each peer in the same workload.");
        text.AppendLine();
        text.AppendLine("### Targets (best of our rows per workload)");
        text.AppendLine();
        foreach ((string id, double versusBench, double versusSe) in Targets)
        {
            var rows = medians.Where(m => m.Key.Workload == id).ToArray();
            if (rows.Length == 0) continue;
            var ours = rows.Where(r => r.Key.Peer == Peer.Ours).MaxBy(r => r.Value);
            double? bench = Best(rows, Peer.RedisBenchmark);
            double? stackExchange = Best(rows, Peer.StackExchangeRedis);
            var parts = new List<string>();
            if (versusBench > 0 && bench is { } b) parts.Add(Verdict(ours.Value / b, versusBench, "redis-benchmark"));
            if (versusSe > 0 && stackExchange is { } s) parts.Add(Verdict(ours.Value / s, versusSe, "StackExchange.Redis"));
            text.AppendLine(CultureInfo.InvariantCulture, $"- {id} ({ours.Key.Name}): {string.Join("; ", parts)}");
        }
        var cachedRow = medians.Where(m => m.Key.Workload == "W6" && m.Key.Name == Workloads.W6CachedName).ToArray();
        var uncachedRow = medians.Where(m => m.Key.Workload == "W6" && m.Key.Name == Workloads.W6UncachedName).ToArray();
        if (cachedRow.Length == 1 && uncachedRow.Length == 1)
        {
            double ratio = cachedRow[0].Value / uncachedRow[0].Value;
            text.AppendLine();
            text.AppendLine("### W6: client-side cache hits vs uncached GET (target 10x)");
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"- {workloads.W6Count:N0} GETs per run by 64 callers over 1,000 keys of 16 B: hits {cachedRow[0].Value:N0} ops/s, uncached {uncachedRow[0].Value:N0} ops/s: {(ratio >= 10 ? $"{ratio:0.0}x (target 10x: met)" : $"{ratio:0.0}x (target 10x: missed by {(1 - ratio / 10) * 100:0}%)")}");
            text.AppendLine(CultureInfo.InvariantCulture, $"- Bytes per hit: {workloads.W6BytesPerSyncHit:0.#} on the calling thread (10,000 sync hits; the byte[16] result is 40 B); {workloads.W6BytesPerAsyncHit:0.#} per async hit over the 64-caller run (all threads, including the harness's Task per call).");
        }
        return text.ToString();
    }

    internal static double? Best(IEnumerable<KeyValuePair<Contender, double>> rows, Peer peer)
    {
        double[] values = rows.Where(r => r.Key.Peer == peer).Select(r => r.Value).ToArray();
        return values.Length == 0 ? null : values.Max();
    }

    internal static string Verdict(double ratio, double target, string peer)
        => ratio >= target
            ? $"{ratio:0.00}x {peer} (target {target:0.0#}x: met)"
            : $"{ratio:0.00}x {peer} (target {target:0.0#}x: missed by {(1 - ratio / target) * 100:0}%)";

    internal static string StackExchangeVersion()
    {
        string? informational = typeof(StackExchange.Redis.ConnectionMultiplexer).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion;
        return informational is null ? "?" : informational.Split('+')[0];
    }

    internal static string MachineDescription()
    {
        string cpu = "unknown CPU";
        try
        {
            string? model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (model is not null) cpu = model[(model.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return $"{cpu}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}";
    }
}
