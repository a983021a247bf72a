namespace Redis.Benchmarks;

/// <summary>
/// How many RESP bytes one operation of the benchmark handles (for an <c>OperationsPerInvoke</c>
/// benchmark: bytes per invoke divided by the operation count). <see cref="ThroughputColumn"/>
/// divides it by the mean time to show MB/s.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class BytesPerOperationAttribute(double bytes) : Attribute
{
    /// <summary>Bytes per operation.</summary>
    public double Bytes { get; } = bytes;
}
