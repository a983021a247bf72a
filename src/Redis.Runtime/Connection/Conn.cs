using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Redis;

/// <summary>
/// A connection to one Redis server over TCP, TLS or a Unix socket: buffered writes through a
/// <see cref="RespWriter"/>, buffered reads through a <see cref="RespDecoder"/>, a count of replies
/// still owed (pending), read and write deadlines and the first fatal error. Open one with
/// <see cref="Dial"/>, <see cref="DialUrl"/> or their async twins.
/// </summary>
/// <remarks>
/// As in redigo, one thread may call <see cref="Receive"/> while another calls
/// <see cref="Send"/>/<see cref="Flush"/>; other concurrent use is not supported. For many
/// concurrent callers use a pool. The first I/O error, timeout, protocol error, or cancellation
/// while a reply is owed breaks the connection for good: the socket is closed, <see cref="Err"/>
/// holds that error and every later call throws a <see cref="RedisConnectionException"/> carrying it.
/// </remarks>
public sealed partial class Conn : IConn
{
    // Send flushes by itself past this many buffered bytes, so a long pipeline does not hold it all in memory.
    private const int AutoFlushThreshold = 64 * 1024;
    private const string ClosedMessage = "The connection is closed.";

    private readonly Socket? _socket;
    private readonly Stream _stream;
    private readonly RespWriter _writer;
    private readonly RespDecoder _decoder;
    private readonly string _description;
    private readonly Action<RedisPush>? _pushHandler;
    private TimeSpan _activeReadTimeout;  // the default read timeout, or a per-call override
    private readonly TimeSpan _writeTimeout;
    private CancellationTokenSource? _timeoutSource;
    private int _pending;
    private Exception? _err;
    private long _handshakeDeadline;      // Environment.TickCount64 while a bounded handshake runs, else 0

    private Conn(Socket? socket, Stream stream, DialOptions options, string description)
    {
        _socket = socket;
        _stream = stream;
        _description = description;
        _pushHandler = options.PushHandler;
        _activeReadTimeout = options.ReadTimeout;
        _writeTimeout = options.WriteTimeout;
        Protocol = options.Protocol;
        _writer = new RespWriter();
        _decoder = new RespDecoder(options.Limits);
        ApplySyncTimeouts();
    }

    /// <summary>
    /// Wraps an already-connected stream (a socket, TLS or in-memory stream) without any handshake,
    /// like redigo's <c>NewConn</c>. Read and write timeouts and limits come from <paramref name="options"/>.
    /// </summary>
    public static Conn FromStream(Stream stream, DialOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= DialOptions.Default;
        options.Validate();
        return new Conn(null, stream, options, "stream");
    }

    /// <inheritdoc />
    public Exception? Err => Volatile.Read(ref _err);

    /// <summary>The RESP version this connection speaks (2, or 3 after HELLO 3).</summary>
    public int Protocol { get; private set; }

