using System.Globalization;
using System.Numerics;
using System.Text;

namespace Redis;

// The shape checks, scalar conversions and error messages behind every helper of Reply.
public static partial class Reply
{
    // ------------------------------------------------------------------ shape helpers

    /// <summary>A top-level reply that must hold a value: nil and error values throw.</summary>
    private static object Required(object? reply, string helper) => reply switch
    {
        null => throw Nil(helper, NoIndex),
        RedisServerException error => throw error,
        _ => reply,
    };

    /// <summary>An element: an error value is thrown, anything else (nil included) is returned.</summary>
    private static object? Element(object? value) => value is RedisServerException error ? throw error : value;

    /// <summary>An element that must hold a value.</summary>
    private static object Field(object? value, string helper, int index) => value switch
    {
        null => throw Nil(helper, index),
        RedisServerException error => throw error,
        _ => value,
    };

    private static object?[]? AsArray(object? reply, string helper) => reply switch
    {
        null => null,
        object?[] values => values,
        KeyValuePair<object?, object?>[] map => Flatten(map),
        RedisServerException error => throw error,
        _ => throw Unexpected(helper, NoIndex, reply),
    };

    private static object?[] Flatten(KeyValuePair<object?, object?>[] map)
    {
        var values = new object?[map.Length * 2];
        for (int i = 0; i < map.Length; i++)
        {
            values[2 * i] = map[i].Key;
            values[(2 * i) + 1] = map[i].Value;
        }
        return values;
    }

    // ------------------------------------------------------------------ value conversions (value is neither nil nor an error)
    // Every rule is ScalarRules', which the typed reader (RespReader) applies to the same replies on the wire.

    private static long ToInt64(object value, string helper, int index)
    {
        switch (value)
        {
            case long integer:
                return integer;
            case byte[] bulk:
                return Checked(ScalarRules.TryParseInt64(bulk, out long parsed), parsed, helper, index, "an integer", bulk);
            case string text:
            {
                Span<byte> buffer = stackalloc byte[ScalarRules.StackBytes];
                ReadOnlySpan<byte> utf8 = ScalarRules.Utf8(text, buffer);
                return Checked(ScalarRules.TryParseInt64(utf8, out long fromText), fromText, helper, index, "an integer", utf8);
            }
            case bool flag:
                return flag ? 1 : 0;
            case double number:
                return Checked(ScalarRules.TryToInt64(number, out long whole), whole, helper, index, "an integer", ScalarRules.FormatDouble(number));
            case BigInteger big:
                return Checked(ScalarRules.TryToInt64(big, out long small), small, helper, index, "an integer", big.ToString(CultureInfo.InvariantCulture));
            default:
                throw Unexpected(helper, index, value);
        }
    }

    private static int ToInt32(object value, string helper, int index)
    {
        long integer = value is long l ? l : ToInt64(value, helper, index);
        if (integer < int.MinValue || integer > int.MaxValue)
            throw Fail(helper, index, ScalarRules.Explain(ScalarRules.Fault.Range, "an integer", integer.ToString(CultureInfo.InvariantCulture)));
        return (int)integer;
    }

    private static ulong ToUInt64(object value, string helper, int index)
    {
        switch (value)
        {
            case long integer:
                if (integer >= 0)
                    return (ulong)integer;
                throw Fail(helper, index, $"negative value {integer.ToString(CultureInfo.InvariantCulture)} is out of range");
            case byte[] bulk:
                return Checked(ScalarRules.TryParseUInt64(bulk, out ulong parsed), parsed, helper, index, "an integer", bulk);
            case string text:
            {
                Span<byte> buffer = stackalloc byte[ScalarRules.StackBytes];
                ReadOnlySpan<byte> utf8 = ScalarRules.Utf8(text, buffer);
                return Checked(ScalarRules.TryParseUInt64(utf8, out ulong fromText), fromText, helper, index, "an integer", utf8);
            }
            case bool flag:
                return flag ? 1UL : 0UL;
            case double number:
                return Checked(ScalarRules.TryToUInt64(number, out ulong whole), whole, helper, index, "an integer", ScalarRules.FormatDouble(number));
            case BigInteger big:
                if (big.Sign >= 0 && big <= ulong.MaxValue)
                    return (ulong)big;
                throw Fail(helper, index, ScalarRules.Explain(ScalarRules.Fault.Range, "an integer", big.ToString(CultureInfo.InvariantCulture)));
            default:
                throw Unexpected(helper, index, value);
        }
    }

