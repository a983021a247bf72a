namespace Redis.Tests.Protocol;

/// <summary>
/// An in-memory transport for <see cref="Conn.FromStream"/>: reads return <c>script</c>, never across a
/// split offset and at most <see cref="MaxRead"/> bytes at a time; writes are dropped.
/// </summary>
internal sealed class ScriptStream(byte[] script, params int[] splits) : Stream
{
    private int _position;

    public int MaxRead { get; init; } = int.MaxValue;

    public override int Read(Span<byte> buffer)
    {
        if (_position >= script.Length) return 0;
        int limit = script.Length;
        foreach (int split in splits)
        {
            if (split > _position)
            {
                limit = Math.Min(limit, split);
                break;
            }
        }
        int n = Math.Min(Math.Min(buffer.Length, limit - _position), MaxRead);
        script.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Write(ReadOnlySpan<byte> buffer) { }

    public override void Write(byte[] buffer, int offset, int count) { }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public override void Flush() { }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
