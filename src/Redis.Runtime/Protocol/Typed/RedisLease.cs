using System.Buffers;

namespace Redis;

/// <summary>
/// A bulk-string reply held in an array rented from <see cref="ArrayPool{T}.Shared"/>: the
/// zero-allocation way to read large values (<c>GetLease</c>, <c>DoLease</c>). Large replies are read
/// from the socket straight into the rented array, and neither the array nor the lease object is
/// allocated per call once the pools are warm.
/// </summary>
/// <remarks>
/// <para><b>Ownership.</b> The caller owns the lease and must dispose it (<c>using var lease = ...</c>).
/// <see cref="Memory"/> and <see cref="Span"/> are valid until then; afterwards they throw
/// <see cref="ObjectDisposedException"/>, and memory taken from them before must no longer be used
/// (the array serves another reply). The array goes back to the pool exactly once: disposing again,
/// or disposing a copy of this struct, does nothing. A lease that is never disposed is not a leak
/// (the garbage collector reclaims the array); it only misses the pool.</para>
/// <para><c>default(RedisLease)</c> is an empty lease (length 0) with nothing to return.</para>
/// </remarks>
public readonly struct RedisLease : IMemoryOwner<byte>
{
    private readonly Holder? _holder;
    private readonly int _token;

    private RedisLease(Holder holder, int token)
    {
        _holder = holder;
        _token = token;
    }

    /// <summary>The length of the value in bytes.</summary>
    public int Length => _holder is null ? 0 : Check().Length;

    /// <summary>The value (exactly <see cref="Length"/> bytes). Throws <see cref="ObjectDisposedException"/> once disposed.</summary>
    public Memory<byte> Memory => _holder is null ? Memory<byte>.Empty : Check().Array.AsMemory(0, _holder.Length);

    /// <summary>The value as a span. Throws <see cref="ObjectDisposedException"/> once disposed.</summary>
    public Span<byte> Span => _holder is null ? Span<byte>.Empty : Check().Array.AsSpan(0, _holder.Length);

    /// <summary>True once this lease was disposed (by this copy or another).</summary>
    public bool IsDisposed => _holder is not null && Volatile.Read(ref _holder.Token) != _token;

    /// <summary>A new array holding a copy of the value (for keeping it beyond the lease).</summary>
    public byte[] ToArray() => Span.ToArray();

    /// <summary>Returns the array to the pool; only the first call (of any copy of this lease) does.</summary>
    public void Dispose()
    {
        Holder? holder = _holder;
        if (holder is null || Interlocked.CompareExchange(ref holder.Token, unchecked(_token + 1), _token) != _token) return;
        byte[] array = holder.Array;
        holder.Array = [];
        holder.Length = 0;
        if (array.Length > 0) ArrayPool<byte>.Shared.Return(array);
        Holder.Return(holder);
    }

    /// <summary>Describes the lease (its length); never the value.</summary>
    public override string ToString() => IsDisposed ? "RedisLease(disposed)" : $"RedisLease({Length} bytes)";

    /// <summary>A lease that takes over <paramref name="rented"/> (rented from <see cref="ArrayPool{T}.Shared"/>).</summary>
    internal static RedisLease Own(byte[] rented, int length)
    {
        Holder holder = Holder.Rent();
        holder.Array = rented;
        holder.Length = length;
        return new RedisLease(holder, Volatile.Read(ref holder.Token));
    }

    /// <summary>A lease holding a pooled copy of <paramref name="value"/>.</summary>
    internal static RedisLease Copy(ReadOnlySpan<byte> value)
    {
        byte[] rented = value.IsEmpty ? [] : ArrayPool<byte>.Shared.Rent(value.Length);
        value.CopyTo(rented);
        return Own(rented, value.Length);
    }

    private Holder Check()
    {
        Holder holder = _holder!;
        if (Volatile.Read(ref holder.Token) != _token) throw new ObjectDisposedException(nameof(RedisLease), "The lease was disposed; its memory went back to the pool.");
        return holder;
    }

    // The lease's state, recycled through a small shared stack so a lease allocates nothing. Its token
    // changes on every dispose, so a stale copy of a lease can neither read nor return a later one's array.
    private sealed class Holder
    {
        private const int Capacity = 64;
        private static readonly Lock CacheLock = new();
        private static readonly Holder?[] Cache = new Holder?[Capacity];
        private static int s_count;

        public byte[] Array = [];
        public int Length;
        public int Token;

        public static Holder Rent()
        {
            lock (CacheLock)
            {
                if (s_count > 0)
                {
                    Holder holder = Cache[--s_count]!;
                    Cache[s_count] = null;
                    return holder;
                }
            }
            return new Holder();
        }

        public static void Return(Holder holder)
        {
            lock (CacheLock)
            {
                if (s_count < Capacity) Cache[s_count++] = holder;
            }
        }
    }
}
