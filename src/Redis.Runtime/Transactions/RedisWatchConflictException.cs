namespace Redis;

/// <summary>
/// <see cref="Transaction.Run"/> gave up: every attempt's EXEC was aborted (a nil reply) because a
/// watched key changed between WATCH and EXEC. The connection is fine; retry later or with more attempts.
/// </summary>
public sealed class RedisWatchConflictException : RedisException
{
    /// <summary>Creates the exception for <paramref name="attempts"/> aborted attempts.</summary>
    public RedisWatchConflictException(int attempts)
        : base($"The transaction was aborted {attempts} time(s) in a row because a watched key changed (WATCH/MULTI/EXEC conflict).")
    {
        Attempts = attempts;
    }

    /// <summary>How many attempts were made.</summary>
    public int Attempts { get; }
}
