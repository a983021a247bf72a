using System.Buffers;
using System.Security.Cryptography;

namespace Redis;

/// <summary>
/// The connection a <see cref="Pool"/> lends: every call goes to the pooled connection, and the
/// commands that change connection state (MULTI, WATCH, SUBSCRIBE, SELECT, MONITOR...) are tracked so
/// that <see cref="Dispose"/> can undo them before the connection goes back, or close it when they
/// cannot be undone.
/// </summary>
internal sealed class PooledConn : IConnWithTimeout, IRespExecutor
{
    // Read back after UNSUBSCRIBE/PUNSUBSCRIBE/SUNSUBSCRIBE: every reply before it belongs to the old subscriptions.
    private static readonly byte[] Sentinel = CreateSentinel();

    private readonly Pool _pool;
    private readonly PoolEntry _entry;
    private ConnState _state;
    private int _closed;

    internal PooledConn(Pool pool, PoolEntry entry)
    {
        _pool = pool;
        _entry = entry;
    }

    /// <inheritdoc />
    public Exception? Err => Volatile.Read(ref _closed) != 0 ? ReturnedError() : _entry.Conn.Err;

    /// <inheritdoc />
    public object? Do(string command, params object?[] args)
    {
        IConn conn = Inner();
        Track(command, args);
        return conn.Do(command, args);
    }

    /// <inheritdoc />
    public void Send(string command, params object?[] args)
    {
        IConn conn = Inner();
        Track(command, args);
        conn.Send(command, args);
    }

    /// <inheritdoc />
    public void Flush() => Inner().Flush();

    /// <inheritdoc />
    public object? Receive() => Inner().Receive();

    /// <inheritdoc />
    public ValueTask<object?> DoAsync(string command, params object?[] args)
    {
        IConn conn = Inner();
        Track(command, args);
        return conn.DoAsync(command, args);
    }

