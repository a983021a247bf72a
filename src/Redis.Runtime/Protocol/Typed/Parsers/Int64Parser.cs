namespace Redis;

/// <summary>Parses an integer by the rules of <see cref="RespReader.ReadInt64"/> (also numeric text, RESP3 booleans, integral doubles).</summary>
public readonly struct Int64Parser : IRespParser<long>
{
    /// <inheritdoc />
    public long Parse(ref RespReader reader) => reader.ReadInt64();
}