    /// <summary>The number of commands sent whose replies have not been read.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <inheritdoc />
    public object? Do(string command, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Traced) return DoTraced(command, args);
        ThrowIfBroken();
        if (command.Length != 0) _writer.WriteCommand(command, args ?? [null]);
        int pending = Interlocked.Exchange(ref _pending, 0);
        if (command.Length == 0 && pending == 0)
        {
            if (_writer.Length > 0) FlushCore();
            return null;
        }
        FlushCore();
        return command.Length == 0 ? ReadPendingAsArray(pending) : ReadReplies(pending + 1);
    }

    /// <inheritdoc />
    public void Send(string command, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(command);
        ThrowIfBroken();
        _writer.WriteCommand(command, args ?? [null]);
        Interlocked.Increment(ref _pending);
        if (Traced) TraceSend(command, args ?? [null]);
        if (_writer.Length >= AutoFlushThreshold) FlushCore();
    }

    /// <inheritdoc />
    public void Flush()
    {
        ThrowIfBroken();
        FlushCore();
    }

    /// <inheritdoc />
    public object? Receive()
    {
        if (_pipeline is not null && !_tracing) return ReceiveTraced();
        ThrowIfBroken();
        object? reply = ReadOne(forDo: false);
        DecrementPending();
        return reply is RedisServerException error ? throw error : reply;
    }

    /// <inheritdoc />
    public ValueTask<object?> DoAsync(string command, params object?[] args)
        => DoAsync(command, args ?? [null], CancellationToken.None);

    /// <inheritdoc />
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<object?> DoAsync(string command, IReadOnlyList<object?> args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(args);
        if (Traced) return await DoTracedAsync(command, args, cancellationToken).ConfigureAwait(false);
        ThrowIfBroken();
        // Cancelled before anything is written: nothing is owed, the connection stays good.
        cancellationToken.ThrowIfCancellationRequested();
        if (command.Length != 0) WriteCommand(command, args);
        int pending = Interlocked.Exchange(ref _pending, 0);
        if (command.Length == 0 && pending == 0)
        {
            if (_writer.Length > 0) await FlushCoreAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        await FlushCoreAsync(cancellationToken).ConfigureAwait(false);
        if (command.Length == 0)
        {
            var replies = new object?[pending];
            for (int i = 0; i < pending; i++) replies[i] = await ReadOneAsync(forDo: true, cancellationToken).ConfigureAwait(false);
            return replies;
        }
        RedisServerException? firstError = null;
        object? last = null;
        for (int i = 0; i <= pending; i++)
        {
            last = await ReadOneAsync(forDo: true, cancellationToken).ConfigureAwait(false);
            if (last is RedisServerException error) firstError ??= error;
        }
        return firstError is null ? last : throw firstError;
    }

    /// <inheritdoc />
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfBroken();
        cancellationToken.ThrowIfCancellationRequested();
        return FlushCoreAsync(cancellationToken);
    }

    /// <inheritdoc />
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<object?> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        if (_pipeline is not null && !_tracing) return await ReceiveTracedAsync(cancellationToken).ConfigureAwait(false);
        ThrowIfBroken();
        object? reply = await ReadOneAsync(forDo: false, cancellationToken).ConfigureAwait(false);
        DecrementPending();
        return reply is RedisServerException error ? throw error : reply;
    }

    /// <inheritdoc />
    public void Close()
    {
        if (Interlocked.CompareExchange(ref _err, new RedisConnectionException(ClosedMessage), null) is null)
        {
            CloseTransport();
        }
    }

    /// <inheritdoc />
    public void Dispose() => Close();

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    /// <summary>Describes the connection (transport and address); never includes credentials.</summary>
    public override string ToString() => $"Conn({_description}, RESP{Protocol}{(Err is null ? "" : ", broken")})";

    private void WriteCommand(string command, IReadOnlyList<object?> args)
    {
        if (args is object?[] array)
        {
            _writer.WriteCommand(command, array);
            return;
        }
        object?[] copy = args.Count == 0 ? [] : new object?[args.Count];
        for (int i = 0; i < copy.Length; i++) copy[i] = args[i];
        _writer.WriteCommand(command, copy);
    }

    private void DecrementPending()
    {
        // Never below zero: pub/sub messages and a Receive before Send have no matching command.
        int current = Volatile.Read(ref _pending);
        while (current > 0)
        {
            int seen = Interlocked.CompareExchange(ref _pending, current - 1, current);
            if (seen == current) return;
            current = seen;
        }
    }

    private object? ReadReplies(int count)
    {
        RedisServerException? firstError = null;
        object? last = null;
        for (int i = 0; i < count; i++)
        {
            last = ReadOne(forDo: true);
            if (last is RedisServerException error) firstError ??= error;
        }
        return firstError is null ? last : throw firstError;
    }

    private object?[] ReadPendingAsArray(int count)
    {
        var replies = new object?[count];
        for (int i = 0; i < count; i++) replies[i] = ReadOne(forDo: true);
        return replies;
    }

    // One reply, with error replies as values. In Do, push frames that are not the reply to a
    // (un)subscribe command go to the push handler and are not counted as replies.
    private object? ReadOne(bool forDo)
    {
        while (true)
        {
            object? reply;
            while (!TryTakeReply(out reply)) Fill(BulkTarget.Exact);
            if (forDo && reply is RedisPush push && !IsSubscriptionReply(push))
            {
                DeliverPush(push);
                continue;
            }
            return reply;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<object?> ReadOneAsync(bool forDo, CancellationToken cancellationToken)
    {
        while (true)
        {
            object? reply;
            while (!TryTakeReply(out reply)) await FillAsync(cancellationToken, BulkTarget.Exact).ConfigureAwait(false);
            if (forDo && reply is RedisPush push && !IsSubscriptionReply(push))
            {
                DeliverPush(push);
                continue;
            }
            return reply;
        }
    }

    // A push handler runs in the middle of reading replies; if it throws, the replies still owed
    // can no longer be matched to their callers, so the connection is broken with that exception.
    private void DeliverPush(RedisPush push)
    {
        if (_pushHandler is null) return;
        try
        {
            _pushHandler(push);
        }
        catch (Exception ex)
        {
            throw Fail(new RedisConnectionException($"The push handler threw; the connection was closed: {ex.Message}", ex));
        }
    }

    private static bool IsSubscriptionReply(RedisPush push) => push.Kind is
        "subscribe" or "psubscribe" or "ssubscribe" or "unsubscribe" or "punsubscribe" or "sunsubscribe";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryTakeReply(out object? reply)
    {
        try
        {
            return _decoder.TryReadObject(out reply);
        }
        catch (RedisProtocolException ex)
        {
            throw Fail(ex);
        }
    }

    private void ThrowIfBroken()
    {
        Exception? err = Volatile.Read(ref _err);
        if (err is not null) throw Broken(err);
    }

    // Closed by Close (the only error without a cause) reads as "closed"; anything else as "broken".
    private static RedisConnectionException Broken(Exception err) => err is RedisConnectionException { InnerException: null, Message: ClosedMessage }
        ? new RedisConnectionException(ClosedMessage, err)
        : new RedisConnectionException($"The connection is broken: {err.Message}", err);

    // Records the first fatal error, closes the socket, and returns the exception for the caller.
    private Exception Fail(Exception error)
    {
        if (Interlocked.CompareExchange(ref _err, error, null) is null)
        {
            CloseTransport();
        }
        return error;
    }

    private void CloseTransport()
    {
        try { _stream.Dispose(); } catch (Exception) { /* closing: nothing to report */ }
        try { _socket?.Dispose(); } catch (Exception) { /* closing: nothing to report */ }
    }
}
