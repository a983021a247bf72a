namespace Redis;

/// <summary>The base of every exception this library throws.</summary>
public class RedisException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public RedisException(string message) : base(message) { }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    public RedisException(string message, Exception? innerException) : base(message, innerException) { }
}
