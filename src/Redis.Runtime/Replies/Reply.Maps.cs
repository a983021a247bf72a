namespace Redis;

// The map helpers of Reply: RESP2 flat arrays and RESP3 maps to dictionaries.
public static partial class Reply
{
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
}
