using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Redis;

/// <summary>
/// Encodes commands as RESP arrays of bulk strings into a growable buffer. It knows nothing of
/// sockets: the connection writes <see cref="WrittenSpan"/> out and calls <see cref="Reset"/>.
/// Numbers are formatted straight into the buffer, so no argument costs a string allocation.
/// </summary>
/// <remarks>
/// The untyped entry point, <see cref="WriteCommand(string, ReadOnlySpan{object?})"/>, checks every
/// argument before it writes a byte, so an unsupported argument leaves the buffer (and the
/// connection) as it was. The typed methods (<see cref="WriteArrayHeader"/>,
/// <see cref="WriteBulkString(ReadOnlySpan{byte})"/> and its overloads) are for generated code that
/// already knows its argument types.
/// </remarks>
public sealed class RespWriter : IDisposable
{
    // Buffers that grew past this for one large value go back to the pool once written.
    private const int RetainedCapacity = 1024 * 1024;
    private const int MaxInt64Digits = 20;
    private const int MaxDoubleChars = 32;

    private readonly int _initialCapacity;
    private byte[] _buffer;
    private int _length;

    /// <summary>Creates a writer with a buffer of the given initial size.</summary>
    public RespWriter(int initialCapacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialCapacity, 64);
        _initialCapacity = initialCapacity;
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    /// <summary>The number of encoded bytes not yet taken by <see cref="Reset"/>.</summary>
    public int Length => _length;

    /// <summary>The encoded bytes.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>The encoded bytes as memory (valid until the next write or <see cref="Reset"/>).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    /// <summary>Forgets the encoded bytes (after they were written out), shrinking a buffer that grew for a large value.</summary>
    public void Reset()
    {
        _length = 0;
        if (_buffer.Length > RetainedCapacity)
        {
            byte[] large = _buffer;
            _buffer = ArrayPool<byte>.Shared.Rent(_initialCapacity);
            ArrayPool<byte>.Shared.Return(large);
        }
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>
    /// Encodes <c>command args...</c> as one RESP array. Every argument is checked first: an
    /// unsupported type throws <see cref="ArgumentException"/> and nothing is written.
    /// </summary>
    public void WriteCommand(string command, ReadOnlySpan<object?> args)
    {
        ArgumentNullException.ThrowIfNull(command);
        bool hasCustom = false;
        for (int i = 0; i < args.Length; i++)
        {
            object? arg = args[i];
            if (IsScalar(arg)) continue;
            if (arg is IRedisArg) { hasCustom = true; continue; }
            throw Unsupported(command, i, arg, string.Empty);
        }

        if (hasCustom)
        {
            WriteCommandResolvingCustom(command, args);
            return;
        }

        WriteArrayHeader(args.Length + 1);
        WriteBulkString(command);
        foreach (object? arg in args) WriteScalar(arg);
    }

    // IRedisArg.RedisArg() is called exactly once per argument, before anything is buffered.
    private void WriteCommandResolvingCustom(string command, ReadOnlySpan<object?> args)
    {
        object?[] resolved = ArrayPool<object?>.Shared.Rent(args.Length);
        try
        {
            for (int i = 0; i < args.Length; i++)
            {
                object? arg = args[i];
                if (arg is IRedisArg custom && !IsScalar(arg))
                {
                    object? inner = custom.RedisArg();
                    if (!IsScalar(inner)) throw Unsupported(command, i, inner, $"{arg.GetType().Name}.RedisArg() returned ");
                    resolved[i] = inner;
                }
                else
                {
                    resolved[i] = arg;
                }
            }
            WriteArrayHeader(args.Length + 1);
            WriteBulkString(command);
            for (int i = 0; i < args.Length; i++) WriteScalar(resolved[i]);
        }
        finally
        {
            ArrayPool<object?>.Shared.Return(resolved, clearArray: true);
        }
    }

    private static bool IsScalar(object? value) => value switch
    {
        null or string or byte[] or ReadOnlyMemory<byte> or Memory<byte> => true,
        long or int or short or sbyte or ulong or uint or ushort or byte => true,
        double or float or decimal or bool or BigInteger => true,
        _ => false,
    };

    private static ArgumentException Unsupported(string command, int index, object? value, string via)
    {
        string typeName = value?.GetType().FullName ?? "null";
        string hint = value is CancellationToken
            ? " A CancellationToken is not a command argument: use DoAsync(command, args, cancellationToken)."
            : " Pass string, byte[], ReadOnlyMemory<byte>, an integer, double, bool or null, or implement IRedisArg.";
        return new ArgumentException(
            $"Argument {index} of command '{command}': {via}unsupported type {typeName}.{hint}", "args");
    }

    private void WriteScalar(object? value)
    {
        switch (value)
        {
            case null: WriteBulkString(ReadOnlySpan<byte>.Empty); break;
            case string s: WriteBulkString(s); break;
            case byte[] b: WriteBulkString(b); break;
            case ReadOnlyMemory<byte> rom: WriteBulkString(rom.Span); break;
            case Memory<byte> m: WriteBulkString(m.Span); break;
            case long l: WriteBulkString(l); break;
            case int i: WriteBulkString(i); break;
            case short sh: WriteBulkString(sh); break;
            case sbyte sb: WriteBulkString(sb); break;
            case ulong ul: WriteBulkString(ul); break;
            case uint ui: WriteBulkString(ui); break;
            case ushort us: WriteBulkString(us); break;
            case byte by: WriteBulkString(by); break;
            case double d: WriteBulkString(d); break;
            case float f: WriteBulkString(f); break;
            case bool bo: WriteBulkString(bo); break;
            case decimal dec: WriteFormatted(dec); break;
            case BigInteger big: WriteFormatted(big); break;
            default: throw new InvalidOperationException("unreachable: argument was validated");
        }
    }

    /// <summary>Writes an array header <c>*count\r\n</c>.</summary>
    public void WriteArrayHeader(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Span<byte> span = GetSpan(MaxInt64Digits + 3);
        span[0] = (byte)'*';
        int n = WriteDigits(span[1..], (ulong)count);
        span[1 + n] = (byte)'\r';
        span[2 + n] = (byte)'\n';
        _length += n + 3;
    }

    /// <summary>Appends bytes that are already RESP (a value taken from a reply, when replies are merged).</summary>
    internal void WriteRaw(ReadOnlySpan<byte> resp)
    {
        resp.CopyTo(GetSpan(resp.Length));
        _length += resp.Length;
    }

    /// <summary>Writes a bulk string holding <paramref name="value"/> as is.</summary>
    public void WriteBulkString(ReadOnlySpan<byte> value)
    {
        Span<byte> span = GetSpan(value.Length + MaxInt64Digits + 5);
        int at = WriteBulkHeader(span, value.Length);
        value.CopyTo(span[at..]);
        at += value.Length;
        span[at] = (byte)'\r';
        span[at + 1] = (byte)'\n';
        _length += at + 2;
    }

    /// <summary>Writes a bulk string holding the UTF-8 bytes of <paramref name="value"/>.</summary>
    public void WriteBulkString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        // ASCII is the common case: its byte count equals its length, so one pass encodes it.
        int byteCount = Ascii.IsValid(value) ? value.Length : Encoding.UTF8.GetByteCount(value);
        Span<byte> span = GetSpan(byteCount + MaxInt64Digits + 5);
        int at = WriteBulkHeader(span, byteCount);
        at += Encoding.UTF8.GetBytes(value, span[at..]);
        span[at] = (byte)'\r';
        span[at + 1] = (byte)'\n';
        _length += at + 2;
    }

