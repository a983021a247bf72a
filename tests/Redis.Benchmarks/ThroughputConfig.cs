using BenchmarkDotNet.Configs;

namespace Redis.Benchmarks;

/// <summary>Adds the Bytes/op and MB/s columns (<see cref="ThroughputColumn"/>) to the default config.</summary>
public sealed class ThroughputConfig : ManualConfig
{
    public ThroughputConfig()
    {
        AddColumn(ThroughputColumn.BytesPerOperation, ThroughputColumn.MegabytesPerSecond);
    }
}
