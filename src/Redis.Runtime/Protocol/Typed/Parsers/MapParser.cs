namespace Redis;

/// <summary>
/// Parses a map: a RESP3 map, a RESP2 flat array of keys and values, or an array of two-element
/// arrays. A duplicate key keeps the last value; nil gives <see langword="null"/>.
/// </summary>
public readonly struct MapParser<TKey, TValue, TKeyParser, TValueParser> : IRespParser<Dictionary<TKey, TValue>?>
    where TKey : notnull
    where TKeyParser : struct, IRespParser<TKey>
    where TValueParser : struct, IRespParser<TValue>
{
    /// <inheritdoc />
    public Dictionary<TKey, TValue>? Parse(ref RespReader reader)
    {
        int count = PairReading.ReadPairCount(ref reader, out bool nested);
        if (count < 0) return null;
        var map = new Dictionary<TKey, TValue>(count);
        for (int i = 0; i < count; i++)
        {
            if (nested) PairReading.ReadPairHeader(ref reader);
            TKey key = default(TKeyParser).Parse(ref reader);
            map[key] = default(TValueParser).Parse(ref reader);
        }
        return map;
    }
}
