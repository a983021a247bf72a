using System.Buffers;

namespace Redis;

/// <summary>
/// Buffers bytes as they arrive and hands out complete replies. It knows nothing of sockets: the
/// owner reads into <see cref="GetFillBuffer"/>, reports the count with <see cref="Advance"/>, and
/// takes replies with <see cref="TryReadFrame"/> or <see cref="TryReadObject"/>. Each byte is
/// scanned once however the replies are split across reads.
/// </summary>
/// <remarks>
/// The buffer grows with the bytes that actually arrive (never by a length the server announces),
/// up to <see cref="RespLimits.MaxBufferedBytes"/>, and goes back to its initial size once a large
/// reply has been consumed. Up to 1 MB it is rented from <see cref="ArrayPool{T}.Shared"/>; beyond
/// that it is allocated at 1.5 times the bytes buffered (or the exact size a bulk still needs) and
/// never pooled, and a buffer it outgrows is released at once, so the memory it holds stays within
/// about 1.5 times the bytes received (2.5 times for the moment of a copy).
/// </remarks>
public sealed class RespDecoder : IDisposable
{
    private const int RetainedCapacity = 1024 * 1024;
    private const int MinGrowthStep = 64 * 1024;

    private readonly RespScanner _scanner;
    private readonly RespLimits _limits;
    private readonly int _initialCapacity;
    private byte[] _buffer;
    private int _start;   // first byte of the unconsumed data
    private int _end;     // one past the last buffered byte
    private int _frameLength = -1;

    /// <summary>Creates a decoder with the given limits (<see cref="RespLimits.Default"/> when null).</summary>
    public RespDecoder(RespLimits? limits = null, int initialCapacity = 16 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialCapacity, 64);
        _limits = limits ?? RespLimits.Default;
        _scanner = new RespScanner(_limits);
        _initialCapacity = initialCapacity;
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    /// <summary>The size of the buffer held now (for tests of its growth).</summary>
    internal int Capacity => _buffer.Length;

    /// <summary>The number of buffered bytes not yet consumed.</summary>
    public int BufferedLength => _end - _start;

    /// <summary>
    /// Returns free space to read into: at least <paramref name="minimumSize"/> bytes, and enough to
    /// make progress on a partly received reply. Compacts or grows the buffer as needed.
    /// </summary>
    public Memory<byte> GetFillBuffer(int minimumSize = 1)
    {
        int buffered = _end - _start;
        int minimum = Math.Max(minimumSize, 1);
        // Room for a read of at least the minimum: read into it. Growing only when that is missing keeps
        // the buffer full before it grows, so it stays in proportion to the bytes received.
        if (_buffer.Length - _end >= minimum) return _buffer.AsMemory(_end);

        long wanted = minimum;
        // A reply whose size is known (a bulk) gets room for more of it at once, but at most as
        // much again as has arrived: a hostile length cannot make us allocate ahead of the data.
        long remaining = _scanner.BytesNeeded - buffered;
        if (remaining > wanted) wanted = Math.Min(remaining, Math.Max(buffered, MinGrowthStep));

        if (_buffer.Length - buffered >= wanted && _start > 0)
        {
            _buffer.AsSpan(_start, buffered).CopyTo(_buffer);
        }
        else if (_buffer.Length - buffered >= minimum && _start > 0 && buffered + wanted > RetainedCapacity)
        {
            // A large buffer with consumed bytes at its front: moving the rest down is cheaper than growing.
            _buffer.AsSpan(_start, buffered).CopyTo(_buffer);
        }
        else
        {
            long size = buffered + wanted;
            if (size > RetainedCapacity)
            {
                // Large: grow by half of what is buffered (less when the rest of a known-size reply
                // needs less), so the buffer stays within 1.5 times the bytes received and each byte
                // is copied a bounded number of times.
                long step = Math.Max(buffered / 2, minimum);
                if (remaining > 0) step = Math.Max(Math.Min(step, remaining), minimum);
                size = buffered + step;
            }
            if (size > _limits.MaxBufferedBytes)
            {
                // The read size is only a hint: grow to the limit and read less. It is an error only
                // once the limit is buffered and the reply is still incomplete.
                if (buffered >= _limits.MaxBufferedBytes)
                {
                    throw RespScanner.Error($"the reply needs more than the limit of {_limits.MaxBufferedBytes} buffered bytes");
                }
                size = _limits.MaxBufferedBytes;
            }
            Grow((int)Math.Min(size, Array.MaxLength), buffered);
        }
        _start = 0;
        _end = buffered;
        return _buffer.AsMemory(_end);
    }

