using System.Globalization;
using System.Numerics;
using System.Text;

namespace Redis;

/// <summary>
/// Converts the reply object a connection returns (see <see cref="IConn"/>) to the .NET type you
/// want, like redigo's reply helpers: <c>long n = Reply.Int64(conn.Do("INCR", "k"));</c>.
/// </summary>
/// <remarks>
/// <para>The rules are the same in every helper:</para>
/// <list type="bullet">
/// <item><description><b>Nil</b> gives <see langword="null"/> where the return type can hold it
/// (<see cref="String"/>, <see cref="Bytes"/>, the array and map helpers) and throws
/// <see cref="RedisNilException"/> where it cannot (<see cref="Int64"/>, <see cref="Bool"/>...).
/// A nil element of an array becomes <see langword="null"/> in <see cref="Strings"/> and
/// <see cref="ByteSlices"/> and 0 in the numeric array helpers (as in redigo); a nil map value throws
/// <see cref="RedisNilException"/>.</description></item>
/// <item><description><b>An error value</b> (a <see cref="RedisServerException"/>, as found inside an
/// <c>EXEC</c> reply) given to a helper, or met as an element, is thrown.</description></item>
/// <item><description><b>Numbers</b> are accepted consistently (unlike redigo): an integer, a bulk
/// or simple string holding a number, a RESP3 double, a RESP3 boolean (as 1 or 0) and a RESP3 big
/// number are accepted by every numeric helper when the value fits the target type; a value that
/// does not fit throws <see cref="RedisException"/>. Text is parsed with the invariant culture and no
/// surrounding white space; doubles also accept <c>inf</c>, <c>+inf</c>, <c>-inf</c>,
/// <c>infinity</c> and <c>nan</c> in any case.</description></item>
/// <item><description><b>Text</b>: bulk strings are decoded as UTF-8; integers, doubles and big
/// numbers are formatted with the invariant culture (doubles as <c>inf</c>, <c>-inf</c> and
/// <c>nan</c> when not finite).</description></item>
/// <item><description><b>Maps</b> accept the RESP2 flat array (<c>HGETALL</c>: key, value, key,
/// value...) and the RESP3 map; keys are bulk or simple strings (numbers are formatted); a duplicate
/// key keeps the last value. The array helpers flatten a RESP3 map the same way, so
/// <c>Reply.Strings(conn.Do("HGETALL", key))</c> works on both protocols.</description></item>
/// <item><description>Any other type throws <see cref="RedisException"/> whose message names the
/// helper and the type, for example <c>Reply.Int64: unexpected reply type Object[]</c>.</description></item>
/// </list>
/// </remarks>
public static class Reply
{
    private const int NoIndex = -1;
    private const int MaxStackChars = 128;
    private const NumberStyles IntegerStyle = NumberStyles.AllowLeadingSign;
    private const NumberStyles FloatStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // ------------------------------------------------------------------ scalars

    /// <summary>Converts an integer reply (or a number in any accepted form) to <see cref="long"/>.</summary>
    /// <param name="reply">The reply object.</param>
    /// <returns>The value.</returns>
    /// <exception cref="RedisNilException">The reply is nil.</exception>
    /// <exception cref="RedisServerException">The reply is an error value.</exception>
    /// <exception cref="RedisException">The reply is not an integer or does not fit.</exception>
    public static long Int64(object? reply) =>
        reply is long value ? value : ToInt64(Required(reply, nameof(Int64)), nameof(Int64), NoIndex);

    /// <summary>Converts an integer reply (or a number in any accepted form) to <see cref="int"/>.</summary>
    /// <param name="reply">The reply object.</param>
    /// <returns>The value.</returns>
    /// <exception cref="RedisNilException">The reply is nil.</exception>
    /// <exception cref="RedisServerException">The reply is an error value.</exception>
    /// <exception cref="RedisException">The reply is not an integer or is out of the range of <see cref="int"/>.</exception>
    public static int Int32(object? reply) => ToInt32(Required(reply, nameof(Int32)), nameof(Int32), NoIndex);

