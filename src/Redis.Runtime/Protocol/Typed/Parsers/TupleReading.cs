namespace Redis;

internal static class TupleReading
{
    public static void ReadHeader(ref RespReader reader, int expected)
    {
        int n = reader.ReadAggregateHeader(out _);
        if (n < 0) throw new RedisNilException();
        if (n != expected) throw new RedisException($"Expected {expected} elements, got {n}.");
    }
}
