namespace Redis;

/// <summary>
/// A <see cref="Sentinel"/> could not find a master: <see cref="Failure"/> says which of the three
/// distinct cases it is. A <see cref="RedisConnectionException"/>, so code that handles an unreachable
/// server handles this too.
/// </summary>
public sealed class RedisSentinelException : RedisConnectionException
{
    /// <summary>Creates the exception.</summary>
    public RedisSentinelException(SentinelFailure failure, string message, Exception? innerException = null) : base(message, innerException)
        => Failure = failure;

    /// <summary>What went wrong.</summary>
    public SentinelFailure Failure { get; }
}
