namespace Redis;

/// <summary>Parses a text reply as UTF-8 (nil gives null).</summary>
public readonly struct StringParser : IRespParser<string?>
{
    /// <inheritdoc />
    public string? Parse(ref RespReader reader) => reader.ReadString();
}
