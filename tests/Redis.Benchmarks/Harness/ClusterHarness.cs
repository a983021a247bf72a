using System.Globalization;
using System.Text;
using Redis.Testing;

namespace Redis.Benchmarks.Harness;

/// <summary>
/// <c>harness --cluster [--runs 3] [--quick] [--only C1,C2,C3]</c>: the cluster workloads (see
/// <see cref="ClusterWorkloads"/>) against the cluster <c>REDIS_CLUSTER</c> names (seeds, started by
/// nobody here) or else a local 3-master cluster without replicas that it starts from redis-server and
/// stops at the end. Runs are interleaved as in the single-server harness; prints medians, every run,
/// ratios of ours to StackExchange.Redis from the same run, and bytes per typed call on the routed path.
/// </summary>
internal static class ClusterHarness
{
    private const double C1Target = 1.5;

    public static async Task<int> RunAsync(HarnessOptions options)
    {
        string? seeds = Environment.GetEnvironmentVariable("REDIS_CLUSTER");
        LocalCluster? local = null;
        string where;
        if (string.IsNullOrWhiteSpace(seeds))
        {
            Console.Error.WriteLine("// REDIS_CLUSTER is not set: starting a local cluster of 3 masters (no replicas) from redis-server");
            local = await LocalCluster.StartAsync(masters: 3, replicasPerMaster: 0, new LocalClusterOptions { Log = line => Console.Error.WriteLine($"// {line}") }).ConfigureAwait(false);
            seeds = local.Seeds;
            where = $"local cluster, 3 masters, no replicas, started by the harness ({seeds})";
        }
        else
        {
            where = "REDIS_CLUSTER (" + string.Join(",", seeds.Split(',').Select(s => s.Contains('@', StringComparison.Ordinal) ? "(url)" : s.Trim())) + ")";
        }

        try
        {
            var workloads = new ClusterWorkloads(seeds, options);
            Console.Error.WriteLine("// writing the keys...");
            await workloads.PrepareAsync().ConfigureAwait(false);
            IReadOnlyList<Contender> contenders = workloads.All();
            var samples = contenders.ToDictionary(c => c, _ => new List<double>());
            for (int run = 0; run < options.Runs; run++)
            {
                foreach ((string id, string _) in ClusterWorkloads.Titles)
                {
                    Contender[] group = contenders.Where(c => c.Workload == id).ToArray();
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

            Console.Error.WriteLine("// allocations per typed call...");
            GC.Collect();
            var allocations = await workloads.MeasureAllocationsAsync().ConfigureAwait(false);
            Console.WriteLine(Render(options, where, workloads, samples, allocations));
            return 0;
        }
        finally
        {
            if (local is not null)
            {
                await local.DisposeAsync().ConfigureAwait(false);
                Console.Error.WriteLine("// local cluster stopped");
            }
        }
    }

    private static string Render(HarnessOptions options, string where, ClusterWorkloads workloads, Dictionary<Contender, List<double>> samples,
        IReadOnlyList<(string Call, double ThreadBytes, double ProcessBytes)> allocations)
    {
        var text = new StringBuilder();
        var medians = samples.ToDictionary(p => p.Key, p => HarnessRunner.Median(p.Value));
        text.AppendLine(CultureInfo.InvariantCulture, $"## Cluster harness: median of {options.Runs} interleaved run(s){(options.Quick ? " (--quick: counts / 10)" : "")}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {HarnessRunner.MachineDescription()}; {where}; .NET {Environment.Version}; StackExchange.Redis {HarnessRunner.StackExchangeVersion()}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Counts: C1 {workloads.C1Count:N0} operations; C2 {workloads.C2Count:N0} MGETs of {ClusterWorkloads.MGetKeys} keys ({workloads.AverageSlotsPerSplitMGet:0.0} slots each on average); C3 {workloads.C3Count:N0} MGETs of {ClusterWorkloads.MGetKeys} keys in one slot.");
        text.AppendLine();
        text.AppendLine("| Workload | Client | ops/s (median) | runs (ops/s) | ours / StackExchange.Redis (medians) | per run |");
        text.AppendLine("|---|---|---:|---|---:|---|");
        foreach ((string id, string title) in ClusterWorkloads.Titles)
        {
            var rows = medians.Where(m => m.Key.Workload == id).OrderBy(m => m.Key.Peer).ThenByDescending(m => m.Value).ToArray();
            if (rows.Length == 0) continue;
            Contender? peer = rows.Where(r => r.Key.Peer == Peer.StackExchangeRedis).Select(r => r.Key).FirstOrDefault();
            foreach ((Contender contender, double median) in rows)
            {
                string runs = string.Join(", ", samples[contender].Select(v => v.ToString("N0", CultureInfo.InvariantCulture)));
                string ratio = "", perRun = "";
                if (contender.Peer == Peer.Ours && peer is not null)
                {
                    ratio = $"{median / medians[peer]:0.00}x";
                    perRun = string.Join(", ", samples[contender].Zip(samples[peer], (o, s) => (o / s).ToString("0.00", CultureInfo.InvariantCulture) + "x"));
                }
                text.AppendLine(CultureInfo.InvariantCulture, $"| {id}: {title} | {contender.Name} | {median:N0} | {runs} | {ratio} | {perRun} |");
            }
        }
        text.AppendLine();
        text.AppendLine("\"per run\" divides ours by StackExchange.Redis measured in the same run (the two run back to back).");
        text.AppendLine();
        var c1 = medians.Where(m => m.Key.Workload == "C1").ToArray();
        if (c1.Any(r => r.Key.Peer == Peer.Ours) && HarnessRunner.Best(c1, Peer.StackExchangeRedis) is { } se)
        {
            double ours = c1.Where(r => r.Key.Peer == Peer.Ours).Max(r => r.Value);
            text.AppendLine(CultureInfo.InvariantCulture, $"Target (C1): {HarnessRunner.Verdict(ours / se, C1Target, "StackExchange.Redis")}.");
            text.AppendLine();
        }
        text.AppendLine("### Bytes allocated per typed call through RedisCluster (one caller, 10,000 calls after warm-up)");
        text.AppendLine();
        text.AppendLine("| Call | B/call, whole process (GetTotalAllocatedBytes) | B/call, caller's thread (GetAllocatedBytesForCurrentThread) |");
        text.AppendLine("|---|---:|---:|");
        foreach ((string call, double thread, double process) in allocations)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| `{call}` | {process:0.0} | {(double.IsNaN(thread) ? "n/a (continuations run on any thread)" : thread.ToString("0.0", CultureInfo.InvariantCulture))} |");
        }
        text.AppendLine();
        text.AppendLine("The two MGET rows are not the single-slot path (1,000 calls each): their result alone is 4,824 B (a `byte[]?[100]` and 100 values of 40 B).");
        text.AppendLine("A GET's result is a 16-byte `byte[]`: 40 B, allocated on the node connection's reader thread, so only the whole-process column sees it.");
        text.AppendLine("The whole-process column also counts whatever else the process allocated meanwhile (timers, the thread pool).");
        return text.ToString();
    }
}
