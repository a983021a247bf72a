using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Redis.Benchmarks;

/// <summary>
/// Two extra summary columns: "Bytes/op" (from <see cref="BytesPerOperationAttribute"/>) and
/// "MB/s" = Bytes/op / Mean, with MB = 1,000,000 bytes. Benchmarks without the attribute show "-".
/// </summary>
public sealed class ThroughputColumn : IColumn
{
    private readonly bool _throughput;

    private ThroughputColumn(bool throughput) => _throughput = throughput;

    /// <summary>The "Bytes/op" column.</summary>
    public static readonly IColumn BytesPerOperation = new ThroughputColumn(throughput: false);

    /// <summary>The "MB/s" column.</summary>
    public static readonly IColumn MegabytesPerSecond = new ThroughputColumn(throughput: true);

    public string Id => _throughput ? "Redis.MBps" : "Redis.BytesPerOp";
    public string ColumnName => _throughput ? "MB/s" : "Bytes/op";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => _throughput ? 1 : 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => _throughput
        ? "Throughput: Bytes/op divided by Mean (MB = 1,000,000 bytes)"
        : "RESP bytes handled per operation";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? bytes = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<BytesPerOperationAttribute>()?.Bytes;
        if (bytes is null) return "-";
        if (!_throughput) return bytes.Value.ToString("N0", CultureInfo.InvariantCulture);
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (meanNs is null or <= 0) return "NA";
        // bytes / (ns * 1e-9 s) / 1e6 = bytes * 1000 / ns
        return (bytes.Value * 1000.0 / meanNs.Value).ToString("N1", CultureInfo.InvariantCulture);
    }

    public override string ToString() => ColumnName;
}
