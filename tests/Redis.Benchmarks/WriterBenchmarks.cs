using BenchmarkDotNet.Attributes;

namespace Redis.Benchmarks;

/// <summary>
/// Encoding commands with <see cref="RespWriter"/>. Arguments are boxed once into static arrays, so
/// what is measured is the writer, not the caller's boxing. Every operation writes one command and
/// calls <see cref="RespWriter.Reset"/>, as the connection does after a flush; none should allocate.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class WriterBenchmarks
{
    public const int LargeValueSize = 100 * 1024;
    public const long LongValue = 1234567890;

    // Encoded sizes, checked in GlobalSetup.
    private const int SetStringBytes = 33;      // *3 $3 SET $3 key $5 value
    private const int SetLongBytes = 39;        // *3 $3 SET $3 key $10 1234567890
    private const int GetBytes = 22;            // *2 $3 GET $3 key
    private const int SetLargeBytes = 102_433;  // *3 $3 SET $3 key $102400 <100 KB>

    private static readonly object?[] SetArgs = ["key", "value"];
    private static readonly object?[] GetArgs = ["key"];
    private static readonly object?[] SetLargeArgs = ["key", CreateLargeValue()];

    private RespWriter _writer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _writer = new RespWriter();
        Check(nameof(SetString), SetString(), SetStringBytes);
        Check(nameof(SetInt64Typed), SetInt64Typed(), SetLongBytes);
        Check(nameof(Get), Get(), GetBytes);
        Check(nameof(SetLargeValue), SetLargeValue(), SetLargeBytes);
    }

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();

    /// <summary><c>SET key value</c> through the untyped <c>WriteCommand(string, ReadOnlySpan&lt;object?&gt;)</c>.</summary>
    [Benchmark(Baseline = true, Description = "SET key value (WriteCommand)")]
    [BytesPerOperation(SetStringBytes)]
    public int SetString()
    {
        _writer.WriteCommand("SET", SetArgs);
        int length = _writer.Length;
        _writer.Reset();
        return length;
    }

    /// <summary><c>SET key 1234567890</c> through the typed methods, as generated code would write it.</summary>
    [Benchmark(Description = "SET key <long> (typed)")]
    [BytesPerOperation(SetLongBytes)]
    public int SetInt64Typed()
    {
        _writer.WriteArrayHeader(3);
        _writer.WriteBulkString("SET"u8);
        _writer.WriteBulkString("key"u8);
        _writer.WriteBulkString(LongValue);
        int length = _writer.Length;
        _writer.Reset();
        return length;
    }

    /// <summary><c>GET key</c> through <c>WriteCommand</c>.</summary>
    [Benchmark(Description = "GET key (WriteCommand)")]
    [BytesPerOperation(GetBytes)]
    public int Get()
    {
        _writer.WriteCommand("GET", GetArgs);
        int length = _writer.Length;
        _writer.Reset();
        return length;
    }

    /// <summary><c>SET key &lt;100 KB byte[]&gt;</c> through <c>WriteCommand</c>: mostly one memcpy.</summary>
    [Benchmark(Description = "SET key <100 KB byte[]> (WriteCommand)")]
    [BytesPerOperation(SetLargeBytes)]
    public int SetLargeValue()
    {
        _writer.WriteCommand("SET", SetLargeArgs);
        int length = _writer.Length;
        _writer.Reset();
        return length;
    }

    private static byte[] CreateLargeValue()
    {
        var value = new byte[LargeValueSize];
        new Random(42).NextBytes(value);
        return value;
    }

    private static void Check(string benchmark, int actual, int expected)
    {
        if (actual != expected)
        {
            throw new InvalidOperationException($"{benchmark} wrote {actual} bytes, expected {expected}; fix the constant.");
        }
    }
}
