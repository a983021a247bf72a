namespace Redis;

/// <summary>
/// Runs typed commands: what generated command interfaces call. <see cref="Conn"/> implements it
/// with no allocation beyond the result; <see cref="RespExecutor.For"/> adapts any other
/// <see cref="IConn"/>.
/// </summary>
public interface IRespExecutor
{
    /// <summary>Sends <paramref name="command"/>, flushes, reads any pending replies and parses this command's reply.</summary>
    /// <exception cref="RedisServerException">The reply (or an earlier pending reply) was an error.</exception>
    TResult Execute<TCommand, TParser, TResult>(in TCommand command, in TParser parser)
        where TCommand : struct, IRespCommand, allows ref struct
        where TParser : struct, IRespParser<TResult>;

    /// <summary>The asynchronous twin of <see cref="Execute{TCommand, TParser, TResult}"/>.</summary>
    ValueTask<TResult> ExecuteAsync<TCommand, TParser, TResult>(TCommand command, TParser parser, CancellationToken cancellationToken = default)
        where TCommand : struct, IRespCommand
        where TParser : struct, IRespParser<TResult>;
}
