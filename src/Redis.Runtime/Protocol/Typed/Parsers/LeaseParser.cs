namespace Redis;

/// <summary>
/// Parses a bulk reply into a pooled <see cref="RedisLease"/> (the caller disposes it); nil throws
/// <see cref="RedisNilException"/> (wrap in <see cref="NullableParser{T, TParser}"/> for null instead).
/// A large reply is read from the socket straight into the leased array.
/// </summary>
public readonly struct LeaseParser : IRespParser<RedisLease>
{
    /// <inheritdoc />
    public RedisLease Parse(ref RespReader reader) => reader.ReadLease() ?? throw new RedisNilException();
}
