namespace Redis;

/// <summary>Parses a boolean (RESP3 boolean, integer 0/1, or +OK).</summary>
public readonly struct BooleanParser : IRespParser<bool>
{
    /// <inheritdoc />
    public bool Parse(ref RespReader reader) => reader.ReadBoolean();
}
