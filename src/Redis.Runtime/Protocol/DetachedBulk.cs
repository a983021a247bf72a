using System.Buffers;

namespace Redis;

/// <summary>
/// The payload of a large bulk-string reply that <see cref="RespDecoder"/> reads outside its buffer,
/// straight from the transport into the array that becomes the result (see <see cref="BulkTarget"/>).
/// One instance per decoder, reused; <see cref="RespReader"/> hands its array over at most once.
/// </summary>
internal sealed class DetachedBulk
{
    /// <summary>The reply's header (<c>$&lt;length&gt;\r\n</c>), at most 13 bytes.</summary>
    public readonly byte[] Header = new byte[16];

    public int HeaderLength;
    public byte[]? Array;
    public int Length;
    public int Filled;
    public bool Pooled;
    public bool Taken;

    public ReadOnlySpan<byte> Payload => Array.AsSpan(0, Length);

    /// <summary>The payload as a <c>byte[]</c> result: the array itself the first time when it has the exact length, else a copy.</summary>
    public byte[] TakeArray()
    {
        if (!Pooled && !Taken)
        {
            Taken = true;
            return Array!;
        }
        return Payload.ToArray();
    }

    /// <summary>The payload as a lease: the pooled array itself the first time, else a pooled copy.</summary>
    public RedisLease TakeLease()
    {
        if (Pooled && !Taken)
        {
            Taken = true;
            return RedisLease.Own(Array!, Length);
        }
        return RedisLease.Copy(Payload);
    }

    /// <summary>The reply was consumed: a pooled array nobody took goes back to the pool; the reference is dropped.</summary>
    public void Release()
    {
        if (Pooled && !Taken && Array is { Length: > 0 } array) ArrayPool<byte>.Shared.Return(array);
        Array = null;
        Length = Filled = HeaderLength = 0;
        Pooled = Taken = false;
    }
}
