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

        // IConn.Do takes the arguments as objects, so the command is encoded and split once to copy them out.
        // The name comes from the table entry the command carries when it is one word (interned, no copy).
        private static (string Name, object?[] Args) Decode<TCommand>(in TCommand command) where TCommand : struct, IRespCommand, allows ref struct
        {
            using var writer = new RespWriter();
            command.WriteTo(writer);
            ReadOnlySpan<byte> encoded = writer.WrittenSpan;
            int count = CommandArgs.CountOf(encoded);
            if (count < 1) throw new InvalidOperationException($"{typeof(TCommand).Name} did not write a command array.");
            CommandArgs parts;
            try
            {
                parts = CommandArgs.Parse(encoded, new Range[count]);
            }
            catch (ArgumentException error)
            {
                throw new InvalidOperationException($"{typeof(TCommand).Name} did not write a command array.", error);
            }
            CommandInfo info = CommandTable.Of<TCommand>();
            string name = info.IsKnown && info.NameWords == 1 ? info.Name : Encoding.UTF8.GetString(parts[0]);
            var args = new object?[count - 1];
            for (int i = 1; i < count; i++) args[i - 1] = parts[i].ToArray();
            return (name, args);
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
