namespace Redis;

/// <summary>
/// Parses an array (or RESP3 set or map, read as its flat elements) element by element with
/// <typeparamref name="TParser"/>; a nil array gives <see langword="null"/>.
/// </summary>
public readonly struct ArrayParser<T, TParser> : IRespParser<T[]?>
    where TParser : struct, IRespParser<T>
{
    /// <inheritdoc />
    public T[]? Parse(ref RespReader reader)
    {
        int count = reader.ReadAggregateHeader(out RespType type);
        if (count < 0) return null;
        if (type == RespType.Map) count *= 2;
        if (count == 0) return [];
        var items = new T[count];
        TParser parser = default;
        for (int i = 0; i < items.Length; i++) items[i] = parser.Parse(ref reader);
        return items;
    }
}
