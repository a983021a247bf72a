namespace Redis;

// The helpers of Reply for command-shaped replies (GEOPOS, SLOWLOG GET).
public static partial class Reply
{
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

    private static double Coordinate(object? value, int index) =>
        ToDouble(Field(value, nameof(Positions), index), nameof(Positions), index);
}