    // Moves the buffered bytes into a buffer of at least `size` bytes. Up to RetainedCapacity the
    // buffer comes from the shared pool (cheap to reuse, bounded in size); beyond it, it is allocated
    // at the exact size and never pooled: a pooled huge array would stay alive in the pool (in the
    // reading thread's slot, for as long as that thread lives) after the reply that needed it, and
    // the pool's power-of-two rounding would double it. An outgrown buffer is released at once: a
    // pooled one goes back to the pool, a large one is dropped for the GC.
    private void Grow(int size, int buffered)
    {
        byte[] bigger = size <= RetainedCapacity ? ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);
        _buffer.AsSpan(_start, buffered).CopyTo(bigger);
        Release(_buffer);
        _buffer = bigger;
    }

    // Pool-rented buffers are at most RetainedCapacity long; larger ones were allocated unpooled.
    private static void Release(byte[] buffer)
    {
        if (buffer.Length > 0 && buffer.Length <= RetainedCapacity) ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>Records that <paramref name="count"/> bytes were written into the last <see cref="GetFillBuffer"/>.</summary>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _buffer.Length - _end) throw new ArgumentOutOfRangeException(nameof(count));
        _end += count;
    }

    /// <summary>Copies <paramref name="data"/> into the buffer (for tests and in-memory sources).</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            Span<byte> free = GetFillBuffer(data.Length).Span;
            int n = Math.Min(free.Length, data.Length);
            data[..n].CopyTo(free);
            Advance(n);
            data = data[n..];
        }
    }

    /// <summary>
    /// True when a complete reply is buffered; <paramref name="frame"/> then holds its bytes, valid
    /// until <see cref="Consume"/> (which the caller must call with <c>frame.Length</c>) or the next fill.
    /// Malformed input throws <see cref="RedisProtocolException"/>.
    /// </summary>
    public bool TryReadFrame(out ReadOnlySpan<byte> frame)
    {
        if (_frameLength < 0)
        {
            if (!_scanner.TryScan(_buffer.AsSpan(_start, _end - _start), out int length))
            {
                frame = default;
                return false;
            }
            _frameLength = length;
        }
        frame = _buffer.AsSpan(_start, _frameLength);
        return true;
    }

    /// <summary>Drops the reply returned by <see cref="TryReadFrame"/>.</summary>
    public void Consume(int length)
    {
        if (length != _frameLength) throw new InvalidOperationException("Consume must be given the length of the frame just read.");
        _frameLength = -1;
        _start += length;
        if (_start == _end)
        {
            _start = _end = 0;
            if (_buffer.Length > RetainedCapacity)
            {
                // A large reply is done: drop its buffer (never pooled, see Grow) and start small again.
                _buffer = ArrayPool<byte>.Shared.Rent(_initialCapacity);
            }
        }
    }

    /// <summary>Reads a complete reply as an object tree (see <see cref="RespReader.ReadObject"/>), if one is buffered.</summary>
    public bool TryReadObject(out object? reply)
    {
        if (!TryReadFrame(out ReadOnlySpan<byte> frame))
        {
            reply = null;
            return false;
        }
        var reader = new RespReader(frame);
        reply = reader.ReadObject();
        Consume(frame.Length);
        return true;
    }

    /// <summary>Forgets all buffered bytes and any partial scan.</summary>
    public void Clear()
    {
        _start = _end = 0;
        _frameLength = -1;
        _scanner.Reset();
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _start = _end = 0;
        Release(buffer);
    }
}