    private static double ToDouble(object value, string helper, int index)
    {
        switch (value)
        {
            case double number:
                return number;
            case long integer:
                return integer;
            case byte[] bulk:
                return Checked(ScalarRules.TryParseDouble(bulk, out double parsed), parsed, helper, index, "a number", bulk);
            case string text:
            {
                Span<byte> buffer = stackalloc byte[ScalarRules.StackBytes];
                ReadOnlySpan<byte> utf8 = ScalarRules.Utf8(text, buffer);
                return Checked(ScalarRules.TryParseDouble(utf8, out double fromText), fromText, helper, index, "a number", utf8);
            }
            case bool flag:
                return flag ? 1 : 0;
            case BigInteger big:
                return Checked(ScalarRules.TryToDouble(big, out double converted), converted, helper, index, "a number", big.ToString(CultureInfo.InvariantCulture));
            default:
                throw Unexpected(helper, index, value);
        }
    }

    private static bool ToBool(object value, string helper, int index)
    {
        switch (value)
        {
            case bool flag:
                return flag;
            case long integer:
                return integer != 0;
            case BigInteger big:
                return !big.IsZero;
            case byte[] bulk:
                return Checked(ScalarRules.TryParseBoolean(bulk, out bool parsed), parsed, helper, index, "a boolean", bulk);
            case string text:
            {
                Span<byte> buffer = stackalloc byte[ScalarRules.StackBytes];
                ReadOnlySpan<byte> utf8 = ScalarRules.Utf8(text, buffer);
                return Checked(ScalarRules.TryParseBoolean(utf8, out bool fromText), fromText, helper, index, "a boolean", utf8);
            }
            default:
                throw Unexpected(helper, index, value);
        }
    }

    private static string ToText(object value, string helper, int index) => value switch
    {
        string text => text,
        byte[] bulk => Encoding.UTF8.GetString(bulk),
        long integer => integer.ToString(CultureInfo.InvariantCulture),
        double number => ScalarRules.FormatDouble(number),
        BigInteger big => big.ToString(CultureInfo.InvariantCulture),
        bool flag => ScalarRules.FormatBoolean(flag),
        _ => throw Unexpected(helper, index, value),
    };

    private static byte[] ToBytes(object value, string helper, int index) => value switch
    {
        byte[] bulk => bulk,
        _ => Encoding.UTF8.GetBytes(ToText(value, helper, index)),
    };

    private static T Checked<T>(ScalarRules.Fault fault, T value, string helper, int index, string wanted, ReadOnlySpan<byte> text) =>
        fault == ScalarRules.Fault.None ? value : throw Fail(helper, index, ScalarRules.Explain(fault, wanted, text));

    private static T Checked<T>(ScalarRules.Fault fault, T value, string helper, int index, string wanted, string shown) =>
        fault == ScalarRules.Fault.None ? value : throw Fail(helper, index, ScalarRules.Explain(fault, wanted, shown));

    // ------------------------------------------------------------------ errors

    private static RedisException Fail(string helper, int index, string message) =>
        new(index < 0 ? $"Reply.{helper}: {message}" : $"Reply.{helper}: {message} at index {index}");

    private static RedisNilException Nil(string helper, int index) =>
        new(index < 0 ? $"Reply.{helper}: nil returned" : $"Reply.{helper}: nil element at index {index}");

    private static RedisException Unexpected(string helper, int index, object value) =>
        Fail(helper, index, $"unexpected {(index < 0 ? "reply" : "element")} type {TypeName(value)}");

    private static string Quote(string text) => text.Length <= 64 ? $"\"{text}\"" : $"\"{text[..64]}...\"";

    private static string TypeName(object value) =>
        value is KeyValuePair<object?, object?>[] ? "KeyValuePair<object?, object?>[] (map)" : value.GetType().Name;
}
