namespace Redis;

// The array helpers of Reply: each element converted as the scalar helper of the same name.
public static partial class Reply
{
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
}
