namespace Redis;

/// <summary>
/// A connection that can give one call its own read deadline, for blocking commands (BLPOP, BRPOP,
/// XREAD BLOCK, WAIT) whose wait is longer than the connection's default read timeout. The twin of
/// redigo's <c>ConnWithTimeout</c>; <see cref="Conn"/> and the pooled and logging wrappers implement it.
/// </summary>
public interface IConnWithTimeout : IConn
{
    /// <summary><see cref="IConn.Do"/> with <paramref name="timeout"/> as the read deadline for this call only (<see cref="TimeSpan.Zero"/>: none).</summary>
    object? DoWithTimeout(TimeSpan timeout, string command, params object?[] args);

    /// <summary><see cref="IConn.Receive"/> with <paramref name="timeout"/> as the read deadline for this call only (<see cref="TimeSpan.Zero"/>: none).</summary>
    object? ReceiveWithTimeout(TimeSpan timeout);

    /// <summary>The asynchronous twin of <see cref="DoWithTimeout"/>.</summary>
    ValueTask<object?> DoWithTimeoutAsync(TimeSpan timeout, string command, IReadOnlyList<object?> args, CancellationToken cancellationToken = default);

    /// <summary>The asynchronous twin of <see cref="ReceiveWithTimeout"/>.</summary>
    ValueTask<object?> ReceiveWithTimeoutAsync(TimeSpan timeout, CancellationToken cancellationToken = default);
}
