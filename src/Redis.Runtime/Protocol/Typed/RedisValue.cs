using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Redis;

/// <summary>
/// A command argument of the spec's <c>string</c> kind: text, bytes or a number, converted
/// implicitly from <see cref="string"/>, <see cref="byte"/>[], <see cref="ReadOnlyMemory{T}"/>,
/// <see cref="long"/>, <see cref="int"/> and <see cref="double"/>. A value type, so passing one
/// allocates nothing; it is written straight into the command buffer.
/// </summary>
public readonly struct RedisValue : IEquatable<RedisValue>
{
    private enum Kind : byte { Null, Text, Bytes, Integer, Double }

    private readonly object? _object;  // string or byte[]
    private readonly long _bits;       // integer, double bits, or (offset << 32 | length) of a byte[] segment
    private readonly Kind _kind;

    private RedisValue(object? obj, long bits, Kind kind)
    {
        _object = obj;
        _bits = bits;
        _kind = kind;
    }

    /// <summary>The null value (written as an empty string, as redigo writes nil).</summary>
    public static RedisValue Null => default;

    /// <summary>True for <see cref="Null"/> (and a null string or array converted implicitly).</summary>
    public bool IsNull => _kind == Kind.Null;

    /// <summary>Text, sent as UTF-8.</summary>
    public static implicit operator RedisValue(string? value) => value is null ? default : new(value, 0, Kind.Text);

    /// <summary>Bytes, sent as is.</summary>
    public static implicit operator RedisValue(byte[]? value) => value is null ? default : new(value, value.Length, Kind.Bytes);

    /// <summary>Bytes, sent as is (copied once if the memory is not backed by an array).</summary>
    public static implicit operator RedisValue(ReadOnlyMemory<byte> value)
    {
        if (MemoryMarshal.TryGetArray(value, out ArraySegment<byte> segment) && segment.Array is not null)
        {
            return new(segment.Array, ((long)segment.Offset << 32) | (uint)segment.Count, Kind.Bytes);
        }
        return value.ToArray();
    }

    /// <summary>An integer, sent in decimal.</summary>
    public static implicit operator RedisValue(long value) => new(null, value, Kind.Integer);

    /// <summary>An integer, sent in decimal.</summary>
    public static implicit operator RedisValue(int value) => new(null, value, Kind.Integer);

    /// <summary>A double, sent in its shortest round-trip form (<c>inf</c>, <c>-inf</c> for infinities).</summary>
    public static implicit operator RedisValue(double value) => new(null, BitConverter.DoubleToInt64Bits(value), Kind.Double);

    /// <summary>Writes the value as one bulk string.</summary>
    public void WriteTo(RespWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (_kind)
        {
            case Kind.Null: writer.WriteBulkString(ReadOnlySpan<byte>.Empty); break;
            case Kind.Text: writer.WriteBulkString((string)_object!); break;
            case Kind.Bytes: writer.WriteBulkString(Span); break;
            case Kind.Integer: writer.WriteBulkString(_bits); break;
            default: writer.WriteBulkString(BitConverter.Int64BitsToDouble(_bits)); break;
        }
    }

    private ReadOnlySpan<byte> Span => ((byte[])_object!).AsSpan((int)(_bits >> 32), (int)(uint)_bits);

    /// <summary>The value as bytes (UTF-8 for text, decimal for numbers); null for <see cref="Null"/>.</summary>
    public byte[]? ToArray() => _kind switch
    {
        Kind.Null => null,
        Kind.Bytes => Span.ToArray(),
        _ => Encoding.UTF8.GetBytes(ToString()),
    };

    /// <summary>The value as text (bytes decoded as UTF-8); empty for <see cref="Null"/>.</summary>
    public override string ToString() => _kind switch
    {
        Kind.Null => string.Empty,
        Kind.Text => (string)_object!,
        Kind.Bytes => Encoding.UTF8.GetString(Span),
        Kind.Integer => _bits.ToString(CultureInfo.InvariantCulture),
        _ => FormatDouble(BitConverter.Int64BitsToDouble(_bits)),
    };

    private static string FormatDouble(double d) => double.IsPositiveInfinity(d) ? "inf"
        : double.IsNegativeInfinity(d) ? "-inf"
        : d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Values are equal when they send the same bytes (or are both null).</summary>
    public bool Equals(RedisValue other)
    {
        if (IsNull || other.IsNull) return IsNull == other.IsNull;
        if (_kind == other._kind && _kind is Kind.Integer or Kind.Double) return _bits == other._bits;
        return (ToArray() ?? []).AsSpan().SequenceEqual(other.ToArray() ?? []);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RedisValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(ToArray() ?? []);
        return hash.ToHashCode();
    }

    /// <summary>Equality of the bytes sent.</summary>
    public static bool operator ==(RedisValue left, RedisValue right) => left.Equals(right);

    /// <summary>Inequality of the bytes sent.</summary>
    public static bool operator !=(RedisValue left, RedisValue right) => !left.Equals(right);
}
