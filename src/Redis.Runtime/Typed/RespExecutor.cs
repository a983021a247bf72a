using System.Text;

namespace Redis;

/// <summary>Gives typed command code an <see cref="IRespExecutor"/> for any connection.</summary>
public static class RespExecutor
{
    /// <summary>
    /// The connection itself when it runs typed commands natively (<see cref="Conn"/>); otherwise an
    /// adapter that goes through <see cref="IConn.Do"/> (correct, but it converts the command to
    /// objects and the reply back to RESP).
    /// </summary>
    public static IRespExecutor For(IConn conn)
    {
        ArgumentNullException.ThrowIfNull(conn);
        return conn as IRespExecutor ?? new DoAdapter(conn);
    }

    private sealed class DoAdapter(IConn conn) : IRespExecutor
    {
        public TResult Execute<TCommand, TParser, TResult>(in TCommand command, in TParser parser)
            where TCommand : struct, IRespCommand, allows ref struct
            where TParser : struct, IRespParser<TResult>
        {
            (string name, object?[] args) = Decode(command);
            object? reply;
            try
            {
                reply = conn.Do(name, args);
            }
            catch (RedisServerException error)
            {
                reply = error;
            }
            return Parse<TParser, TResult>(parser, reply);
        }

        public async ValueTask<TResult> ExecuteAsync<TCommand, TParser, TResult>(TCommand command, TParser parser, CancellationToken cancellationToken)
            where TCommand : struct, IRespCommand
            where TParser : struct, IRespParser<TResult>
        {
            (string name, object?[] args) = Decode(command);
            object? reply;
            try
            {
                reply = await conn.DoAsync(name, args, cancellationToken).ConfigureAwait(false);
            }
            catch (RedisServerException error)
            {
                reply = error;
            }
            return Parse<TParser, TResult>(parser, reply);
        }

        private static (string Name, object?[] Args) Decode<TCommand>(in TCommand command) where TCommand : struct, IRespCommand, allows ref struct
        {
            using var writer = new RespWriter();
            command.WriteTo(writer);
            using var decoder = new RespDecoder();
            decoder.Append(writer.WrittenSpan);
            if (!decoder.TryReadObject(out object? encoded) || encoded is not object?[] { Length: > 0 } parts || parts[0] is not byte[] name)
            {
                throw new InvalidOperationException($"{typeof(TCommand).Name} did not write a command array.");
            }
            return (Encoding.UTF8.GetString(name), parts[1..]);
        }

        private static TResult Parse<TParser, TResult>(TParser parser, object? reply) where TParser : struct, IRespParser<TResult>
        {
            using var writer = new RespWriter();
            writer.WriteReply(reply);
            var reader = new RespReader(writer.WrittenSpan);
            return parser.Parse(ref reader);
        }
    }
}
