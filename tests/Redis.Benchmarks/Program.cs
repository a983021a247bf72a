using BenchmarkDotNet.Running;

namespace Redis.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run -c Release --project tests/Redis.Benchmarks -- --filter '*Writer*'</c>
/// (see README.md). With no arguments BenchmarkDotNet asks which benchmarks to run.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
