using System.Text;
using BenchmarkDotNet.Attributes;

namespace Redis.Benchmarks;

/// <summary>
/// Decoding replies: each invoke copies the encoded bytes into a <see cref="RespDecoder"/> that is
/// reused across iterations (<see cref="RespDecoder.Append"/>, i.e. GetFillBuffer + copy + Advance,
/// as the connection does after a socket read), then takes replies until the decoder is empty.
/// </summary>
/// <remarks>
/// Throughput: MB/s = Bytes/op / Mean (MB = 1,000,000 bytes, Mean in ns: MB/s = Bytes/op × 1000 / ns).
/// The Bytes/op and MB/s columns compute it (<see cref="ThroughputColumn"/>); the sizes are also in
/// each description. For the mixed buffer one operation is one reply (OperationsPerInvoke = 1000),
/// so Mean and Allocated are per reply.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class ReaderBenchmarks
{
    public const int LargeValueSize = 100 * 1024;
    public const int MixedReplies = 1000;

    private const int LargeBulkBytes = 102_411;  // "$102400\r\n" + 100 KB + "\r\n"
    private const int MixedBytes = 10_000;       // 1000 replies, 10 bytes each on average
    private const double MixedBytesPerReply = (double)MixedBytes / MixedReplies;

    // The five reply shapes of the mixed buffer, repeated in this order (50 bytes per round).
    private static readonly byte[][] MixedShapes =
    [
        "+OK\r\n"u8.ToArray(),                          // status        5 B
        ":1234\r\n"u8.ToArray(),                        // integer       7 B
        "$5\r\nhello\r\n"u8.ToArray(),                  // bulk         11 B
        "*2\r\n$3\r\nfoo\r\n$3\r\nbar\r\n"u8.ToArray(), // array of 2   22 B
        "$-1\r\n"u8.ToArray(),                          // nil bulk      5 B
    ];

    private byte[] _largeBulk = null!;
    private byte[] _mixed = null!;
    private RespDecoder _decoder = null!;

    [GlobalSetup]
    public void Setup()
    {
        var payload = new byte[LargeValueSize];
        new Random(42).NextBytes(payload);
        _largeBulk = [.. Encoding.ASCII.GetBytes($"${LargeValueSize}\r\n"), .. payload, .. "\r\n"u8];

        var mixed = new List<byte>(MixedBytes);
        for (int i = 0; i < MixedReplies; i++) mixed.AddRange(MixedShapes[i % MixedShapes.Length]);
        _mixed = [.. mixed];

        if (_largeBulk.Length != LargeBulkBytes) throw new InvalidOperationException($"large bulk is {_largeBulk.Length} bytes, expected {LargeBulkBytes}");
        if (_mixed.Length != MixedBytes) throw new InvalidOperationException($"mixed buffer is {_mixed.Length} bytes, expected {MixedBytes}");

        _decoder = new RespDecoder();

        // Sanity: every variant sees the data it should (and the decoder grows to its steady size here).
        if (LargeBulkReadObject() != LargeValueSize || LargeBulkSpan() != LargeValueSize)
        {
            throw new InvalidOperationException("the 100 KB bulk did not decode to 100 KB");
        }
        long objects = MixedReadObject();
        long typed = MixedTyped();
        if (objects != typed) throw new InvalidOperationException($"mixed checksums differ: ReadObject {objects}, typed {typed}");
    }

    [GlobalCleanup]
    public void Cleanup() => _decoder.Dispose();

    /// <summary>One 100 KB bulk reply read as an object: <see cref="RespReader.ReadObject"/> copies it into a new byte[].</summary>
    [Benchmark(Description = "100 KB bulk, ReadObject -> byte[] (102,411 B/op)")]
    [BytesPerOperation(LargeBulkBytes)]
    public int LargeBulkReadObject()
    {
        _decoder.Append(_largeBulk);
        if (!_decoder.TryReadObject(out object? reply)) throw new InvalidOperationException("incomplete");
        return ((byte[])reply!).Length;
    }

    /// <summary>One 100 KB bulk reply read with <see cref="RespReader.TryReadBulkSpan"/>: no copy of the payload.</summary>
    [Benchmark(Description = "100 KB bulk, TryReadBulkSpan (102,411 B/op)")]
    [BytesPerOperation(LargeBulkBytes)]
    public int LargeBulkSpan()
    {
        _decoder.Append(_largeBulk);
        if (!_decoder.TryReadFrame(out ReadOnlySpan<byte> frame)) throw new InvalidOperationException("incomplete");
        var reader = new RespReader(frame);
        int length = reader.TryReadBulkSpan(out ReadOnlySpan<byte> value) ? value.Length : -1;
        _decoder.Consume(frame.Length);
        return length;
    }

    /// <summary>1000 small mixed replies, each read as an object tree (what <c>Conn.Receive</c> returns).</summary>
    [Benchmark(OperationsPerInvoke = MixedReplies, Description = "1000 mixed replies, ReadObject (10 B/op)")]
    [BytesPerOperation(MixedBytesPerReply)]
    public long MixedReadObject()
    {
        _decoder.Append(_mixed);
        long checksum = 0;
        while (_decoder.TryReadObject(out object? reply))
        {
            checksum += reply switch
            {
                null => 1,
                string s => s.Length,
                long l => l,
                byte[] b => b.Length,
                object?[] a => a.Length * 100 + ((byte[])a[0]!).Length + ((byte[])a[1]!).Length,
                _ => throw new InvalidOperationException($"unexpected reply {reply}"),
            };
        }
        return checksum;
    }

    /// <summary>
    /// The same 1000 replies read with the typed methods, as generated code that knows each reply's
    /// shape would: <see cref="RespReader.ReadInt64"/>, <see cref="RespReader.TryReadBulkSpan"/>,
    /// <see cref="RespReader.ReadAggregateHeader"/>. Nothing is boxed or copied.
    /// </summary>
    [Benchmark(OperationsPerInvoke = MixedReplies, Description = "1000 mixed replies, typed reads (10 B/op)")]
    [BytesPerOperation(MixedBytesPerReply)]
    public long MixedTyped()
    {
        _decoder.Append(_mixed);
        long checksum = 0;
        int index = 0;
        while (_decoder.TryReadFrame(out ReadOnlySpan<byte> frame))
        {
            var reader = new RespReader(frame);
            switch (index % 5)
            {
                case 0: // +OK
                case 2: // $5 hello
                case 4: // $-1
                    checksum += reader.TryReadBulkSpan(out ReadOnlySpan<byte> text) ? text.Length : 1;
                    break;
                case 1: // :1234
                    checksum += reader.ReadInt64();
                    break;
                case 3: // *2 of bulks
                {
                    int count = reader.ReadAggregateHeader(out _);
                    checksum += count * 100;
                    for (int i = 0; i < count; i++)
                    {
                        checksum += reader.TryReadBulkSpan(out ReadOnlySpan<byte> item) ? item.Length : 0;
                    }
                    break;
                }
            }
            _decoder.Consume(frame.Length);
            index++;
        }
        return checksum;
    }
}
