namespace Redis;

/// <summary>
/// A read, write or connect deadline passed. The connection is broken: a late reply must never be
/// read as the answer to a later command.
/// </summary>
public sealed class RedisTimeoutException : RedisConnectionException
{
    /// <summary>Creates an exception with a message.</summary>
    public RedisTimeoutException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public RedisTimeoutException(string message, Exception? innerException) : base(message, innerException) { }
}
