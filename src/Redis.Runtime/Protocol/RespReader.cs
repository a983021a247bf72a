using System.Globalization;
using System.Numerics;
using System.Text;

namespace Redis;

/// <summary>
/// Reads values from complete, validated replies (as <see cref="RespDecoder"/> hands them out)
/// either as an object tree (<see cref="ReadObject"/>) or straight into typed values
/// (<see cref="ReadInt64"/>, <see cref="ReadString"/>, <see cref="ReadAggregateHeader"/>...) without
/// boxing or building a tree. Attributes are skipped. An error reply read by a typed method is
/// thrown as <see cref="RedisServerException"/>. Scalars convert by the rules of <see cref="ScalarRules"/>,
/// the same as the <see cref="Reply"/> helpers'. RESP3 streamed replies reach it in their counted form
/// (<see cref="RespDecoder"/> rewrites them), so it reads only counted headers.
/// </summary>
public ref struct RespReader
{
    private static readonly object BoxedTrue = true;
    private static readonly object BoxedFalse = false;

    private readonly ReadOnlySpan<byte> _buffer;
    private readonly DetachedBulk? _detached;   // the payload of a bulk read outside the buffer (the frame is its header)
    private int _position;

    /// <summary>Reads from <paramref name="buffer"/>, which holds one or more complete replies.</summary>
    public RespReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _detached = null;
        _position = 0;
    }

    /// <summary>Reads a bulk reply whose header is <paramref name="header"/> and whose payload is <paramref name="detached"/> (when not null).</summary>
    internal RespReader(ReadOnlySpan<byte> header, DetachedBulk? detached)
    {
        _buffer = header;
        _detached = detached;
        _position = 0;
    }

    /// <summary>The offset of the next unread byte.</summary>
    public readonly int Position => _position;

    /// <summary>True when every byte has been read.</summary>
    public readonly bool End => _position >= _buffer.Length;

    /// <summary>The type of the next value (after any attribute, which is skipped).</summary>
    public RespType PeekType()
    {
        SkipAttributes();
        if (_position >= _buffer.Length) throw RespScanner.Error("read past the end of the reply");
        return (RespType)_buffer[_position];
    }

    /// <summary>True (and the value consumed) when the next value is nil: RESP2 null bulk or array, or RESP3 null.</summary>
    public bool TryReadNull()
    {
        RespType type = PeekType();
        int save = _position;
        if (type == RespType.Null) { ReadLine(); return true; }
        if (type is RespType.BulkString or RespType.Array)
        {
            ReadOnlySpan<byte> line = ReadLine();
            if (line.Length == 2 && line[0] == (byte)'-' && line[1] == (byte)'1') return true;
            _position = save;
        }
        return false;
    }

    /// <summary>Reads the next value as the object tree <see cref="IConn.Receive"/> returns; error replies become <see cref="RedisServerException"/> values.</summary>
    public object? ReadObject()
    {
        RespType type = PeekType();
        ReadOnlySpan<byte> line = ReadLine();
        switch (type)
        {
            case RespType.SimpleString:
                if (line.SequenceEqual("OK"u8)) return "OK";
                if (line.SequenceEqual("PONG"u8)) return "PONG";
                if (line.SequenceEqual("QUEUED"u8)) return "QUEUED";
                return Encoding.UTF8.GetString(line);
            case RespType.SimpleError:
                return new RedisServerException(Encoding.UTF8.GetString(line));
            case RespType.Integer:
                return RespScanner.ParseInteger(line);
            case RespType.BulkString:
            {
                int len = (int)RespScanner.ParseLength(line, allowNull: true);
                if (len < 0) return null;
                return IsDetachedPayload(len) ? TakeDetached(len).TakeArray() : ReadPayload(len).ToArray();
            }
            case RespType.BulkError:
                return new RedisServerException(Encoding.UTF8.GetString(ReadPayload((int)RespScanner.ParseLength(line, false))));
            case RespType.VerbatimString:
                return Encoding.UTF8.GetString(ReadPayload((int)RespScanner.ParseLength(line, false))[4..]);
            case RespType.Null:
                return null;
            case RespType.Double:
                return RespScanner.ParseDouble(line);
            case RespType.Boolean:
                return line[0] == (byte)'t' ? BoxedTrue : BoxedFalse;
            case RespType.BigNumber:
                return ScalarRules.ParseBigNumber(line);
            case RespType.Array:
            case RespType.Set:
            {
                int count = (int)RespScanner.ParseLength(line, allowNull: type == RespType.Array);
                return count < 0 ? null : ReadElements(count);
            }
            case RespType.Push:
                return new RedisPush(ReadElements((int)RespScanner.ParseLength(line, false)));
            case RespType.Map:
            {
                int count = (int)RespScanner.ParseLength(line, false);
                var pairs = count == 0 ? [] : new KeyValuePair<object?, object?>[count];
                for (int i = 0; i < count; i++)
                {
                    object? key = ReadObject();
                    pairs[i] = new KeyValuePair<object?, object?>(key, ReadObject());
                }
                return pairs;
            }
            default:
                throw RespScanner.Error($"unexpected reply type byte 0x{(byte)type:x2}");
        }
    }

    private object?[] ReadElements(int count)
    {
        if (count == 0) return [];
        var values = new object?[count];
        for (int i = 0; i < values.Length; i++) values[i] = ReadObject();
        return values;
    }

    /// <summary>
    /// Reads an integer by the rules of <see cref="ScalarRules"/> (the same as <see cref="Reply.Int64"/>): an
    /// integer reply, text of an optionally signed integer, an integral RESP3 double, a RESP3 boolean (1/0)
    /// or a big number in range. Nil throws <see cref="RedisNilException"/>; any other value a <see cref="RedisException"/>.
    /// </summary>
    public long ReadInt64()
    {
        RespType type = PeekType();
        switch (type)
        {
            case RespType.Integer:
                return RespScanner.ParseInteger(ReadLine());
            case RespType.Boolean:
                return ReadLine()[0] == (byte)'t' ? 1 : 0;
            case RespType.Double:
            {
                double d = RespScanner.ParseDouble(ReadLine());
                ScalarRules.Fault fault = ScalarRules.TryToInt64(d, out long value);
                return fault == ScalarRules.Fault.None ? value : throw Mismatch(fault, "an integer", ScalarRules.FormatDouble(d));
            }
            case RespType.BigNumber:
            {
                ReadOnlySpan<byte> line = ReadLine();
                ScalarRules.Fault fault = ScalarRules.TryToInt64(ScalarRules.ParseBigNumber(line), out long value);
                return fault == ScalarRules.Fault.None ? value : throw Mismatch(fault, "an integer", line);
            }
            default:
            {
                ReadOnlySpan<byte> text = ReadTextOrThrow(type, "an integer", out bool isNull);
                if (isNull) throw new RedisNilException();
                ScalarRules.Fault fault = ScalarRules.TryParseInt64(text, out long value);
                return fault == ScalarRules.Fault.None ? value : throw Mismatch(fault, "an integer", text);
            }
        }
    }

    /// <summary>Reads an unsigned integer by the rules of <see cref="ScalarRules"/> (as <see cref="Reply.UInt64"/>; a negative value is out of range).</summary>
    internal ulong ReadUInt64()
    {
        RespType type = PeekType();
        switch (type)
        {
            case RespType.Double:
            {
                double d = RespScanner.ParseDouble(ReadLine());
                ScalarRules.Fault fault = ScalarRules.TryToUInt64(d, out ulong value);
                return fault == ScalarRules.Fault.None ? value : throw Mismatch(fault, "an integer", ScalarRules.FormatDouble(d));
            }
            case RespType.BigNumber:
            {
                ReadOnlySpan<byte> line = ReadLine();
                BigInteger big = ScalarRules.ParseBigNumber(line);
                return big.Sign >= 0 && big <= ulong.MaxValue ? (ulong)big : throw Mismatch(ScalarRules.Fault.Range, "an integer", line);
            }
            case RespType.Integer:
            case RespType.Boolean:
            {
                int save = _position;
                long value = ReadInt64();
                if (value >= 0) return (ulong)value;
                _position = save;
                throw Mismatch(ScalarRules.Fault.Range, "an integer", ReadLine());
            }
            default:
            {
                ReadOnlySpan<byte> text = ReadTextOrThrow(type, "an integer", out bool isNull);
                if (isNull) throw new RedisNilException();
                ScalarRules.Fault fault = ScalarRules.TryParseUInt64(text, out ulong value);
                return fault == ScalarRules.Fault.None ? value : throw Mismatch(fault, "an integer", text);
            }
        }
    }

    /// <summary>
    /// Reads a double by the rules of <see cref="ScalarRules"/> (the same as <see cref="Reply.Double"/>): a RESP3
    /// double, an integer, a RESP3 boolean (1/0), a big number, or text of a decimal number or of
    /// <c>inf</c>, <c>infinity</c>, <c>nan</c> in any case with an optional sign. Nil throws <see cref="RedisNilException"/>.
    /// </summary>
    public double ReadDouble()
    {
        RespType type = PeekType();
        switch (type)
        {
            case RespType.Double:
                return RespScanner.ParseDouble(ReadLine());
            case RespType.Integer:
                return RespScanner.ParseInteger(ReadLine());
            case RespType.Boolean:
                return ReadLine()[0] == (byte)'t' ? 1 : 0;
            case RespType.BigNumber:
            {
                ReadOnlySpan<byte> line = ReadLine();
                ScalarRules.Fault fault = ScalarRules.TryToDouble(ScalarRules.ParseBigNumber(line), out double value);
                return fault == ScalarRules.Fault.None ? value : throw Mismatch(fault, "a number", line);
            }
            default:
            {
                ReadOnlySpan<byte> text = ReadTextOrThrow(type, "a double", out bool isNull);
                if (isNull) throw new RedisNilException();
                ScalarRules.Fault fault = ScalarRules.TryParseDouble(text, out double value);
                return fault == ScalarRules.Fault.None ? value : throw Mismatch(fault, "a number", text);
            }
        }
    }

    /// <summary>
    /// Reads a boolean by the rules of <see cref="ScalarRules"/> (the same as <see cref="Reply.Bool"/>): a RESP3
    /// boolean, an integer or big number (true when not 0), or text <c>1 t T true TRUE True OK</c> /
    /// <c>0 f F false FALSE False</c>. Nil throws <see cref="RedisNilException"/>.
    /// </summary>
    public bool ReadBoolean()
    {
        RespType type = PeekType();
        switch (type)
        {
            case RespType.Boolean:
                return ReadLine()[0] == (byte)'t';
            case RespType.Integer:
                return RespScanner.ParseInteger(ReadLine()) != 0;
            case RespType.BigNumber:
                return !ScalarRules.ParseBigNumber(ReadLine()).IsZero;
            default:
                ReadOnlySpan<byte> text = ReadTextOrThrow(type, "a boolean", out bool isNull);
                if (isNull) throw new RedisNilException();
                ScalarRules.Fault fault = ScalarRules.TryParseBoolean(text, out bool value);
                return fault == ScalarRules.Fault.None ? value : throw Mismatch(fault, "a boolean", text);
        }
    }

    /// <summary>
    /// Reads a bulk, simple or verbatim string as UTF-8 text; an integer, double, big number or RESP3 boolean
    /// is formatted by the rules of <see cref="ScalarRules"/> (the same as <see cref="Reply.String"/>); nil gives <see langword="null"/>.
    /// </summary>
    public string? ReadString()
    {
        RespType type = PeekType();
        switch (type)
        {
            case RespType.Integer:
                return RespScanner.ParseInteger(ReadLine()).ToString(CultureInfo.InvariantCulture);
            case RespType.Double:
                return ScalarRules.FormatDouble(RespScanner.ParseDouble(ReadLine()));
            case RespType.BigNumber:
                return ScalarRules.ParseBigNumber(ReadLine()).ToString(CultureInfo.InvariantCulture);
            case RespType.Boolean:
                return ScalarRules.FormatBoolean(ReadLine()[0] == (byte)'t');
            case RespType.SimpleString:
            {
                ReadOnlySpan<byte> line = ReadLine();
                return line.SequenceEqual("OK"u8) ? "OK" : Encoding.UTF8.GetString(line);
            }
            default:
            {
                ReadOnlySpan<byte> text = ReadTextOrThrow(type, "a string", out bool isNull);
                return isNull ? null : Encoding.UTF8.GetString(text);
            }
        }
    }

    /// <summary>Reads a string as a new byte array (a number or boolean as the UTF-8 of <see cref="ReadString"/>); nil gives <see langword="null"/>.</summary>
    public byte[]? ReadBytes()
    {
        if (_detached is not null && TryTakeDetachedBulk(out DetachedBulk? bulk)) return bulk.TakeArray();
        RespType type = PeekType();
        if (IsNonTextScalar(type)) return Encoding.UTF8.GetBytes(ReadString()!);
        ReadOnlySpan<byte> text = ReadTextOrThrow(type, "bytes", out bool isNull);
        return isNull ? null : text.ToArray();
    }

    /// <summary>
    /// Reads a string into a <see cref="RedisLease"/> (an array rented from the shared pool; the caller
    /// disposes it); a number or boolean as the UTF-8 of <see cref="ReadString"/>; nil gives <see langword="null"/>.
    /// A large bulk that the connection read straight into a pooled array is handed over without a copy.
    /// </summary>
    public RedisLease? ReadLease()
    {
        if (_detached is not null && TryTakeDetachedBulk(out DetachedBulk? bulk)) return bulk.TakeLease();
        RespType type = PeekType();
        if (IsNonTextScalar(type)) return RedisLease.Copy(Encoding.UTF8.GetBytes(ReadString()!));
        ReadOnlySpan<byte> text = ReadTextOrThrow(type, "bytes", out bool isNull);
        return isNull ? null : RedisLease.Copy(text);
    }

    private static bool IsNonTextScalar(RespType type)
        => type is RespType.Integer or RespType.Double or RespType.BigNumber or RespType.Boolean;

    private static RedisException Mismatch(ScalarRules.Fault fault, string wanted, ReadOnlySpan<byte> text)
        => new($"The reply {ScalarRules.Explain(fault, wanted, text)}.");

    private static RedisException Mismatch(ScalarRules.Fault fault, string wanted, string shown)
        => new($"The reply {ScalarRules.Explain(fault, wanted, shown)}.");

    // The next value is the bulk whose payload was read outside the buffer: consume its header and return it.
    private bool TryTakeDetachedBulk([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DetachedBulk? bulk)
    {
        bulk = null;
        if (PeekType() != RespType.BulkString) return false;
        int save = _position;
        int len = (int)RespScanner.ParseLength(ReadLine(), allowNull: true);
        if (len >= 0 && IsDetachedPayload(len))
        {
            bulk = TakeDetached(len);
            return true;
        }
        _position = save;
        return false;
    }

    // True when a payload of `length` bytes at the position is the one read outside the buffer.
    private readonly bool IsDetachedPayload(int length)
        => _detached is { } bulk && _position == _buffer.Length && length == bulk.Length && bulk.Array is not null;

    private DetachedBulk TakeDetached(int length)
    {
        _position += length + 2;
        return _detached!;
    }

    /// <summary>
    /// Reads a bulk, simple or verbatim string without copying: the span points into the reply
    /// buffer and is valid only until the connection reads again. Returns false for nil.
    /// </summary>
    public bool TryReadBulkSpan(out ReadOnlySpan<byte> value)
    {
        value = ReadTextOrThrow(PeekType(), "bytes", out bool isNull);
        return !isNull;
    }

    /// <summary>
    /// Reads the header of an array, set, push or map and returns its element count (for a map,
    /// the number of key/value pairs; read 2 × count values after it), or -1 for a nil array.
    /// An error reply is thrown.
    /// </summary>
    public int ReadAggregateHeader(out RespType type)
    {
        type = PeekType();
        switch (type)
        {
            case RespType.Array:
            case RespType.Set:
            case RespType.Push:
            case RespType.Map:
                return (int)RespScanner.ParseLength(ReadLine(), allowNull: type == RespType.Array);
            case RespType.Null:
                ReadLine();
                return -1;
            case RespType.SimpleError:
            case RespType.BulkError:
                throw (RedisServerException)ReadObject()!;
            default:
                throw new RedisException($"Expected an aggregate reply, got {type}.");
        }
    }

    /// <summary>The bytes of the next value (aggregates included), and moves past it.</summary>
    internal ReadOnlySpan<byte> ReadRawValue()
    {
        int start = _position;
        Skip();
        if (_position > _buffer.Length && _detached?.Array is { } payload)
        {
            // The payload was read outside the buffer: join the header, payload and terminator again.
            byte[] joined = new byte[_buffer.Length - start + _detached.Length + 2];
            _buffer[start..].CopyTo(joined);
            payload.AsSpan(0, _detached.Length).CopyTo(joined.AsSpan(_buffer.Length - start));
            joined[^2] = (byte)'\r';
            joined[^1] = (byte)'\n';
            return joined;
        }
        return _buffer[start.._position];
    }

    /// <summary>Skips the next value, aggregates included.</summary>
    public void Skip()
    {
        // Iterative: the count of values still to skip replaces recursion.
        long toSkip = 1;
        while (toSkip > 0)
        {
            RespType type = (RespType)_buffer[_position];
            ReadOnlySpan<byte> line = ReadLine();
            toSkip--;
            switch (type)
            {
                case RespType.BulkString:
                case RespType.BulkError:
                case RespType.VerbatimString:
                {
                    int len = (int)RespScanner.ParseLength(line, allowNull: true);
                    if (len > 0) _position += len;
                    if (len >= 0) _position += 2;
                    break;
                }
                case RespType.Array:
                case RespType.Set:
                case RespType.Push:
                {
                    long count = RespScanner.ParseLength(line, allowNull: true);
                    if (count > 0) toSkip += count;
                    break;
                }
                case RespType.Map:
                    toSkip += 2 * RespScanner.ParseLength(line, false);
                    break;
                case RespType.Attribute:
                    toSkip += 2 * RespScanner.ParseLength(line, false) + 1;
                    break;
            }
        }
    }

    private void SkipAttributes()
    {
        while (_position < _buffer.Length && _buffer[_position] == (byte)RespType.Attribute)
        {
            ReadOnlySpan<byte> line = ReadLine();
            long pairs = RespScanner.ParseLength(line, false);
            for (long i = 0; i < 2 * pairs; i++) Skip();
        }
    }

    // The payload of a bulk, simple or verbatim string; errors are thrown.
    private ReadOnlySpan<byte> ReadTextOrThrow(RespType type, string wanted, out bool isNull)
    {
        isNull = false;
        switch (type)
        {
            case RespType.SimpleString:
                return ReadLine();
            case RespType.BulkString:
            {
                int len = (int)RespScanner.ParseLength(ReadLine(), allowNull: true);
                if (len < 0) { isNull = true; return default; }
                return ReadPayload(len);
            }
            case RespType.VerbatimString:
                return ReadPayload((int)RespScanner.ParseLength(ReadLine(), false))[4..];
            case RespType.Null:
                ReadLine();
                isNull = true;
                return default;
            case RespType.Array:
                if (TryReadNull()) { isNull = true; return default; }
                break;
            case RespType.SimpleError:
            case RespType.BulkError:
                throw (RedisServerException)ReadObject()!;
        }
        throw new RedisException($"Cannot read a {type} reply as {wanted}.");
    }

    private ReadOnlySpan<byte> ReadLine()
    {
        int start = _position + 1;
        int newline = _buffer[start..].IndexOf((byte)'\n');
        if (newline < 1) throw RespScanner.Error("incomplete reply line");
        _position = start + newline + 1;
        return _buffer.Slice(start, newline - 1);
    }

    private ReadOnlySpan<byte> ReadPayload(int length)
    {
        if (_position + length + 2 > _buffer.Length)
        {
            if (IsDetachedPayload(length)) return TakeDetached(length).Payload;
            throw RespScanner.Error("incomplete bulk string");
        }
        ReadOnlySpan<byte> payload = _buffer.Slice(_position, length);
        _position += length + 2;
        return payload;
    }
}
