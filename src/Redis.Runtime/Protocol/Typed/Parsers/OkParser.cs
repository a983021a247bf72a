namespace Redis;

/// <summary>
/// Parses a reply whose only information is success (<c>+OK</c> and the like): the value is
/// skipped and <see langword="true"/> returned; an error reply is thrown. Used by <c>void</c> methods.
/// </summary>
public readonly struct OkParser : IRespParser<bool>
{
    /// <inheritdoc />
    public bool Parse(ref RespReader reader)
    {
        RespType type = reader.PeekType();
        if (type is RespType.SimpleError or RespType.BulkError) throw (RedisServerException)reader.ReadObject()!;
        reader.Skip();
        return true;
    }
}