    /// <summary>Converts an integer reply (or a number in any accepted form) to <see cref="ulong"/>.</summary>
    /// <param name="reply">The reply object.</param>
    /// <returns>The value.</returns>
    /// <exception cref="RedisNilException">The reply is nil.</exception>
    /// <exception cref="RedisServerException">The reply is an error value.</exception>
    /// <exception cref="RedisException">The reply is not an integer, is negative or does not fit.</exception>
    public static ulong UInt64(object? reply) => ToUInt64(Required(reply, nameof(UInt64)), nameof(UInt64), NoIndex);

    /// <summary>Converts a double reply (RESP3), a bulk or simple string holding a number, or an integer to <see cref="double"/>.</summary>
    /// <param name="reply">The reply object.</param>
    /// <returns>The value.</returns>
    /// <exception cref="RedisNilException">The reply is nil.</exception>
    /// <exception cref="RedisServerException">The reply is an error value.</exception>
    /// <exception cref="RedisException">The reply is not a number, or is a finite number too large for <see cref="double"/>.</exception>
    public static double Double(object? reply) =>
        reply is double value ? value : ToDouble(Required(reply, nameof(Double)), nameof(Double), NoIndex);

    /// <summary>
    /// Converts a reply to <see cref="bool"/>: an integer is true when not 0; a bulk or simple string is
    /// parsed like Go's <c>strconv.ParseBool</c> (<c>1 t T TRUE true True</c> / <c>0 f F FALSE false False</c>);
    /// a RESP3 boolean is itself; a RESP3 big number is true when not 0.
    /// </summary>
    /// <param name="reply">The reply object.</param>
    /// <returns>The value.</returns>
    /// <exception cref="RedisNilException">The reply is nil.</exception>
    /// <exception cref="RedisServerException">The reply is an error value.</exception>
    /// <exception cref="RedisException">The reply has another type or text that is not in the list.</exception>
    public static bool Bool(object? reply) => reply switch
    {
        bool value => value,
        long value => value != 0,
        _ => ToBool(Required(reply, nameof(Bool)), nameof(Bool), NoIndex),
    };

    /// <summary>
    /// Converts a bulk string (decoded as UTF-8), a simple or verbatim string, an integer, a double or a
    /// big number (formatted with the invariant culture) to <see cref="string"/>.
    /// </summary>
    /// <param name="reply">The reply object.</param>
    /// <returns>The text, or <see langword="null"/> when the reply is nil.</returns>
    /// <exception cref="RedisServerException">The reply is an error value.</exception>
    /// <exception cref="RedisException">The reply has another type.</exception>
    public static string? String(object? reply) => reply switch
    {
        null => null,
        string value => value,
        RedisServerException error => throw error,
        _ => ToText(reply, nameof(String), NoIndex),
    };

    /// <summary>
    /// Converts a bulk string (returned as is, not copied), a simple or verbatim string (encoded as
    /// UTF-8), an integer, a double or a big number (formatted, then encoded) to a byte array.
    /// </summary>
    /// <param name="reply">The reply object.</param>
    /// <returns>The bytes, or <see langword="null"/> when the reply is nil.</returns>
    /// <exception cref="RedisServerException">The reply is an error value.</exception>
    /// <exception cref="RedisException">The reply has another type.</exception>
    public static byte[]? Bytes(object? reply) => reply switch
    {
        null => null,
        byte[] value => value,
        RedisServerException error => throw error,
        _ => ToBytes(reply, nameof(Bytes), NoIndex),
    };

    // ------------------------------------------------------------------ arrays

    /// <summary>
    /// Returns an array reply (or RESP3 set) as is; a RESP3 map is flattened to key, value, key, value...
    /// The elements are not converted (an error element stays a <see cref="RedisServerException"/> value).
    /// </summary>
    /// <param name="reply">The reply object.</param>
    /// <returns>The elements, or <see langword="null"/> when the reply is nil (redigo returns <c>ErrNil</c> here).</returns>
    /// <exception cref="RedisServerException">The reply is an error value.</exception>
    /// <exception cref="RedisException">The reply is not an array.</exception>
    public static object?[]? Values(object? reply) => AsArray(reply, nameof(Values));