    /// <summary>Writes a bulk string holding the decimal digits of <paramref name="value"/>.</summary>
    public void WriteBulkString(long value)
    {
        Span<byte> digits = stackalloc byte[MaxInt64Digits];
        bool ok = Utf8Formatter.TryFormat(value, digits, out int n);
        System.Diagnostics.Debug.Assert(ok);
        WriteBulkString(digits[..n]);
    }

    /// <summary>Writes a bulk string holding the decimal digits of <paramref name="value"/>.</summary>
    public void WriteBulkString(ulong value)
    {
        Span<byte> digits = stackalloc byte[MaxInt64Digits];
        int n = WriteDigits(digits, value);
        WriteBulkString(digits[..n]);
    }

    /// <summary>
    /// Writes a bulk string holding <paramref name="value"/> in the shortest form that parses back
    /// to the same double (invariant culture); infinities as <c>inf</c> and <c>-inf</c>, NaN as <c>nan</c>.
    /// </summary>
    public void WriteBulkString(double value)
    {
        if (double.IsPositiveInfinity(value)) { WriteBulkString("inf"u8); return; }
        if (double.IsNegativeInfinity(value)) { WriteBulkString("-inf"u8); return; }
        if (double.IsNaN(value)) { WriteBulkString("nan"u8); return; }
        Span<byte> chars = stackalloc byte[MaxDoubleChars];
        bool ok = value.TryFormat(chars, out int n, "R", CultureInfo.InvariantCulture);
        System.Diagnostics.Debug.Assert(ok);
        WriteBulkString(chars[..n]);
    }

    /// <summary>Writes a float in its own shortest round-trip form (so 0.1f is <c>0.1</c>).</summary>
    public void WriteBulkString(float value)
    {
        if (float.IsFinite(value))
        {
            Span<byte> chars = stackalloc byte[MaxDoubleChars];
            bool ok = value.TryFormat(chars, out int n, "R", CultureInfo.InvariantCulture);
            System.Diagnostics.Debug.Assert(ok);
            WriteBulkString(chars[..n]);
        }
        else
        {
            WriteBulkString((double)value);
        }
    }

    /// <summary>Writes <c>1</c> for true and <c>0</c> for false.</summary>
    public void WriteBulkString(bool value) => WriteBulkString(value ? "1"u8 : "0"u8);

