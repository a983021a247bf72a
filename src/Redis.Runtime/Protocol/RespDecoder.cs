using System.Buffers;

namespace Redis;

/// <summary>
/// Buffers bytes as they arrive and hands out complete replies. It knows nothing of sockets: the
/// owner reads into <see cref="GetFillBuffer"/>, reports the count with <see cref="Advance"/>, and
/// takes replies with <see cref="TryReadFrame"/> or <see cref="TryReadObject"/>. Each byte is
/// scanned once however the replies are split across reads.
/// </summary>
/// <remarks>
/// <para>The buffer grows with the bytes that actually arrive (never by a length the server announces),
/// up to <see cref="RespLimits.MaxBufferedBytes"/>. Up to 1 MB it is rented from <see cref="ArrayPool{T}.Shared"/>;
/// beyond that it is allocated at 1.5 times the bytes buffered (or the exact size a bulk still needs) and
/// never pooled, and a buffer it outgrows is released at once, so the memory it holds stays within
/// about 1.5 times the bytes received (2.5 times for the moment of a copy).</para>
/// <para>Retention: a buffer grown beyond 1 MB is kept for the replies that follow (a connection that reads
/// one large reply usually reads more), but bounded and decaying: never beyond 16 MB, and given up (back to
/// the initial size) once 64 replies in a row needed less than a quarter of it.</para>
/// <para>Large bulk strings: the owner of a connection may ask (internally, per reply) for a reply that is
/// exactly one bulk string of 32 KB to 16 MB to be read outside the buffer. Once its header has arrived,
/// the payload already buffered is copied once into the array that becomes the result (an array of the exact
/// length for a <c>byte[]</c> result, or a pooled one for a <see cref="RedisLease"/>) and the rest is read
/// from the transport straight into it, so the payload is neither copied through the buffer nor grows it.
/// That array is allocated when the header arrives, ahead of the payload: the 16 MB bound caps what a
/// hostile length can make a connection allocate before the data is there (a longer bulk takes the
/// buffer path, which grows only with the bytes received). The limits apply unchanged: a bulk longer than
/// <see cref="RespLimits.MaxBulkLength"/> or <see cref="RespLimits.MaxBufferedBytes"/> is refused when its
/// header is scanned, and a payload not followed by <c>\r\n</c> is a <see cref="RedisProtocolException"/>.</para>
/// <para>RESP3 streamed replies (a string <c>$?</c> sent in <c>;</c> chunks, an aggregate <c>*?</c>, <c>~?</c>,
/// <c>%?</c> or <c>|?</c> ended by <c>.</c>) are validated under the same limits as counted ones (a streamed
/// string's total length against <see cref="RespLimits.MaxBulkLength"/>, a streamed aggregate's elements against
/// <see cref="RespLimits.MaxAggregateLength"/>, and each streamed aggregate is a level of
/// <see cref="RespLimits.MaxDepth"/>) and handed out by <see cref="TryReadFrame"/> in their counted form, so they
/// read exactly as the counted replies with the same content.</para>
/// </remarks>
public sealed class RespDecoder : IDisposable
{
    private const int RetainedCapacity = 1024 * 1024;
    private const int MinGrowthStep = 64 * 1024;

    /// <summary>The largest buffer kept after the reply that grew it.</summary>
    internal const int MaxRetainedCapacity = 16 * 1024 * 1024;

    /// <summary>Replies in a row that each needed under a quarter of a large retained buffer before it is given up.</summary>
    internal const int RetentionDecayReplies = 64;

    /// <summary>The shortest bulk payload read outside the buffer (shorter ones cost less to copy than an extra read).</summary>
    internal const int DirectBulkMinLength = 32 * 1024;

    /// <summary>The longest bulk payload read outside the buffer (its array is allocated when the header arrives).</summary>
    internal const int DirectBulkMaxLength = 16 * 1024 * 1024;

