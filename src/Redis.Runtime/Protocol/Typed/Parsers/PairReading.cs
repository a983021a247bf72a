namespace Redis;

// How maps and pair lists arrive: a RESP3 map, a flat even-length array, or an array of 2-arrays.
internal static class PairReading
{
    // Returns the number of pairs (-1 for nil); nested is true when each pair is its own array.
    public static int ReadPairCount(ref RespReader reader, out bool nested)
    {
        int count = reader.ReadAggregateHeader(out RespType type);
        nested = false;
        if (count <= 0 || type == RespType.Map) return count;
        RespType first = reader.PeekType();
        if (first is RespType.Array && count >= 1 && IsPairArray(reader))
        {
            nested = true;
            return count;
        }
        if (count % 2 != 0) throw new RedisException($"Expected key/value pairs, got an array of {count} elements.");
        return count / 2;
    }

    private static bool IsPairArray(RespReader probe)
    {
        // A copy of the reader: peeking must not consume.
        return probe.ReadAggregateHeader(out _) == 2;
    }

    public static void ReadPairHeader(ref RespReader reader)
    {
        int n = reader.ReadAggregateHeader(out _);
        if (n != 2) throw new RedisException($"Expected a two-element pair, got {n} elements.");
    }
}
