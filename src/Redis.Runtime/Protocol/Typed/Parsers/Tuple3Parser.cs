namespace Redis;

/// <summary>Parses a three-element array into a tuple (BZPOPMIN's key, member and score). Nil throws <see cref="RedisNilException"/>.</summary>
public readonly struct Tuple3Parser<T1, T2, T3, TParser1, TParser2, TParser3> : IRespParser<(T1, T2, T3)>
    where TParser1 : struct, IRespParser<T1>
    where TParser2 : struct, IRespParser<T2>
    where TParser3 : struct, IRespParser<T3>
{
    /// <inheritdoc />
    public (T1, T2, T3) Parse(ref RespReader reader)
    {
        TupleReading.ReadHeader(ref reader, 3);
        T1 first = default(TParser1).Parse(ref reader);
        T2 second = default(TParser2).Parse(ref reader);
        return (first, second, default(TParser3).Parse(ref reader));
    }
}
