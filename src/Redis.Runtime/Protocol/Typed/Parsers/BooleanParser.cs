namespace Redis;

/// <summary>Parses a boolean by the rules of <see cref="RespReader.ReadBoolean"/> (RESP3 boolean, integer, or text such as <c>1</c>, <c>0</c>, <c>OK</c>).</summary>
public readonly struct BooleanParser : IRespParser<bool>
{
    /// <inheritdoc />
    public bool Parse(ref RespReader reader) => reader.ReadBoolean();
}
