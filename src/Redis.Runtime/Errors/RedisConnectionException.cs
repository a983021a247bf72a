namespace Redis;

/// <summary>
/// An I/O failure: the socket failed, was closed, or the connection had already been broken by an
/// earlier failure. The connection that raised it is broken and must not be reused.
/// </summary>
public class RedisConnectionException : RedisException
{
    /// <summary>Creates an exception with a message.</summary>
    public RedisConnectionException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public RedisConnectionException(string message, Exception? innerException) : base(message, innerException) { }
}
