using System.Runtime.CompilerServices;

namespace Redis;

// The typed path generated code uses: the command writes itself into the buffer and the reply is
// parsed from the receive buffer with typed reads. No object[], no boxing, no reply tree.
public sealed partial class Conn : IRespExecutor
{
    /// <inheritdoc />
    public TResult Execute<TCommand, TParser, TResult>(in TCommand command, in TParser parser)
        where TCommand : struct, IRespCommand, allows ref struct
        where TParser : struct, IRespParser<TResult>
    {
        if (Traced) return ExecuteTraced<TCommand, TParser, TResult>(command, parser);
        ThrowIfBroken();
        WriteTyped(command);
        int pending = Interlocked.Exchange(ref _pending, 0);
        FlushCore();
        RedisServerException? firstError = null;
        for (int i = 0; i < pending; i++)
        {
            if (ReadOne(forDo: true) is RedisServerException error) firstError ??= error;
        }
        TResult result;
        while (!TryParseTyped(parser, out result)) Fill(ParserBulkTarget<TParser>.Value);
        return firstError is null ? result : throw firstError;
    }

    /// <inheritdoc />
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<TResult> ExecuteAsync<TCommand, TParser, TResult>(TCommand command, TParser parser, CancellationToken cancellationToken = default)
        where TCommand : struct, IRespCommand
        where TParser : struct, IRespParser<TResult>
    {
        if (Traced) return await ExecuteTracedAsync<TCommand, TParser, TResult>(command, parser, cancellationToken).ConfigureAwait(false);
        ThrowIfBroken();
        cancellationToken.ThrowIfCancellationRequested();
        WriteTyped(command);
        int pending = Interlocked.Exchange(ref _pending, 0);
        await FlushCoreAsync(cancellationToken).ConfigureAwait(false);
        RedisServerException? firstError = null;
        for (int i = 0; i < pending; i++)
        {
            if (await ReadOneAsync(forDo: true, cancellationToken).ConfigureAwait(false) is RedisServerException error) firstError ??= error;
        }
        TResult result;
        while (!TryParseTyped(parser, out result)) await FillAsync(cancellationToken, ParserBulkTarget<TParser>.Value).ConfigureAwait(false);
        return firstError is null ? result : throw firstError;
    }

    private void WriteTyped<TCommand>(in TCommand command) where TCommand : struct, IRespCommand, allows ref struct
    {
        int before = _writer.Length;
        try
        {
            command.WriteTo(_writer);
        }
        catch
        {
            _writer.Truncate(before); // never leave half a command in the buffer
            throw;
        }
    }

    // Parses the next reply frame with the typed parser once it is complete; push frames on the way
    // go to the push handler. The frame is consumed even when the parser throws (an error reply or
    // a type mismatch), so the stream stays in step.
    private bool TryParseTyped<TParser, TResult>(in TParser parser, out TResult result)
        where TParser : struct, IRespParser<TResult>
    {
        while (true)
        {
            ReadOnlySpan<byte> frame;
            try
            {
                if (!_decoder.TryReadFrame(out frame))
                {
                    result = default!;
                    return false;
                }
            }
            catch (RedisProtocolException ex)
            {
                throw Fail(ex);
            }

            if (frame[0] == (byte)'>')
            {
                var pushReader = new RespReader(frame);
                var push = (RedisPush)pushReader.ReadObject()!;
                _decoder.Consume(frame.Length);
                if (IsSubscriptionReply(push)) throw new RedisException("A subscription confirmation arrived where a typed reply was expected; use Do or a PubSubConn for (un)subscribe commands.");
                DeliverPush(push);
                continue;
            }

            RespReader reader = _decoder.CreateReader(frame);
            try
            {
                TParser copy = parser;
                result = copy.Parse(ref reader);
                return true;
            }
            finally
            {
                _decoder.Consume(frame.Length);
            }
        }
    }
}
