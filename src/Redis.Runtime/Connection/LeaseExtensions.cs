namespace Redis;

/// <summary>
/// <c>DoLease</c> for any <see cref="IConn"/>: a command whose reply is a bulk string, read into a pooled
/// <see cref="RedisLease"/> that the caller disposes. <see cref="Conn"/> and <see cref="RedisClient"/> have
/// the same methods of their own, which these call when the connection is one of them.
/// </summary>
public static class LeaseExtensions
{
    /// <summary>
    /// Sends <paramref name="command"/> and returns its bulk reply as a lease (null for nil). The caller owns
    /// the lease and must dispose it. An error reply is thrown as <see cref="RedisServerException"/>; a reply
    /// that is not a string is a <see cref="RedisException"/>.
    /// </summary>
    /// <param name="conn">The connection.</param>
    /// <param name="command">The command name, such as <c>"GET"</c>.</param>
    /// <param name="args">Its arguments, as <see cref="IConn.Do"/> takes them.</param>
    /// <returns>The reply, leased; or null for nil.</returns>
    public static RedisLease? DoLease(this IConn conn, string command, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(conn);
        ArgumentNullException.ThrowIfNull(command);
        return RespExecutor.For(conn).Execute<UntypedCommand, NullableParser<RedisLease, LeaseParser>, RedisLease?>(new UntypedCommand(command, args ?? [null]), default);
    }

    /// <summary>The asynchronous twin of <see cref="DoLease(IConn, string, object?[])"/>; the caller disposes the lease.</summary>
    /// <param name="conn">The connection.</param>
    /// <param name="command">The command name, such as <c>"GET"</c>.</param>
    /// <param name="args">Its arguments, as <see cref="IConn.Do"/> takes them.</param>
    /// <param name="cancellationToken">Cancels the call (on a <see cref="Conn"/> a cancelled read breaks the connection).</param>
    /// <returns>The reply, leased; or null for nil.</returns>
    public static ValueTask<RedisLease?> DoLeaseAsync(this IConn conn, string command, IReadOnlyList<object?> args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conn);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(args);
        return RespExecutor.For(conn).ExecuteAsync<UntypedCommand, NullableParser<RedisLease, LeaseParser>, RedisLease?>(new UntypedCommand(command, args as object?[] ?? [.. args]), default, cancellationToken);
    }
}
