namespace Redis;

/// <summary>
/// <see cref="Pool.Get"/> found every connection in use (<see cref="Pool.MaxActive"/> reached) and the
/// pool does not <see cref="Pool.Wait"/>. The twin of redigo's <c>ErrPoolExhausted</c>; unlike redigo it is
/// thrown by <c>Get</c> itself rather than carried by an error connection.
/// </summary>
public sealed class RedisPoolExhaustedException : RedisException
{
    /// <summary>Creates the exception with the standard message.</summary>
    public RedisPoolExhaustedException() : base("redis: connection pool exhausted") { }

    /// <summary>Creates the exception with a message.</summary>
    public RedisPoolExhaustedException(string message) : base(message) { }
}
