namespace Redis;

/// <summary>Parses a bulk reply as bytes (nil gives null).</summary>
public readonly struct BytesParser : IRespParser<byte[]?>
{
    /// <inheritdoc />
    public byte[]? Parse(ref RespReader reader) => reader.ReadBytes();
}
