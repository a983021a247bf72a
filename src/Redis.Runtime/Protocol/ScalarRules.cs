using System.Globalization;
using System.Numerics;
using System.Text;

namespace Redis;

/// <summary>
/// The one set of rules that turns a scalar reply into a <see cref="long"/>, <see cref="double"/>,
/// <see cref="bool"/> or <see cref="string"/>. Both conversion paths use it: the typed reads of
/// <see cref="RespReader"/> (and so every generated command and parser) over the wire bytes, and the
/// <see cref="Reply"/> helpers over the object tree <c>Do</c> returns. "Text" below is the payload of a
/// bulk, simple or verbatim string (the tree holds the first as <c>byte[]</c>, the others as <c>string</c>).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description><b>Integer</b> from text: an optional <c>+</c> or <c>-</c> then ASCII digits, nothing
/// else (no white space, no <c>1e3</c>, no <c>1.0</c>); a value outside the target type is out of range.
/// From a RESP3 double: only an integral value in range. From a RESP3 boolean: 1 or 0. From a big number:
/// when in range.</description></item>
/// <item><description><b>Double</b> from text: a decimal number with optional sign, fraction and exponent
/// (invariant culture, no white space, no hex), or, in any case and with an optional sign, <c>inf</c>,
/// <c>infinity</c>, <c>nan</c> and libc's <c>nan(chars)</c> (what Redis and the RESP3 specification send);
/// a finite spelling beyond the range of <see cref="double"/> (<c>1e400</c>) is out of range. The same
/// grammar validates RESP3 double replies (<c>,NAN</c> and <c>,-nan</c> from servers before 7.2 included);
/// there, a spelling outside it is a <see cref="RedisProtocolException"/>. From an integer, a boolean
/// (1 or 0) or a big number: its value (a big number beyond the range is out of range).</description></item>
/// <item><description><b>Boolean</b>: a RESP3 boolean is itself; an integer or big number is true when
/// not 0; text <c>1 t T true TRUE True OK</c> is true and <c>0 f F false FALSE False</c> false (Go's
/// <c>strconv.ParseBool</c>, as redigo's <c>redis.Bool</c>, plus the status <c>OK</c>, which
/// <c>SET ... NX</c> answers on success); anything else, a double included, is refused.</description></item>
/// <item><description><b>Text</b>: strings decode as UTF-8; an integer or big number is written in
/// invariant digits; a double as the shortest round-trip form, or <c>inf</c>, <c>-inf</c>, <c>nan</c>;
/// a RESP3 boolean as <c>1</c> or <c>0</c> (what the same reply is in RESP2).</description></item>
/// <item><description>Nil gives <see langword="null"/> where the target can hold it, else
/// <see cref="RedisNilException"/>; an error reply is thrown as <see cref="RedisServerException"/>; any
/// other mismatch (an aggregate, text outside the grammar, a value out of range) is a
/// <see cref="RedisException"/>.</description></item>
/// </list>
/// </remarks>
internal static class ScalarRules
{
    /// <summary>Why a conversion failed.</summary>
    public enum Fault : byte
    {
        /// <summary>It did not: the value is set.</summary>
        None,

        /// <summary>The text is not in the grammar of the target type.</summary>
        Syntax,

        /// <summary>The value is well formed but outside the target type's range.</summary>
        Range,
    }

    private const int MaxStackBytes = 128;

    // ------------------------------------------------------------------ text

