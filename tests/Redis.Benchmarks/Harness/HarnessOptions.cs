namespace Redis.Benchmarks.Harness;

/// <summary>
/// The harness's command line: <c>harness [--runs N] [--quick] [--only W1,W3] [--cluster]</c>. With
/// <c>--cluster</c> it runs the cluster workloads (C1–C3) instead of W1–W4.
/// </summary>
internal sealed record HarnessOptions(int Runs, bool Quick, IReadOnlySet<string>? Only, bool Cluster = false)
{
    public static HarnessOptions Parse(IReadOnlyList<string> args)
    {
        int runs = 3;
        bool quick = false;
        bool cluster = false;
        HashSet<string>? only = null;
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Count && int.TryParse(args[i + 1], out int n) && n >= 1:
                    runs = n;
                    i++;
                    break;
                case "--quick":
                    quick = true;
                    break;
                case "--cluster":
                    cluster = true;
                    break;
                case "--only" when i + 1 < args.Count:
                    only = new HashSet<string>(args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
                    i++;
                    break;
                default:
                    throw new ArgumentException($"Unknown harness argument '{args[i]}'. Usage: harness [--runs N] [--quick] [--only W1,W2,W3,W4,W6] [--cluster [--only C1,C2,C3]]");
            }
        }
        return new HarnessOptions(runs, quick, only, cluster);
    }

    /// <summary>Scales an operation count: a tenth with <c>--quick</c>.</summary>
    public int Scale(int count) => Quick ? Math.Max(1, count / 10) : count;
}
