namespace Redis;

/// <summary>
/// Parses a SCAN-family cursor (a bulk string of up to 20 digits) into a <see cref="ulong"/>, by the same
/// rules as <see cref="Reply.UInt64"/> (see <see cref="ScalarRules"/>); nil throws <see cref="RedisNilException"/>.
/// </summary>
public readonly struct CursorParser : IRespParser<ulong>
{
    /// <inheritdoc />
    public ulong Parse(ref RespReader reader) => reader.ReadUInt64();
}
