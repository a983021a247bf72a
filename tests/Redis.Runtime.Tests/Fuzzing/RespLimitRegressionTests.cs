using System.Text;

namespace Redis.Tests.Fuzzing;

/// <summary>
/// Findings of the fuzzer kept as regression tests. The first: a reply that fits within
/// <see cref="RespLimits.MaxBufferedBytes"/> was rejected when it arrived in pieces and its last
/// few kilobytes needed the buffer to grow (the decoder asked for a full read size past the limit).
/// </summary>
public class RespLimitRegressionTests
{
    /// <summary>Returns at most <paramref name="chunk"/> bytes per read, as a socket does.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : Stream
    {
        private int _position;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(Math.Min(buffer.Length, chunk), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override void Write(byte[] buffer, int offset, int count) { }
        public override void Flush() { }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => data.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData(64 * 1024, 10)]
    [InlineData(64 * 1024, 3000)]
    [InlineData(1024 * 1024, 100)]
    public void Fuzz_Regression_ReplyJustUnderMaxBufferedBytes_IsAcceptedWhenItArrivesInPieces(int limit, int margin)
    {
        string header = "$" + (limit - margin - 16) + "\r\n";
        byte[] payload = Encoding.ASCII.GetBytes(new string('x', limit - margin - 16));
        byte[] wire = [.. Encoding.ASCII.GetBytes(header), .. payload, .. "\r\n"u8];
        Assert.True(wire.Length <= limit);
        var options = DialOptions.Default with { Limits = new RespLimits { MaxBufferedBytes = limit } };
        using Conn conn = Conn.FromStream(new TrickleStream(wire, 1000), options);
        Assert.Equal(payload, Assert.IsType<byte[]>(conn.Receive()));
    }

    [Fact]
    public void Fuzz_Regression_ReplyOverMaxBufferedBytes_IsStillRejected()
    {
        const int Limit = 64 * 1024;
        byte[] wire = Encoding.ASCII.GetBytes("+" + new string('x', Limit) + "\r\n");
        var options = DialOptions.Default with { Limits = new RespLimits { MaxBufferedBytes = Limit } };
        using Conn conn = Conn.FromStream(new TrickleStream(wire, 1000), options);
        Assert.Throws<RedisProtocolException>(() => conn.Receive());
        Assert.NotNull(conn.Err);
    }
}
