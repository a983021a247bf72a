namespace Redis;

// DoLease: a command's bulk reply in a pooled RedisLease (the caller disposes it), read from the socket
// straight into the leased array when large (the reader thread asks the operation where it goes).
public sealed partial class RedisClient
{
    /// <summary>
    /// Sends one command and returns its bulk reply in a pooled <see cref="RedisLease"/> (null for nil); the
    /// caller owns the lease and must dispose it. Thread-safe; otherwise as <see cref="Do"/>.
    /// </summary>
    /// <exception cref="RedisServerException">The server answered with an error.</exception>
    /// <exception cref="RedisException">The reply is not a string.</exception>
    public RedisLease? DoLease(string command, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(command);
        CheckCommandName(command);
        return Execute<UntypedCommand, NullableParser<RedisLease, LeaseParser>, RedisLease?>(new UntypedCommand(command, args ?? [null]), default);
    }

    /// <summary>The asynchronous twin of <see cref="DoLease"/>; the caller disposes the lease.</summary>
    public ValueTask<RedisLease?> DoLeaseAsync(string command, IReadOnlyList<object?> args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(args);
        CheckCommandName(command);
        return ExecuteAsync<UntypedCommand, NullableParser<RedisLease, LeaseParser>, RedisLease?>(new UntypedCommand(command, args as object?[] ?? [.. args]), default, cancellationToken);
    }
}