    /// <summary>Converts each element of an array reply as <see cref="String"/> does; a nil element becomes <see langword="null"/>.</summary>
    /// <param name="reply">The reply object.</param>
    /// <returns>The strings, or <see langword="null"/> when the reply is nil.</returns>
    /// <exception cref="RedisServerException">The reply, or an element, is an error value.</exception>
    /// <exception cref="RedisException">The reply is not an array, or an element has an unsupported type.</exception>
    public static string?[]? Strings(object? reply)
    {
        object?[]? values = AsArray(reply, nameof(Strings));
        if (values is null)
            return null;
        var result = new string?[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            object? element = Element(values[i]);
            result[i] = element switch
            {
                null => null,
                string text => text,
                _ => ToText(element, nameof(Strings), i),
            };
        }
        return result;
    }

    /// <summary>Converts each element of an array reply as <see cref="Bytes"/> does; a nil element stays <see langword="null"/>.</summary>
    /// <param name="reply">The reply object.</param>
    /// <returns>The byte arrays, or <see langword="null"/> when the reply is nil.</returns>
    /// <exception cref="RedisServerException">The reply, or an element, is an error value.</exception>
    /// <exception cref="RedisException">The reply is not an array, or an element has an unsupported type.</exception>
    public static byte[]?[]? ByteSlices(object? reply)
    {
        object?[]? values = AsArray(reply, nameof(ByteSlices));
        if (values is null)
            return null;
        var result = new byte[]?[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            object? element = Element(values[i]);
            result[i] = element switch
            {
                null => null,
                byte[] bytes => bytes,
                _ => ToBytes(element, nameof(ByteSlices), i),
            };
        }
        return result;
    }

    /// <summary>Converts each element of an array reply as <see cref="Int64"/> does; a nil element becomes 0 (as in redigo).</summary>
    /// <param name="reply">The reply object.</param>
    /// <returns>The values, or <see langword="null"/> when the reply is nil.</returns>
    /// <exception cref="RedisServerException">The reply, or an element, is an error value.</exception>
    /// <exception cref="RedisException">The reply is not an array, or an element is not an integer or does not fit.</exception>
    public static long[]? Int64s(object? reply)
    {
        object?[]? values = AsArray(reply, nameof(Int64s));
        if (values is null)
            return null;
        var result = new long[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            object? element = Element(values[i]);
            if (element is not null)
                result[i] = element is long value ? value : ToInt64(element, nameof(Int64s), i);
        }
        return result;
    }

