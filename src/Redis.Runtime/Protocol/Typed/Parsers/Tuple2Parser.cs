namespace Redis;

/// <summary>Parses a two-element array into a tuple (BLPOP's key and value). Nil throws <see cref="RedisNilException"/>; wrap in <see cref="NullableParser{T, TParser}"/> for nil.</summary>
public readonly struct Tuple2Parser<T1, T2, TParser1, TParser2> : IRespParser<(T1, T2)>
    where TParser1 : struct, IRespParser<T1>
    where TParser2 : struct, IRespParser<T2>
{
    /// <inheritdoc />
    public (T1, T2) Parse(ref RespReader reader)
    {
        TupleReading.ReadHeader(ref reader, 2);
        T1 first = default(TParser1).Parse(ref reader);
        return (first, default(TParser2).Parse(ref reader));
    }
}
