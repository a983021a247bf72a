namespace Redis;

// The typed path generated code uses: the command struct writes itself straight into the shared
// buffer, the reply is parsed on the reader thread by the parser struct, and the call's state lives
// in a pooled operation object, so a call allocates nothing but its result.
public sealed partial class RedisClient
{
    /// <summary>
    /// Sends a typed command on the shared connection (or a dedicated one, for a blocking command) and
    /// parses its reply with <paramref name="parser"/>. Thread-safe; blocks only the calling thread; no
    /// allocation beyond what the parser returns.
    /// </summary>
    /// <exception cref="RedisServerException">The reply was an error.</exception>
    /// <exception cref="InvalidOperationException">The command cannot run on a shared connection (transactions, subscriptions...).</exception>
    /// <exception cref="RedisTimeoutException">No reply within <see cref="ClientOptions.CommandTimeout"/> (the connection is kept).</exception>
    /// <exception cref="RedisConnectionException">The connection broke before the reply arrived, or is down.</exception>
    public TResult Execute<TCommand, TParser, TResult>(in TCommand command, in TParser parser)
        where TCommand : struct, IRespCommand, allows ref struct
        where TParser : struct, IRespParser<TResult>
    {
        ThrowIfReaderThread();
        TypedOperation<TParser, TResult> operation = TypedOperation<TParser, TResult>.Rent(parser);
        operation.Start(sync: true, null);
        CommandRoute route;
        CommandInfo info;
        bool flush;
        try
        {
            Task? wait;
            while ((wait = TryEnqueueTyped(operation, command, out route, out info, out flush)) is not null) WaitForConnection(wait);
        }
        catch
        {
            operation.Discard();
            throw;
        }
        if (route != CommandRoute.Shared)
        {
            operation.Discard();
            return ExecuteDedicated<TCommand, TParser, TResult>(command, parser, route, info);
        }
        if (flush) FlushLoop();
        return operation.WaitForResult(_timeoutMs, SyncSpinTicks());
    }

    /// <summary>
    /// The asynchronous twin of <see cref="Execute{TCommand, TParser, TResult}"/>. The command is encoded
    /// before this method returns. Cancelling ends the wait at once; the reply is still read and dropped, so
    /// the connection stays in step. No allocation beyond the parser's result (the returned
    /// <see cref="ValueTask{TResult}"/> is backed by a pooled source).
    /// </summary>
    public ValueTask<TResult> ExecuteAsync<TCommand, TParser, TResult>(TCommand command, TParser parser, CancellationToken cancellationToken = default)
        where TCommand : struct, IRespCommand
        where TParser : struct, IRespParser<TResult>
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<TResult>(cancellationToken);
        TypedOperation<TParser, TResult> operation = TypedOperation<TParser, TResult>.Rent(parser);
        operation.Start(sync: false, null);
        Task? wait;
        CommandRoute route;
        CommandInfo info;
        bool flush;
        try
        {
            wait = TryEnqueueTyped(operation, command, out route, out info, out flush);
        }
        catch (Exception ex)
        {
            operation.Discard();
            return ValueTask.FromException<TResult>(ex);
        }
        if (wait is not null || route != CommandRoute.Shared)
        {
            operation.Discard();
            return wait is not null
                ? ExecuteAfterConnectAsync<TCommand, TParser, TResult>(wait, command, parser, cancellationToken)
                : ExecuteDedicatedAsync<TCommand, TParser, TResult>(command, parser, route, info, cancellationToken);
        }
        operation.Arm(_timeoutMs, cancellationToken);
        if (flush) FlushLoop();
        return operation.AsValueTask();
    }

    private async ValueTask<TResult> ExecuteAfterConnectAsync<TCommand, TParser, TResult>(Task wait, TCommand command, TParser parser, CancellationToken cancellationToken)
        where TCommand : struct, IRespCommand
        where TParser : struct, IRespParser<TResult>
    {
        await WaitForConnectionAsync(wait, cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync<TCommand, TParser, TResult>(command, parser, cancellationToken).ConfigureAwait(false);
    }

    // Encodes the command into the shared buffer and queues its operation, unless the command must run
    // elsewhere (then route says where and info what it is). Null when done, else the connect attempt to
    // wait for. A command carrying its table id is routed from the id alone, before it is encoded; only
    // one without an id, or one that blocks with an option (XREAD BLOCK), is routed from its bytes.
    private Task? TryEnqueueTyped<TCommand>(PipelineOperation operation, scoped in TCommand command, out CommandRoute route, out CommandInfo info, out bool flush)
        where TCommand : struct, IRespCommand, allows ref struct
    {
        flush = false;
        info = CommandTable.Of<TCommand>();
        CommandRoute? known = info.IsKnown ? CommandRouting.ByEntry(info) : null;
        route = known ?? CommandRoute.Shared;
        if (route != CommandRoute.Shared) return null;
        lock (_writeLock)
        {
            if (_state != State.Connected) return NotWritableLocked();
            RespWriter writer = _active;
            int before = writer.Length;
            try
            {
                command.WriteTo(writer);
            }
            catch
            {
                writer.Truncate(before); // never leave half a command in the shared buffer
                throw;
            }
            if (known is null)
            {
                route = CommandRouting.Classify<TCommand>(writer.WrittenSpan[before..], out info);
                if (route != CommandRoute.Shared)
                {
                    writer.Truncate(before);
                    return null;
                }
            }
            if (_cache is not null) EvictWrittenKeys(info, writer.WrittenSpan[before..]);
            if (RedisTelemetry.IsEnabled) operation.BeginTelemetry(TelemetryTarget, info, writer.WrittenSpan[before..]);
            _queued.Enqueue(operation);
            _commands++;
            flush = ClaimFlushLocked(operation.IsSynchronous);
        }
        return null;
    }
}
