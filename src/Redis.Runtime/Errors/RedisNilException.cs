namespace Redis;

/// <summary>
/// A reply helper was asked for a value that cannot be null (a <see cref="long"/>, say) and the
/// reply was nil. The twin of redigo's <c>ErrNil</c>.
/// </summary>
public sealed class RedisNilException : RedisException
{
    /// <summary>Creates the exception with the standard message.</summary>
    public RedisNilException() : base("redis: nil returned") { }

    /// <summary>Creates the exception with a message.</summary>
    public RedisNilException(string message) : base(message) { }
}
