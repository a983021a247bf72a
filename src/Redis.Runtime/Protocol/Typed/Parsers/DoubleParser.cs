namespace Redis;

/// <summary>Parses a double reply (RESP3 double, integer or numeric text).</summary>
public readonly struct DoubleParser : IRespParser<double>
{
    /// <inheritdoc />
    public double Parse(ref RespReader reader) => reader.ReadDouble();
}