    /// <inheritdoc />
    public ValueTask<object?> DoAsync(string command, IReadOnlyList<object?> args, CancellationToken cancellationToken)
    {
        IConn conn = Inner();
        Track(command, args);
        return conn.DoAsync(command, args, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => Inner().FlushAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<object?> ReceiveAsync(CancellationToken cancellationToken = default) => Inner().ReceiveAsync(cancellationToken);

    /// <inheritdoc />
    public object? DoWithTimeout(TimeSpan timeout, string command, params object?[] args)
    {
        IConnWithTimeout conn = InnerWithTimeout();
        Track(command, args);
        return conn.DoWithTimeout(timeout, command, args);
    }

    /// <inheritdoc />
    public object? ReceiveWithTimeout(TimeSpan timeout) => InnerWithTimeout().ReceiveWithTimeout(timeout);

    /// <inheritdoc />
    public ValueTask<object?> DoWithTimeoutAsync(TimeSpan timeout, string command, IReadOnlyList<object?> args, CancellationToken cancellationToken = default)
    {
        IConnWithTimeout conn = InnerWithTimeout();
        Track(command, args);
        return conn.DoWithTimeoutAsync(timeout, command, args, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<object?> ReceiveWithTimeoutAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
        => InnerWithTimeout().ReceiveWithTimeoutAsync(timeout, cancellationToken);

    /// <inheritdoc />
    public TResult Execute<TCommand, TParser, TResult>(in TCommand command, in TParser parser)
        where TCommand : struct, IRespCommand, allows ref struct
        where TParser : struct, IRespParser<TResult>
    {
        Inner();
        TrackTyped(command);
        return _entry.Executor.Execute<TCommand, TParser, TResult>(command, parser);
    }

    /// <inheritdoc />
    public ValueTask<TResult> ExecuteAsync<TCommand, TParser, TResult>(TCommand command, TParser parser, CancellationToken cancellationToken = default)
        where TCommand : struct, IRespCommand
        where TParser : struct, IRespParser<TResult>
    {
        Inner();
        TrackTyped(command);
        return _entry.Executor.ExecuteAsync<TCommand, TParser, TResult>(command, parser, cancellationToken);
    }

    /// <summary>Returns the connection to the pool (after cleaning its state); later calls fail. A second call does nothing.</summary>
    public void Close() => SyncCompletion.Wait(CloseCore(async: false));

    /// <inheritdoc />
    public void Dispose() => Close();

    /// <summary>Returns the connection to the pool, cleaning its state asynchronously.</summary>
    public ValueTask DisposeAsync() => CloseCore(async: true);

    private async ValueTask CloseCore(bool async)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        bool reusable;
        try
        {
            reusable = await Cleanup(async).ConfigureAwait(false);
        }
        catch (Exception)
        {
            reusable = false;
        }
        _pool.Return(_entry, reusable);
    }

    /// <inheritdoc />
    public override string ToString() => $"PooledConn({_entry.Conn}{(Volatile.Read(ref _closed) != 0 ? ", returned" : "")})";

    private IConn Inner()
    {
        if (Volatile.Read(ref _closed) != 0) throw ReturnedError();
        return _entry.Conn;
    }

    private IConnWithTimeout InnerWithTimeout() => Inner() as IConnWithTimeout
        ?? throw new NotSupportedException($"The pooled connection ({_entry.Conn.GetType().Name}) does not support per-call timeouts (IConnWithTimeout).");

    private static RedisConnectionException ReturnedError() => new("The connection is closed: it was returned to the pool.");

    private void Track(string command, object?[]? args)
    {
        if (command is null) return; // the inner connection reports it
        ReadOnlySpan<object?> span = args;
        _state = ConnStateChange.Of(CommandTable.Find(command, span.Length > 0 ? span[0] : null), span).ApplyTo(_state);
    }

    private void Track(string command, IReadOnlyList<object?>? args)
    {
        if (command is null) return;
        if (args is null or object?[])
        {
            Track(command, (object?[]?)args);
            return;
        }
        // The subcommand and CLIENT REPLY's mode are all the table and the state change read; copying two is enough.
        Span<object?> head = [args.Count > 0 ? args[0] : null, args.Count > 1 ? args[1] : null];
        head = head[..Math.Min(args.Count, 2)];
        _state = ConnStateChange.Of(CommandTable.Find(command, head.Length > 0 ? head[0] : null), head).ApplyTo(_state);
    }

    // A typed command carries its table entry: only one without it, or CLIENT REPLY (whose mode decides),
    // is rendered into a reused writer to be read. No allocation either way.
    private void TrackTyped<TCommand>(in TCommand command) where TCommand : struct, IRespCommand, allows ref struct
    {
        CommandInfo info = CommandTable.Of<TCommand>();
        if (info.IsKnown && info.Effect != ConnectionEffect.ClientReply)
        {
            _state = ConnStateChange.Of(info, repliesStop: false).ApplyTo(_state);
            return;
        }
        RespWriter scratch = _entry.Scratch ??= new RespWriter(256);
        scratch.Reset();
        Range[]? rented = null;
        try
        {
            command.WriteTo(scratch);
            ReadOnlySpan<byte> encoded = scratch.WrittenSpan;
            int count = CommandArgs.CountOf(encoded);
            if (count < 1) return;
            Span<Range> ranges = count <= 16 ? stackalloc Range[16] : (rented = ArrayPool<Range>.Shared.Rent(count));
            CommandArgs args = CommandArgs.Parse(encoded, ranges);
            _state = ConnStateChange.Of(CommandTable.Of<TCommand>(args), args).ApplyTo(_state);
        }
        catch (Exception)
        {
            // The inner connection writes the command again and reports the failure itself.
        }
        finally
        {
            scratch.Reset();
            if (rented is not null) ArrayPool<Range>.Shared.Return(rented);
        }
    }

    // Undoes the tracked state. False: the connection cannot be reused and is closed instead.
    private async ValueTask<bool> Cleanup(bool async)
    {
        IConn conn = _entry.Conn;
        ConnState state = _state;
        if (conn.Err is not null || (state & ConnState.Destroy) != 0) return false;
        // DISCARD first: inside MULTI a SUBSCRIBE was only queued, and the unsubscribes would be too.
        if ((state & ConnState.Multi) != 0) conn.Send("DISCARD");
        if ((state & ConnState.AnySubscription) != 0)
        {
            SendUnsubscribeAll(conn, state);
            if (async) await conn.FlushAsync().ConfigureAwait(false);
            else conn.Flush();
            while (true)
            {
                object? reply = async ? await conn.ReceiveAsync().ConfigureAwait(false) : conn.Receive();
                if (reply is byte[] bytes && bytes.AsSpan().SequenceEqual(Sentinel)) break;
            }
        }
        // UNWATCH after the unsubscribes: a RESP2 connection in subscribed mode rejects it.
        if ((state & (ConnState.Multi | ConnState.Watch)) == ConnState.Watch) conn.Send("UNWATCH");
        await Do(async, conn, "", []).ConfigureAwait(false);
        if ((state & ConnState.Selected) != 0)
        {
            if (_pool.Database is not int database) return false;
            await Do(async, conn, "SELECT", [database]).ConfigureAwait(false);
        }
        return conn.Err is null;
    }

    private static ValueTask<object?> Do(bool async, IConn conn, string command, object?[] args)
        => async ? conn.DoAsync(command, args, CancellationToken.None) : new ValueTask<object?>(conn.Do(command, args));

    // Leaves every kind of subscription, then asks for the sentinel: a server error on the way (a
    // server without SUNSUBSCRIBE, say) is thrown by Receive and the connection is not reused.
    private static void SendUnsubscribeAll(IConn conn, ConnState state)
    {
        conn.Send("UNSUBSCRIBE");
        conn.Send("PUNSUBSCRIBE");
        if ((state & ConnState.SSubscribe) != 0) conn.Send("SUNSUBSCRIBE");
        conn.Send("ECHO", Sentinel);
    }

    private static byte[] CreateSentinel()
    {
        byte[] sentinel = new byte[32];
        RandomNumberGenerator.Fill(sentinel);
        return sentinel;
    }
}
