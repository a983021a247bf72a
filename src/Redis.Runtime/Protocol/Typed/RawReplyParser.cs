namespace Redis;

/// <summary>A reply's own RESP bytes (a top-level error is thrown, as <see cref="ObjectParser"/> does): for merging replies without an object tree.</summary>
internal readonly struct RawReplyParser : IRespParser<byte[]>
{
    public byte[] Parse(ref RespReader reader)
    {
        RespType type = reader.PeekType();
        if (type is RespType.SimpleError or RespType.BulkError) throw (RedisServerException)reader.ReadObject()!;
        return reader.ReadRawValue().ToArray();
    }
}