    /// <summary>
    /// Encodes a reply value (as <see cref="IConn.Receive"/> returns them) back into RESP3: the
    /// inverse of <see cref="RespReader.ReadObject"/>. Used to adapt connections that only offer
    /// object replies to typed parsers, and by tests.
    /// </summary>
    public void WriteReply(object? value)
    {
        switch (value)
        {
            case null:
                WriteRaw("_\r\n"u8);
                break;
            case string s:
                WriteLine((byte)'+', s);
                break;
            case RedisServerException error:
                WriteLine((byte)'-', error.Message.ReplaceLineEndings(" "));
                break;
            case long l:
                WriteNumberLine((byte)':', l);
                break;
            case byte[] b:
                WriteBulkString(b);
                break;
            case double d:
                WriteRaw(","u8);
                WriteRaw(double.IsPositiveInfinity(d) ? "inf"u8 : double.IsNegativeInfinity(d) ? "-inf"u8 : double.IsNaN(d) ? "nan"u8 : default);
                if (double.IsFinite(d)) WriteFormattedRaw(d);
                WriteRaw("\r\n"u8);
                break;
            case bool bo:
                WriteRaw(bo ? "#t\r\n"u8 : "#f\r\n"u8);
                break;
            case BigInteger big:
                WriteRaw("("u8);
                WriteFormattedRaw(big);
                WriteRaw("\r\n"u8);
                break;
            case object?[] items:
                WriteNumberLine((byte)'*', items.Length);
                foreach (object? item in items) WriteReply(item);
                break;
            case KeyValuePair<object?, object?>[] pairs:
                WriteNumberLine((byte)'%', pairs.Length);
                foreach (KeyValuePair<object?, object?> pair in pairs)
                {
                    WriteReply(pair.Key);
                    WriteReply(pair.Value);
                }
                break;
            case RedisPush push:
                WriteNumberLine((byte)'>', push.Values.Length);
                foreach (object? item in push.Values) WriteReply(item);
                break;
            default:
                throw new ArgumentException($"{value.GetType().FullName} is not a reply value.", nameof(value));
        }
    }

    private void WriteLine(byte type, string text)
    {
        int count = Encoding.UTF8.GetByteCount(text);
        Span<byte> span = GetSpan(count + 3);
        span[0] = type;
        Encoding.UTF8.GetBytes(text, span[1..]);
        span[count + 1] = (byte)'\r';
        span[count + 2] = (byte)'\n';
        _length += count + 3;
    }

    private void WriteNumberLine(byte type, long value)
    {
        Span<byte> span = GetSpan(MaxInt64Digits + 3);
        span[0] = type;
        bool ok = Utf8Formatter.TryFormat(value, span[1..], out int n);
        System.Diagnostics.Debug.Assert(ok);
        span[1 + n] = (byte)'\r';
        span[2 + n] = (byte)'\n';
        _length += n + 3;
    }

    private void WriteFormattedRaw<T>(T value) where T : IUtf8SpanFormattable
    {
        Span<byte> chars = stackalloc byte[128];
        if (value.TryFormat(chars, out int n, value is double ? "R" : default, CultureInfo.InvariantCulture))
        {
            WriteRaw(chars[..n]);
            return;
        }
        WriteRaw(Encoding.ASCII.GetBytes(string.Format(CultureInfo.InvariantCulture, "{0}", value)));
    }

    /// <summary>Drops everything written after <paramref name="length"/> (a command that failed part-way).</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _length);
        _length = length;
    }

    private void WriteFormatted<T>(T value) where T : IUtf8SpanFormattable
    {
        Span<byte> chars = stackalloc byte[128];
        if (value.TryFormat(chars, out int n, default, CultureInfo.InvariantCulture))
        {
            WriteBulkString(chars[..n]);
            return;
        }
        // Only a very large BigInteger gets here.
        WriteBulkString(Encoding.ASCII.GetBytes(string.Format(CultureInfo.InvariantCulture, "{0}", value)));
    }

    private static int WriteBulkHeader(Span<byte> span, int length)
    {
        span[0] = (byte)'$';
        int n = WriteDigits(span[1..], (ulong)length);
        span[1 + n] = (byte)'\r';
        span[2 + n] = (byte)'\n';
        return n + 3;
    }

    private static int WriteDigits(Span<byte> destination, ulong value)
    {
        bool ok = Utf8Formatter.TryFormat(value, destination, out int written);
        System.Diagnostics.Debug.Assert(ok);
        return written;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> GetSpan(int size)
    {
        if (_buffer.Length - _length < size) Grow(size);
        return _buffer.AsSpan(_length);
    }

    private void Grow(int size)
    {
        long wanted = Math.Max((long)_length + size, (long)_buffer.Length * 2);
        if (wanted > Array.MaxLength)
        {
            wanted = (long)_length + size;
            if (wanted > Array.MaxLength) throw new InvalidOperationException("The command is larger than the largest buffer .NET can allocate; flush between commands.");
        }
        byte[] bigger = ArrayPool<byte>.Shared.Rent((int)wanted);
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