    /// <summary>An optional sign, then ASCII digits only; the value must fit a <see cref="long"/>.</summary>
    public static Fault TryParseInt64(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.IsEmpty) return Fault.Syntax;
        bool negative = text[0] == (byte)'-';
        if (text[0] is (byte)'-' or (byte)'+') text = text[1..];
        Fault fault = TryParseDigits(text, out ulong magnitude);
        if (fault != Fault.None) return fault;
        if (negative)
        {
            if (magnitude > (ulong)long.MaxValue + 1) return Fault.Range;
            value = (long)(0 - magnitude);
            return Fault.None;
        }
        if (magnitude > long.MaxValue) return Fault.Range;
        value = (long)magnitude;
        return Fault.None;
    }

    /// <summary>An optional <c>+</c>, then ASCII digits only; a negative integer is out of range.</summary>
    public static Fault TryParseUInt64(ReadOnlySpan<byte> text, out ulong value)
    {
        value = 0;
        if (text.IsEmpty) return Fault.Syntax;
        if (text[0] == (byte)'-')
        {
            Fault negative = TryParseDigits(text[1..], out ulong magnitude);
            if (negative == Fault.Syntax) return Fault.Syntax;
            return magnitude == 0 && negative == Fault.None ? Fault.None : Fault.Range;
        }
        if (text[0] == (byte)'+') text = text[1..];
        return TryParseDigits(text, out value);
    }

    private static Fault TryParseDigits(ReadOnlySpan<byte> digits, out ulong value)
    {
        value = 0;
        if (digits.IsEmpty) return Fault.Syntax;
        bool overflow = false;
        foreach (byte b in digits)
        {
            uint d = (uint)(b - '0');
            if (d > 9) return Fault.Syntax;
            if (value > (ulong.MaxValue - d) / 10) overflow = true;
            else value = (value * 10) + d;
        }
        return overflow ? Fault.Range : Fault.None;
    }

    /// <summary>The double grammar (see the class remarks), for text and RESP3 double replies alike.</summary>
    public static Fault TryParseDouble(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        if (text.IsEmpty) return Fault.Syntax;
        bool negative = text[0] == (byte)'-';
        ReadOnlySpan<byte> body = text[0] is (byte)'-' or (byte)'+' ? text[1..] : text;
        int lower = body.IsEmpty ? 0 : body[0] | 0x20;
        if (lower == 'i' || lower == 'n')
        {
            if (Ascii.EqualsIgnoreCase(body, "inf"u8) || Ascii.EqualsIgnoreCase(body, "infinity"u8))
            {
                value = negative ? double.NegativeInfinity : double.PositiveInfinity;
                return Fault.None;
            }
            if (body.Length >= 3 && Ascii.EqualsIgnoreCase(body[..3], "nan"u8) && IsNanPayload(body[3..]))
            {
                value = double.NaN;
                return Fault.None;
            }
            return Fault.Syntax;
        }
        if (body.IsEmpty) return Fault.Syntax;
        foreach (byte b in text)
        {
            // Only the characters of a decimal number: no culture symbols, no white space, no hex.
            if (!((uint)(b - '0') <= 9 || b is (byte)'-' or (byte)'+' or (byte)'.' or (byte)'e' or (byte)'E')) return Fault.Syntax;
        }
        if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value))
        {
            value = 0;
            return Fault.Syntax;
        }
        if (double.IsInfinity(value))
        {
            value = 0;
            return Fault.Range;
        }
        return Fault.None;
    }

    // libc may print NaN as "nan(char-sequence)": nothing, or letters, digits and '_' in parentheses.
    private static bool IsNanPayload(ReadOnlySpan<byte> rest)
    {
        if (rest.IsEmpty) return true;
        if (rest.Length < 2 || rest[0] != (byte)'(' || rest[^1] != (byte)')') return false;
        foreach (byte b in rest[1..^1])
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b == (byte)'_')) return false;
        }
        return true;
    }

    /// <summary><c>1 t T true TRUE True OK</c> are true, <c>0 f F false FALSE False</c> false.</summary>
    public static Fault TryParseBoolean(ReadOnlySpan<byte> text, out bool value)
    {
        value = false;
        switch (text.Length)
        {
            case 1:
                if (text[0] is (byte)'1' or (byte)'t' or (byte)'T') { value = true; return Fault.None; }
                return text[0] is (byte)'0' or (byte)'f' or (byte)'F' ? Fault.None : Fault.Syntax;
            case 2:
                value = text.SequenceEqual("OK"u8);
                return value ? Fault.None : Fault.Syntax;
            case 4:
                value = text.SequenceEqual("true"u8) || text.SequenceEqual("TRUE"u8) || text.SequenceEqual("True"u8);
                return value ? Fault.None : Fault.Syntax;
            case 5:
                return text.SequenceEqual("false"u8) || text.SequenceEqual("FALSE"u8) || text.SequenceEqual("False"u8) ? Fault.None : Fault.Syntax;
            default:
                return Fault.Syntax;
        }
    }

    // ------------------------------------------------------------------ between scalar types

    /// <summary>A RESP3 double as an integer: only an integral value within the range of <see cref="long"/>.</summary>
    public static Fault TryToInt64(double number, out long value)
    {
        value = 0;
        if (number != Math.Truncate(number)) return Fault.Syntax; // fractional, NaN or infinite
        if (number < -9223372036854775808.0 || number >= 9223372036854775808.0) return Fault.Range;
        value = (long)number;
        return Fault.None;
    }

    /// <summary>A RESP3 double as an unsigned integer: only an integral value within the range of <see cref="ulong"/>.</summary>
    public static Fault TryToUInt64(double number, out ulong value)
    {
        value = 0;
        if (number != Math.Truncate(number)) return Fault.Syntax;
        if (number < 0 || number >= 18446744073709551616.0) return Fault.Range;
        value = (ulong)number;
        return Fault.None;
    }

    /// <summary>A big number as an integer, when in range.</summary>
    public static Fault TryToInt64(BigInteger number, out long value)
    {
        bool fits = number >= long.MinValue && number <= long.MaxValue;
        value = fits ? (long)number : 0;
        return fits ? Fault.None : Fault.Range;
    }

    /// <summary>A big number as a double, unless it is beyond the range of <see cref="double"/>.</summary>
    public static Fault TryToDouble(BigInteger number, out double value)
    {
        value = (double)number;
        if (!double.IsInfinity(value)) return Fault.None;
        value = 0;
        return Fault.Range;
    }

    /// <summary>Parses a validated big number line (an optional sign and digits).</summary>
    public static BigInteger ParseBigNumber(ReadOnlySpan<byte> line)
        => BigInteger.Parse(Encoding.ASCII.GetString(line), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    // ------------------------------------------------------------------ text of non-text scalars

    /// <summary>A double as text: the shortest round-trip form, or <c>inf</c>, <c>-inf</c>, <c>nan</c>.</summary>
    public static string FormatDouble(double value)
    {
        if (double.IsFinite(value)) return value.ToString("R", CultureInfo.InvariantCulture);
        if (double.IsNaN(value)) return "nan";
        return value > 0 ? "inf" : "-inf";
    }

    /// <summary>A RESP3 boolean as text: <c>1</c> or <c>0</c>, what the same reply is in RESP2.</summary>
    public static string FormatBoolean(bool value) => value ? "1" : "0";

    // ------------------------------------------------------------------ messages

    /// <summary>Why <paramref name="text"/> failed, without a subject: <c>"x" is not an integer</c>, <c>value "x" is out of range</c>.</summary>
    public static string Explain(Fault fault, string wanted, ReadOnlySpan<byte> text)
        => Explain(fault, wanted, Quote(text));

    /// <summary>As <see cref="Explain(Fault, string, ReadOnlySpan{byte})"/> for a value already shown as text.</summary>
    public static string Explain(Fault fault, string wanted, string shown)
        => fault == Fault.Range ? $"value {shown} is out of range" : $"{shown} is not {wanted}";

    /// <summary>The text in quotes, cut at 64 bytes.</summary>
    public static string Quote(ReadOnlySpan<byte> text)
        => text.Length <= 64 ? $"\"{Encoding.UTF8.GetString(text)}\"" : $"\"{Encoding.UTF8.GetString(text[..64])}...\"";

    /// <summary>
    /// The UTF-8 bytes of a simple or verbatim string from the object tree, so that it goes through the
    /// same byte grammar as the wire: short ASCII text is copied into <paramref name="buffer"/>.
    /// </summary>
    public static ReadOnlySpan<byte> Utf8(string text, Span<byte> buffer)
    {
        if (text.Length <= buffer.Length && Ascii.FromUtf16(text, buffer, out int written) == System.Buffers.OperationStatus.Done)
        {
            return buffer[..written];
        }
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>The stack buffer size callers give <see cref="Utf8"/>.</summary>
    public const int StackBytes = MaxStackBytes;
}
