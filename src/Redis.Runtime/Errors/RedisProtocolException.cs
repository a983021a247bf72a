namespace Redis;

/// <summary>
/// The bytes from the server are not valid RESP, or exceed a configured limit (bulk length,
/// aggregate length, nesting depth). The connection that read them is broken.
/// </summary>
public sealed class RedisProtocolException : RedisException
{
    /// <summary>Creates an exception with a message.</summary>
    public RedisProtocolException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public RedisProtocolException(string message, Exception? innerException) : base(message, innerException) { }
}