    /// <summary>Converts each element of an array reply as <see cref="Int32"/> does; a nil element becomes 0 (as in redigo).</summary>
    /// <param name="reply">The reply object.</param>
    /// <returns>The values, or <see langword="null"/> when the reply is nil.</returns>
    /// <exception cref="RedisServerException">The reply, or an element, is an error value.</exception>
    /// <exception cref="RedisException">The reply is not an array, or an element is not an integer or does not fit.</exception>
    public static int[]? Int32s(object? reply)
    {
        object?[]? values = AsArray(reply, nameof(Int32s));
        if (values is null)
            return null;
        var result = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            object? element = Element(values[i]);
            if (element is not null)
                result[i] = ToInt32(element, nameof(Int32s), i);
        }
        return result;
    }

    /// <summary>
    /// Converts each element of an array reply as <see cref="UInt64"/> does (integer elements included,
    /// which redigo v1.8.3 rejects); a nil element becomes 0.
    /// </summary>
    /// <param name="reply">The reply object.</param>
    /// <returns>The values, or <see langword="null"/> when the reply is nil.</returns>
    /// <exception cref="RedisServerException">The reply, or an element, is an error value.</exception>
    /// <exception cref="RedisException">The reply is not an array, or an element is not an integer, is negative or does not fit.</exception>
    public static ulong[]? UInt64s(object? reply)
    {
        object?[]? values = AsArray(reply, nameof(UInt64s));
        if (values is null)
            return null;
        var result = new ulong[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            object? element = Element(values[i]);
            if (element is not null)
                result[i] = ToUInt64(element, nameof(UInt64s), i);
        }
        return result;
    }

    /// <summary>Converts each element of an array reply as <see cref="Double"/> does; a nil element becomes 0 (as in redigo).</summary>
    /// <param name="reply">The reply object.</param>
    /// <returns>The values, or <see langword="null"/> when the reply is nil.</returns>
    /// <exception cref="RedisServerException">The reply, or an element, is an error value.</exception>
    /// <exception cref="RedisException">The reply is not an array, or an element is not a number.</exception>
    public static double[]? Doubles(object? reply)
    {
        object?[]? values = AsArray(reply, nameof(Doubles));
        if (values is null)
            return null;
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            object? element = Element(values[i]);
            if (element is not null)
                result[i] = element is double value ? value : ToDouble(element, nameof(Doubles), i);
        }
        return result;
    }

    // ------------------------------------------------------------------ maps

    /// <summary>
    /// Converts a map reply (RESP2 flat array of key, value pairs such as <c>HGETALL</c>, or a RESP3 map)
    /// to a dictionary of strings; values are converted as <see cref="String"/> does.
    /// </summary>
    /// <param name="reply">The reply object.</param>
    /// <returns>The dictionary (a duplicate key keeps the last value), or <see langword="null"/> when the reply is nil.</returns>
    /// <exception cref="RedisNilException">A value is nil.</exception>
    /// <exception cref="RedisServerException">The reply, or an element, is an error value.</exception>
    /// <exception cref="RedisException">The reply is not a map or an even-length array, or a key or value has an unsupported type.</exception>
    public static Dictionary<string, string>? StringMap(object? reply) => Map(reply, nameof(StringMap), ToText);

    /// <summary>Converts a map reply (RESP2 flat array or RESP3 map) to a dictionary; values are converted as <see cref="Int64"/> does.</summary>
    /// <param name="reply">The reply object.</param>
    /// <returns>The dictionary (a duplicate key keeps the last value), or <see langword="null"/> when the reply is nil.</returns>
    /// <exception cref="RedisNilException">A value is nil.</exception>
    /// <exception cref="RedisServerException">The reply, or an element, is an error value.</exception>
    /// <exception cref="RedisException">The reply is not a map or an even-length array, or a key or value has an unsupported type or does not fit.</exception>
    public static Dictionary<string, long>? Int64Map(object? reply) => Map(reply, nameof(Int64Map), ToInt64);

    /// <summary>Converts a map reply (RESP2 flat array or RESP3 map) to a dictionary; values are converted as <see cref="Int32"/> does.</summary>
    /// <param name="reply">The reply object.</param>
    /// <returns>The dictionary (a duplicate key keeps the last value), or <see langword="null"/> when the reply is nil.</returns>
    /// <exception cref="RedisNilException">A value is nil.</exception>
    /// <exception cref="RedisServerException">The reply, or an element, is an error value.</exception>
    /// <exception cref="RedisException">The reply is not a map or an even-length array, or a key or value has an unsupported type or does not fit.</exception>
    public static Dictionary<string, int>? Int32Map(object? reply) => Map(reply, nameof(Int32Map), ToInt32);

    /// <summary>Converts a map reply (RESP2 flat array or RESP3 map) to a dictionary; values are converted as <see cref="UInt64"/> does.</summary>
    /// <param name="reply">The reply object.</param>
    /// <returns>The dictionary (a duplicate key keeps the last value), or <see langword="null"/> when the reply is nil.</returns>
    /// <exception cref="RedisNilException">A value is nil.</exception>
    /// <exception cref="RedisServerException">The reply, or an element, is an error value.</exception>
    /// <exception cref="RedisException">The reply is not a map or an even-length array, or a key or value has an unsupported type or does not fit.</exception>
    public static Dictionary<string, ulong>? UInt64Map(object? reply) => Map(reply, nameof(UInt64Map), ToUInt64);

    /// <summary>Converts a map reply (RESP2 flat array or RESP3 map) to a dictionary; values are converted as <see cref="Double"/> does.</summary>
    /// <param name="reply">The reply object.</param>
    /// <returns>The dictionary (a duplicate key keeps the last value), or <see langword="null"/> when the reply is nil.</returns>
    /// <exception cref="RedisNilException">A value is nil.</exception>
    /// <exception cref="RedisServerException">The reply, or an element, is an error value.</exception>
    /// <exception cref="RedisException">The reply is not a map or an even-length array, or a key or value has an unsupported type.</exception>
    public static Dictionary<string, double>? DoubleMap(object? reply) => Map(reply, nameof(DoubleMap), ToDouble);

    // ------------------------------------------------------------------ command-shaped replies

    /// <summary>
    /// Converts a <c>GEOPOS</c> reply: each element is nil (a missing member, giving <see langword="null"/>)
    /// or a two-element array of longitude and latitude, converted as <see cref="Double"/> does.
    /// </summary>
    /// <param name="reply">The reply object.</param>
    /// <returns>The positions, or <see langword="null"/> when the reply is nil.</returns>
    /// <exception cref="RedisNilException">A coordinate is nil.</exception>
    /// <exception cref="RedisServerException">The reply, or an element, is an error value.</exception>
    /// <exception cref="RedisException">The reply is not an array, or a position is not a two-element array of numbers.</exception>
    public static (double Longitude, double Latitude)?[]? Positions(object? reply)
    {
        object?[]? values = AsArray(reply, nameof(Positions));
        if (values is null)
            return null;
        var result = new (double Longitude, double Latitude)?[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            switch (Element(values[i]))
            {
                case null:
                    break;
                case object?[] pair when pair.Length == 2:
                    result[i] = (Coordinate(pair[0], i), Coordinate(pair[1], i));
                    break;
                case object?[] pair:
                    throw Fail(nameof(Positions), i, $"unexpected number of values for a member position, got {pair.Length}");
                case var other:
                    throw Unexpected(nameof(Positions), i, other);
            }
        }
        return result;
    }

    /// <summary>
    /// Converts a <c>SLOWLOG GET</c> reply. Each entry is an array of at least four elements (id, unix
    /// time in seconds, execution time in microseconds, arguments); entries of six or more elements
    /// (Redis 4.0 and later) also carry the client address and name.
    /// </summary>
    /// <param name="reply">The reply object.</param>
    /// <returns>The entries, or <see langword="null"/> when the reply is nil.</returns>
    /// <exception cref="RedisNilException">A field of an entry is nil.</exception>
    /// <exception cref="RedisServerException">The reply, or an element, is an error value.</exception>
    /// <exception cref="RedisException">The reply does not have the shape of a slow log.</exception>
    public static SlowLog[]? SlowLogs(object? reply)
    {
        const string helper = nameof(SlowLogs);
        object?[]? values = AsArray(reply, helper);
        if (values is null)
            return null;
        var result = new SlowLog[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            object? element = Element(values[i]);
            if (element is not object?[] entry)
                throw element is null ? Nil(helper, i) : Unexpected(helper, i, element);
            if (entry.Length < 4)
                throw Fail(helper, i, $"a slow log entry needs at least 4 values, got {entry.Length}");

            long id = ToInt64(Field(entry[0], helper, i), helper, i);
            long seconds = ToInt64(Field(entry[1], helper, i), helper, i);
            long micros = ToInt64(Field(entry[2], helper, i), helper, i);
            if (seconds < -62135596800 || seconds > 253402300799)
                throw Fail(helper, i, $"slow log time {seconds} is out of range");
            if (micros < 0 || micros > TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerMicrosecond)
                throw Fail(helper, i, $"slow log execution time {micros} is out of range");

            if (Field(entry[3], helper, i) is not object?[] rawArgs)
                throw Fail(helper, i, $"slow log arguments must be an array, got {TypeName(entry[3]!)}");
            var args = new string[rawArgs.Length];
            for (int j = 0; j < rawArgs.Length; j++)
            {
                object? arg = Element(rawArgs[j]);
                args[j] = arg is null ? string.Empty : ToText(arg, helper, i);
            }

            string? address = null, name = null;
            if (entry.Length >= 6)
            {
                address = ToText(Field(entry[4], helper, i), helper, i);
                name = ToText(Field(entry[5], helper, i), helper, i);
            }

            result[i] = new SlowLog(
                id,
                DateTimeOffset.FromUnixTimeSeconds(seconds),
                TimeSpan.FromTicks(micros * TimeSpan.TicksPerMicrosecond),
                args,
                address,
                name);
        }
        return result;
    }

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

    private static Dictionary<string, T>? Map<T>(object? reply, string helper, Func<object, string, int, T> convert)
    {
        switch (reply)
        {
            case null:
                return null;
            case RedisServerException error:
                throw error;
            case KeyValuePair<object?, object?>[] map:
            {
                var result = new Dictionary<string, T>(map.Length);
                for (int i = 0; i < map.Length; i++)
                    AddEntry(result, map[i].Key, map[i].Value, 2 * i, helper, convert);
                return result;
            }
            case object?[] values:
            {
                if (values.Length % 2 != 0)
                    throw Fail(helper, NoIndex, $"expects an even number of values, got {values.Length}");
                var result = new Dictionary<string, T>(values.Length / 2);
                for (int i = 0; i < values.Length; i += 2)
                    AddEntry(result, values[i], values[i + 1], i, helper, convert);
                return result;
            }
            default:
                throw Unexpected(helper, NoIndex, reply);
        }
    }

    private static void AddEntry<T>(Dictionary<string, T> result, object? rawKey, object? rawValue, int index, string helper, Func<object, string, int, T> convert)
    {
        string key = Element(rawKey) switch
        {
            null => throw Fail(helper, index, "nil key"),
            string text => text,
            object other => ToText(other, helper, index),
        };
        object value = Element(rawValue) ?? throw new RedisNilException($"Reply.{helper}: nil value for key {Quote(key)}");
        result[key] = convert(value, helper, index + 1);
    }

    private static double Coordinate(object? value, int index) =>
        ToDouble(Field(value, nameof(Positions), index), nameof(Positions), index);

    // ------------------------------------------------------------------ value conversions (value is neither nil nor an error)

    private static long ToInt64(object value, string helper, int index)
    {
        switch (value)
        {
            case long integer:
                return integer;
            case byte[] bulk:
            {
                Span<char> buffer = stackalloc char[MaxStackChars];
                return ParseInt64(Widen(bulk, buffer), helper, index);
            }
            case string text:
                return ParseInt64(text, helper, index);
            case bool flag:
                return flag ? 1 : 0;
            case double number:
                if (number >= -9223372036854775808.0 && number < 9223372036854775808.0 && Math.Truncate(number) == number)
                    return (long)number;
                throw DoubleNotInteger(helper, index, number);
            case BigInteger big:
                if (big >= long.MinValue && big <= long.MaxValue)
                    return (long)big;
                throw OutOfRange(helper, index, big.ToString(Invariant));
            default:
                throw Unexpected(helper, index, value);
        }
    }

    private static int ToInt32(object value, string helper, int index)
    {
        long integer = value is long l ? l : ToInt64(value, helper, index);
        if (integer < int.MinValue || integer > int.MaxValue)
            throw OutOfRange(helper, index, integer.ToString(Invariant));
        return (int)integer;
    }

    private static ulong ToUInt64(object value, string helper, int index)
    {
        switch (value)
        {
            case long integer:
                if (integer >= 0)
                    return (ulong)integer;
                throw Fail(helper, index, $"negative value {integer.ToString(Invariant)} is out of range");
            case byte[] bulk:
            {
                Span<char> buffer = stackalloc char[MaxStackChars];
                return ParseUInt64(Widen(bulk, buffer), helper, index);
            }
            case string text:
                return ParseUInt64(text, helper, index);
            case bool flag:
                return flag ? 1UL : 0UL;
            case double number:
                if (number >= 0 && number < 18446744073709551616.0 && Math.Truncate(number) == number)
                    return (ulong)number;
                throw DoubleNotInteger(helper, index, number);
            case BigInteger big:
                if (big.Sign >= 0 && big <= ulong.MaxValue)
                    return (ulong)big;
                throw OutOfRange(helper, index, big.ToString(Invariant));
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
            {
                Span<char> buffer = stackalloc char[MaxStackChars];
                return ParseDouble(Widen(bulk, buffer), helper, index);
            }
            case string text:
                return ParseDouble(text, helper, index);
            case bool flag:
                return flag ? 1 : 0;
            case BigInteger big:
            {
                double result = (double)big;
                if (double.IsInfinity(result))
                    throw OutOfRange(helper, index, big.ToString(Invariant));
                return result;
            }
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
            {
                Span<char> buffer = stackalloc char[MaxStackChars];
                return ParseBool(Widen(bulk, buffer), helper, index);
            }
            case string text:
                return ParseBool(text, helper, index);
            default:
                throw Unexpected(helper, index, value);
        }
    }

    private static string ToText(object value, string helper, int index) => value switch
    {
        string text => text,
        byte[] bulk => Encoding.UTF8.GetString(bulk),
        long integer => integer.ToString(Invariant),
        double number => FormatDouble(number),
        BigInteger big => big.ToString(Invariant),
        _ => throw Unexpected(helper, index, value),
    };

    private static byte[] ToBytes(object value, string helper, int index) => value switch
    {
        byte[] bulk => bulk,
        _ => Encoding.UTF8.GetBytes(ToText(value, helper, index)),
    };

    // ------------------------------------------------------------------ text parsing

    /// <summary>The bytes of a bulk string as characters: ASCII goes through <paramref name="buffer"/>, anything else is decoded.</summary>
    private static ReadOnlySpan<char> Widen(byte[] bulk, Span<char> buffer)
    {
        if (bulk.Length <= buffer.Length && Ascii.ToUtf16(bulk, buffer, out int written) == System.Buffers.OperationStatus.Done)
            return buffer[..written];
        return Encoding.UTF8.GetString(bulk);
    }

    private static long ParseInt64(ReadOnlySpan<char> text, string helper, int index)
    {
        if (long.TryParse(text, IntegerStyle, Invariant, out long value))
            return value;
        throw BadInteger(helper, index, text);
    }

    private static ulong ParseUInt64(ReadOnlySpan<char> text, string helper, int index)
    {
        if (ulong.TryParse(text, IntegerStyle, Invariant, out ulong value))
            return value;
        throw BadInteger(helper, index, text);
    }

    private static double ParseDouble(ReadOnlySpan<char> text, string helper, int index)
    {
        if (TryParseSpecialDouble(text, out double value))
            return value;
        if (double.TryParse(text, FloatStyle, Invariant, out value))
        {
            if (!double.IsInfinity(value))
                return value;
            throw OutOfRange(helper, index, Quote(text));
        }
        throw Fail(helper, index, $"{Quote(text)} is not a number");
    }

    /// <summary>An optionally signed <c>inf</c>, <c>infinity</c> or <c>nan</c>, in any case (what Redis and Go's ParseFloat write and read).</summary>
    private static bool TryParseSpecialDouble(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        if (text.Length < 3 || text.Length > 9)
            return false;
        bool negative = text[0] == '-';
        ReadOnlySpan<char> body = text[0] is '-' or '+' ? text[1..] : text;
        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        if (body.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }
        return false;
    }

    private static bool ParseBool(ReadOnlySpan<char> text, string helper, int index) => text switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => throw Fail(helper, index, $"{Quote(text)} is not a boolean"),
    };

    private static string FormatDouble(double value)
    {
        if (double.IsFinite(value))
            return value.ToString("R", Invariant);
        if (double.IsNaN(value))
            return "nan";
        return value > 0 ? "inf" : "-inf";
    }

    // ------------------------------------------------------------------ errors

    private static RedisException Fail(string helper, int index, string message) =>
        new(index < 0 ? $"Reply.{helper}: {message}" : $"Reply.{helper}: {message} at index {index}");

    private static RedisNilException Nil(string helper, int index) =>
        new(index < 0 ? $"Reply.{helper}: nil returned" : $"Reply.{helper}: nil element at index {index}");

    private static RedisException Unexpected(string helper, int index, object value) =>
        Fail(helper, index, $"unexpected {(index < 0 ? "reply" : "element")} type {TypeName(value)}");

    private static RedisException OutOfRange(string helper, int index, string shownValue) =>
        Fail(helper, index, $"value {shownValue} is out of range");

    private static RedisException BadInteger(string helper, int index, ReadOnlySpan<char> text) =>
        IsIntegerSyntax(text) ? OutOfRange(helper, index, Quote(text)) : Fail(helper, index, $"{Quote(text)} is not an integer");

    private static RedisException DoubleNotInteger(string helper, int index, double value) =>
        double.IsFinite(value) && Math.Truncate(value) == value
            ? OutOfRange(helper, index, FormatDouble(value))
            : Fail(helper, index, $"{FormatDouble(value)} is not an integer");

    /// <summary>An optional sign then at least one ASCII digit: the text is an integer, so a failed parse means overflow.</summary>
    private static bool IsIntegerSyntax(ReadOnlySpan<char> text)
    {
        if (!text.IsEmpty && text[0] is '-' or '+')
            text = text[1..];
        return !text.IsEmpty && !text.ContainsAnyExceptInRange('0', '9');
    }

    private static string Quote(ReadOnlySpan<char> text) =>
        text.Length <= 64 ? $"\"{text}\"" : $"\"{text[..64]}...\"";

    private static string TypeName(object value) =>
        value is KeyValuePair<object?, object?>[] ? "KeyValuePair<object?, object?>[] (map)" : value.GetType().Name;
}
