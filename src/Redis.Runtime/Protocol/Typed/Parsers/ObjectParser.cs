namespace Redis;

/// <summary>Parses any reply as the object tree Do returns (a top-level error is thrown).</summary>
public readonly struct ObjectParser : IRespParser<object?>
{
    /// <inheritdoc />
    public object? Parse(ref RespReader reader) => ReadObjectOrThrow(ref reader);

    private static object? ReadObjectOrThrow(ref RespReader reader)
    {
        object? value = reader.ReadObject();
        return value is RedisServerException error ? throw error : value;
    }
}
