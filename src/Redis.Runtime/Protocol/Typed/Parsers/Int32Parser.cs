namespace Redis;

/// <summary>Parses an integer reply into an <see cref="int"/>; a value out of range is a <see cref="RedisException"/>.</summary>
public readonly struct Int32Parser : IRespParser<int>
{
    /// <inheritdoc />
    public int Parse(ref RespReader reader)
    {
        long value = reader.ReadInt64();
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw new RedisException($"The integer reply {value} does not fit in an Int32.");
    }
}
