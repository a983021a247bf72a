using BenchmarkDotNet.Running;
using Redis.Benchmarks.Harness;

namespace Redis.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project tests/Redis.Benchmarks -- --filter '*Writer*'</c>
/// (see README.md). With no arguments BenchmarkDotNet asks which benchmarks to run.
/// <c>-- harness [--runs 3] [--quick]</c> runs the side-by-side throughput harness instead;
/// <c>-- sweep [--charts docs]</c> the scaling sweeps (value size, callers) and their charts.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "harness") return HarnessRunner.RunAsync(args[1..]).GetAwaiter().GetResult();
        if (args.Length > 0 && args[0] == "sweep") return SweepRunner.RunAsync(args[1..]).GetAwaiter().GetResult();
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