    private readonly RespScanner _scanner;
    private readonly RespLimits _limits;
    private readonly int _initialCapacity;
    private byte[] _buffer;
    private int _start;   // first byte of the unconsumed data
    private int _end;     // one past the last buffered byte
    private int _frameLength = -1;
    private int _smallReplies;             // replies in a row that needed under a quarter of a large buffer
    private DetachedBulk? _bulk;           // reused holder of a bulk read outside the buffer
    private bool _bulkActive;              // the reply being read is _bulk
    private byte[]? _counted;              // the counted form of a reply with RESP3 streamed parts (see StreamedReply)
    private int _countedLength;

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
        if (_bulkActive && _bulk!.Filled < _bulk.Length) return _bulk.Array.AsMemory(_bulk.Filled, _bulk.Length - _bulk.Filled);
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
        if (_bulkActive && _bulk!.Filled < _bulk.Length)
        {
            if (count > _bulk.Length - _bulk.Filled) throw new ArgumentOutOfRangeException(nameof(count));
            _bulk.Filled += count;
            return;
        }
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
        if (_bulkActive) return TryReadDetachedFrame(out frame);
        if (_frameLength < 0)
        {
            if (!_scanner.TryScan(_buffer.AsSpan(_start, _end - _start), out int length))
            {
                frame = default;
                return false;
            }
            _frameLength = length;
            if (_scanner.HasStreamedParts) RewriteStreamed();
        }
        frame = _counted is null ? _buffer.AsSpan(_start, _frameLength) : _counted.AsSpan(0, _countedLength);
        return true;
    }

    // A reply with streamed parts is handed out in its counted form (a copy), so every reader downstream
    // sees one encoding; the copy lives until Consume. Streamed replies are rare: the usual reply pays
    // one check of the scanner's list of streamed sizes.
    private void RewriteStreamed()
    {
        ReadOnlySpan<int> sizes = _scanner.StreamedSizes;
        long max = StreamedReply.MaxLength(_frameLength, sizes.Length);
        if (max > Array.MaxLength) throw RespScanner.Error("a streamed reply too long to rewrite");
        byte[] counted = max <= RetainedCapacity ? ArrayPool<byte>.Shared.Rent((int)max) : GC.AllocateUninitializedArray<byte>((int)max);
        _countedLength = StreamedReply.Normalize(_buffer.AsSpan(_start, _frameLength), sizes, counted);
        _counted = counted;
    }

    private void ReleaseCounted()
    {
        if (_counted is null) return;
        Release(_counted);
        _counted = null;
    }

    /// <summary>Drops the reply returned by <see cref="TryReadFrame"/>.</summary>
    public void Consume(int length)
    {
        if (length != (_counted is null ? _frameLength : _countedLength)) throw new InvalidOperationException("Consume must be given the length of the frame just read.");
        length = _frameLength;
        _frameLength = -1;
        ReleaseCounted();
        if (_bulkActive)
        {
            // The payload was read outside the buffer; only its trailing \r\n is in it.
            _bulkActive = false;
            _bulk!.Release();
            _start += 2;
        }
        else
        {
            _start += length;
        }
        if (_buffer.Length > RetainedCapacity)
        {
            if (length >= _buffer.Length / 4) _smallReplies = 0;
            else _smallReplies++;
        }
        if (_start == _end)
        {
            _start = _end = 0;
            if (_buffer.Length > MaxRetainedCapacity || (_buffer.Length > RetainedCapacity && _smallReplies >= RetentionDecayReplies))
            {
                // Large replies stopped (or this one was too large to keep): drop the buffer (never pooled, see Grow) and start small again.
                _buffer = ArrayPool<byte>.Shared.Rent(_initialCapacity);
                _smallReplies = 0;
            }
        }
    }

    /// <summary>
    /// True when the reply being read is one bulk string whose header has arrived and whose payload
    /// (of a length worth reading outside the buffer) has not: <see cref="DetachPendingBulk"/> may move it.
    /// </summary>
    internal bool HasPendingBulk
    {
        get
        {
            if (_bulkActive || _frameLength >= 0) return false;
            int length = _scanner.PendingBulkLength;
            return length >= DirectBulkMinLength && length <= DirectBulkMaxLength;
        }
    }

    /// <summary>The bulk the current reply is read into outside the buffer, if any (for <see cref="CreateReader"/>).</summary>
    internal DetachedBulk? CurrentBulk => _bulkActive ? _bulk : null;

    /// <summary>
    /// Reads the rest of the pending bulk (see <see cref="HasPendingBulk"/>) outside the buffer: into an array
    /// of its exact length or a pooled one. The payload already buffered is copied there once; the following
    /// <see cref="GetFillBuffer"/> calls return the rest of that array until it is full. No-op for
    /// <see cref="BulkTarget.Buffer"/> or when there is no pending bulk.
    /// </summary>
    internal void DetachPendingBulk(BulkTarget target)
    {
        if (target == BulkTarget.Buffer || !HasPendingBulk) return;
        int length = _scanner.PendingBulkLength;
        int offset = _scanner.PendingBulkOffset;
        DetachedBulk bulk = _bulk ??= new DetachedBulk();
        bulk.Pooled = target == BulkTarget.Pooled;
        bulk.Taken = false;
        bulk.Array = bulk.Pooled ? ArrayPool<byte>.Shared.Rent(length) : GC.AllocateUninitializedArray<byte>(length);
        bulk.Length = length;
        _buffer.AsSpan(_start, offset).CopyTo(bulk.Header);
        bulk.HeaderLength = offset;
        int available = Math.Min(_end - _start - offset, length);
        _buffer.AsSpan(_start + offset, available).CopyTo(bulk.Array);
        bulk.Filled = available;
        _start += offset + available;
        if (_start == _end) _start = _end = 0;
        _scanner.Reset();
        _bulkActive = true;
    }

    /// <summary>A reader over <paramref name="frame"/> (from <see cref="TryReadFrame"/>), with the payload of a bulk read outside the buffer.</summary>
    internal RespReader CreateReader(ReadOnlySpan<byte> frame) => new(frame, _bulkActive ? _bulk : null);

    // A detached bulk is complete once its payload is filled and "\r\n" follows in the buffer; the frame
    // handed out is its header, and CreateReader joins the payload to it.
    private bool TryReadDetachedFrame(out ReadOnlySpan<byte> frame)
    {
        DetachedBulk bulk = _bulk!;
        if (bulk.Filled < bulk.Length || _end - _start < 2)
        {
            frame = default;
            return false;
        }
        if (_buffer[_start] != (byte)'\r' || _buffer[_start + 1] != (byte)'\n')
        {
            throw RespScanner.Error("bad bulk string format (payload not followed by \\r\\n)");
        }
        _frameLength = bulk.HeaderLength;
        frame = bulk.Header.AsSpan(0, bulk.HeaderLength);
        return true;
    }

    /// <summary>Reads a complete reply as an object tree (see <see cref="RespReader.ReadObject"/>), if one is buffered.</summary>
    public bool TryReadObject(out object? reply)
    {
        if (!TryReadFrame(out ReadOnlySpan<byte> frame))
        {
            reply = null;
            return false;
        }
        RespReader reader = CreateReader(frame);
        reply = reader.ReadObject();
        Consume(frame.Length);
        return true;
    }

    /// <summary>Forgets all buffered bytes and any partial scan.</summary>
    public void Clear()
    {
        if (_bulkActive)
        {
            _bulkActive = false;
            _bulk!.Release();
        }
        _start = _end = 0;
        _frameLength = -1;
        ReleaseCounted();
        _scanner.Reset();
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        if (_bulkActive)
        {
            _bulkActive = false;
            _bulk!.Release();
        }
        ReleaseCounted();
        byte[] buffer = _buffer;
        _buffer = [];
        _start = _end = 0;
        Release(buffer);
    }
}
