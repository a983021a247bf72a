namespace Redis;

/// <summary>Gives <see langword="null"/> for a nil reply and otherwise the value <typeparamref name="TParser"/> reads.</summary>
public readonly struct NullableParser<T, TParser> : IRespParser<T?>
    where T : struct
    where TParser : struct, IRespParser<T>
{
    /// <inheritdoc />
    public T? Parse(ref RespReader reader) => reader.TryReadNull() ? null : default(TParser).Parse(ref reader);
}
