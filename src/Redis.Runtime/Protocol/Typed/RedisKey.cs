using System.Runtime.InteropServices;
using System.Text;

namespace Redis;

/// <summary>
/// A key argument: text or bytes, converted implicitly from <see cref="string"/>,
/// <see cref="byte"/>[] and <see cref="ReadOnlyMemory{T}"/>. A value type, written straight into
/// the command buffer. Kept apart from <see cref="RedisValue"/> so that key positions are known
/// (cluster slots, key prefixes) and a number cannot be passed where a key is meant by accident.
/// </summary>
public readonly struct RedisKey : IEquatable<RedisKey>
{
    private readonly object? _object; // string or byte[]
    private readonly long _segment;   // offset << 32 | length for byte[]

    private RedisKey(object value, long segment)
    {
        _object = value;
        _segment = segment;
    }

    /// <summary>A key from text (sent as UTF-8).</summary>
    public static implicit operator RedisKey(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(value, 0);
    }

    /// <summary>A key from bytes.</summary>
    public static implicit operator RedisKey(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(value, value.Length);
    }

    /// <summary>A key from bytes (copied once if the memory is not backed by an array).</summary>
    public static implicit operator RedisKey(ReadOnlyMemory<byte> value)
    {
        if (MemoryMarshal.TryGetArray(value, out ArraySegment<byte> segment) && segment.Array is not null)
        {
            return new(segment.Array, ((long)segment.Offset << 32) | (uint)segment.Count);
        }
        return value.ToArray();
    }

    /// <summary>Writes the key as one bulk string. A default (unset) key is an error.</summary>
    public void WriteTo(RespWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (_object)
        {
            case string s: writer.WriteBulkString(s); break;
            case byte[]: writer.WriteBulkString(Span); break;
            default: throw new InvalidOperationException("A default RedisKey has no value.");
        }
    }

    private ReadOnlySpan<byte> Span => ((byte[])_object!).AsSpan((int)(_segment >> 32), (int)(uint)_segment);

    /// <summary>The key's bytes (UTF-8 for text).</summary>
    public byte[] ToArray() => _object switch
    {
        string s => Encoding.UTF8.GetBytes(s),
        byte[] => Span.ToArray(),
        _ => [],
    };

    /// <summary>The key as text (bytes decoded as UTF-8).</summary>
    public override string ToString() => _object switch
    {
        string s => s,
        byte[] => Encoding.UTF8.GetString(Span),
        _ => string.Empty,
    };

    /// <summary>Keys are equal when their bytes are.</summary>
    public bool Equals(RedisKey other) => _object is string a && other._object is string b
        ? string.Equals(a, b, StringComparison.Ordinal)
        : ToArray().AsSpan().SequenceEqual(other.ToArray());

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RedisKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(ToArray());
        return hash.ToHashCode();
    }

    /// <summary>Equality of the key bytes.</summary>
    public static bool operator ==(RedisKey left, RedisKey right) => left.Equals(right);

    /// <summary>Inequality of the key bytes.</summary>
    public static bool operator !=(RedisKey left, RedisKey right) => !left.Equals(right);
}
