namespace Redis;

/// <summary>Parses an integer reply (also numeric text, RESP3 booleans).</summary>
public readonly struct Int64Parser : IRespParser<long>
{
    /// <inheritdoc />
    public long Parse(ref RespReader reader) => reader.ReadInt64();
}
