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
/// <item><description><b>Scalars</b> follow one set of rules, the same as the typed API's (generated
/// commands and <see cref="IRespParser{T}"/> parsers read replies by them too). Numbers (unlike redigo, alike
/// in every helper): an integer, text of a number, a RESP3 double, a RESP3 boolean (1 or 0) and a big number
/// are accepted when the value fits the target type; a value that does not fit throws
/// <see cref="RedisException"/>. Integer text is an optional sign and ASCII digits only (no white space,
/// no <c>1e3</c>); double text is a decimal number (invariant culture, optional exponent) or, in any
/// case and optionally signed, <c>inf</c>, <c>infinity</c>, <c>nan</c>; a finite spelling beyond the range
/// of <see cref="double"/> is out of range. Booleans: a RESP3 boolean, an integer or big number (true when
/// not 0), or text <c>1 t T true TRUE True OK</c> / <c>0 f F false FALSE False</c>.</description></item>
/// <item><description><b>Text</b>: bulk strings are decoded as UTF-8; integers, doubles and big
/// numbers are formatted with the invariant culture (doubles as <c>inf</c>, <c>-inf</c> and
/// <c>nan</c> when not finite); a RESP3 boolean is <c>1</c> or <c>0</c>.</description></item>
/// <item><description><b>Maps</b> accept the RESP2 flat array (<c>HGETALL</c>: key, value, key,
/// value...) and the RESP3 map; keys are bulk or simple strings (numbers are formatted); a duplicate
/// key keeps the last value. The array helpers flatten a RESP3 map the same way, so
/// <c>Reply.Strings(conn.Do("HGETALL", key))</c> works on both protocols.</description></item>
/// <item><description>Any other type throws <see cref="RedisException"/> whose message names the
/// helper and the type, for example <c>Reply.Int64: unexpected reply type Object[]</c>.</description></item>
/// </list>
/// </remarks>
public static partial class Reply
{
    private const int NoIndex = -1;

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
    /// parsed like Go's <c>strconv.ParseBool</c> (<c>1 t T TRUE true True</c> / <c>0 f F FALSE false False</c>)
    /// or is the status <c>OK</c> (true); a RESP3 boolean is itself; a RESP3 big number is true when not 0.
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
    /// big number (formatted with the invariant culture) or a RESP3 boolean (<c>1</c> or <c>0</c>) to <see cref="string"/>.
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
    /// UTF-8), an integer, a double, a big number or a RESP3 boolean (formatted, then encoded) to a byte array.
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
}
