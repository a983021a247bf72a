namespace Redis;

/// <summary>
/// Parses a list of pairs (ZRANGE WITHSCORES, HRANDFIELD WITHVALUES): a flat array of 2n elements
/// (RESP2), an array of two-element arrays (RESP3), or a map; nil gives <see langword="null"/>.
/// </summary>
public readonly struct PairsParser<T1, T2, TParser1, TParser2> : IRespParser<(T1, T2)[]?>
    where TParser1 : struct, IRespParser<T1>
    where TParser2 : struct, IRespParser<T2>
{
    /// <inheritdoc />
    public (T1, T2)[]? Parse(ref RespReader reader)
    {
        int count = PairReading.ReadPairCount(ref reader, out bool nested);
        if (count < 0) return null;
        if (count == 0) return [];
        var pairs = new (T1, T2)[count];
        for (int i = 0; i < pairs.Length; i++)
        {
            if (nested) PairReading.ReadPairHeader(ref reader);
            T1 first = default(TParser1).Parse(ref reader);
            pairs[i] = (first, default(TParser2).Parse(ref reader));
        }
        return pairs;
    }
}
