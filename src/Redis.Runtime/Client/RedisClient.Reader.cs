using System.Diagnostics;
using System.Net.Sockets;

namespace Redis;

// The reader thread: it owns the connection's lifecycle. It reads replies and completes callers in
// order, fails the callers in flight when the connection breaks, and reconnects with backoff.
public sealed partial class RedisClient
{
    private OperationQueue _inflight = new();  // reader-owned: operations whose replies come next, in order
    private long _replies;                      // written by the reader only
    private long _frames;                       // complete frames read (replies and pushes); written by the reader only
    private readonly TaskCompletionSource _readerExited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Every phase of the dial has a deadline (DialOptions: ConnectTimeout, TlsHandshakeTimeout,
    // HandshakeTimeout), and disposing the client cancels abort, which closes the socket of the phase
    // in progress: a reconnect can neither hang on a server that never answers nor hold up Dispose.
    private static ClientTransport Open(string network, string address, DialOptions options, CancellationToken abort)
    {
        Conn conn = Conn.DialCore(network, address, options, abort);
        try
        {
            return new ClientTransport(conn);
        }
        catch
        {
            conn.Close();
            throw;
        }
    }

    private void Start(ClientTransport transport, string? dialed = null)
    {
        bool moved;
        lock (_writeLock)
        {
            _transport = transport;
            _state = State.Connected;
            _generation = 1;
            moved = dialed is not null && MovedSinceDialLocked(dialed);
        }
        // As in Reconnect: a switch while the first connection was dialed found nothing to close. Closed now, it is
        // replaced by the reader's reconnect, to the new master.
        if (moved) transport.Abort(new RedisConnectionException($"The master of {Endpoint} moved while connecting to {dialed}; the connection was closed."));
        if (_logger is not null) ClientLog.Connected(_logger, Endpoint, 1);
        StartReader(transport);
    }

    private void StartReader(ClientTransport? transport)
    {
        var thread = new Thread(ReaderMain)
        {
            IsBackground = true,
            Name = "Redis client reader",
        };
        _reader = thread;
        thread.UnsafeStart(transport);
    }

    private void ReaderMain(object? state)
    {
        ReaderThread.Client = this;
        try
        {
            RunConnection((ClientTransport?)state);
        }
        finally
        {
            _readerExited.TrySetResult();
        }
    }

    private void RunConnection(ClientTransport? transport)
    {
        try
        {
            transport ??= _retryFirstConnect ? Reconnect() : InitialConnect();
            while (transport is not null)
            {
                Exception cause = ReadUntilFailure(transport);
                transport.Abort(cause);
                _cache?.InvalidateAll(); // the connection's tracking ended with it
                bool disposed = FailInFlight(cause);
                transport.ReleaseBuffers();
                if (disposed) return;
                transport = Reconnect();
            }
        }
        catch (Exception ex)
        {
            // A bug, not a connection failure: leave nobody waiting, and refuse later calls.
            transport?.Abort(ex);
            lock (_writeLock)
            {
                _state = State.Disposed;
                _lastError = ex;
            }
            FailInFlight(new RedisException($"The client's reader thread failed: {ex.Message}", ex));
        }
    }

    // The first connection of ConnectAsync: one attempt, no retry; the caller gets the error.
    private ClientTransport? InitialConnect()
    {
        ClientTransport? transport = null;
        Exception? error = null;
        try
        {
            transport = Open(_network, DialAddress(), ConnectOptions(), _lifetime.Token);
        }
        catch (Exception ex)
        {
            error = ex;
        }
        TaskCompletionSource? attempt;
        lock (_writeLock)
        {
            attempt = _connectAttempt;
            _connectAttempt = null;
            if (_state == State.Disposed || error is not null)
            {
                _state = State.Disposed;
                _lastError = error;
            }
            else
            {
                _transport = transport;
                _state = State.Connected;
                _generation = 1;
            }
        }
        if (error is not null)
        {
            attempt?.TrySetException(error);
            return null;
        }
        if (attempt is null)
        {
            // Disposed while connecting.
            transport!.Abort(DisposedError());
            return null;
        }
        if (_logger is not null) ClientLog.Connected(_logger, Endpoint, 1);
        attempt.TrySetResult();
        return transport;
    }

    private Exception ReadUntilFailure(ClientTransport transport)
    {
        try
        {
            ReadLoop(transport);
            throw new UnreachableException();
        }
        catch (Exception ex)
        {
            return transport.AbortReason ?? MapFailure(transport, ex, "reading from");
        }
    }

    private void ReadLoop(ClientTransport transport)
    {
        RespDecoder decoder = transport.Decoder;
        while (true)
        {
            while (decoder.TryReadFrame(out ReadOnlySpan<byte> frame))
            {
                Volatile.Write(ref _frames, _frames + 1); // the watchdog's sign that replies complete
                if (frame[0] == (byte)'-' && _sentinelWatch is not null && frame.StartsWith("-READONLY"u8))
                {
                    _sentinelWatch.RequestCheck(); // a demoted master: ask the sentinels who the master is now
                }
                if (frame[0] == (byte)'>')
                {
                    DeliverPush(frame);
                    decoder.Consume(frame.Length);
                    continue;
                }
                if (!_inflight.TryDequeue(out PipelineOperation operation))
                {
                    lock (_writeLock)
                    {
                        (_inflight, _queued) = (_queued, _inflight);
                    }
                    if (!_inflight.TryDequeue(out operation))
                    {
                        throw new RedisProtocolException($"A reply arrived that no command was waiting for ({transport.Description}).");
                    }
                }
                _replies++;
                operation.Complete(frame, decoder.CurrentBulk); // never throws: parse errors go to the caller
                decoder.Consume(frame.Length);
            }
            // A large bulk reply whose header is in: read its payload straight into what the caller's result needs.
            if (decoder.HasPendingBulk) decoder.DetachPendingBulk(NextBulkTarget());
            transport.Fill();
        }
    }

    // Where the next reply goes if it is a large bulk: the choice of the operation it belongs to.
    private BulkTarget NextBulkTarget()
    {
        if (_inflight.Count == 0)
        {
            lock (_writeLock)
            {
                (_inflight, _queued) = (_queued, _inflight);
            }
        }
        return _inflight.TryPeek(out PipelineOperation operation) ? operation.BulkTarget : BulkTarget.Buffer;
    }

    private void DeliverPush(ReadOnlySpan<byte> frame)
    {
        if (_cache is not null) ApplyCachePush(frame);
        if (_pushHandler is null) return;
        var reader = new RespReader(frame);
        var push = (RedisPush)reader.ReadObject()!;
        try
        {
            _pushHandler(push);
        }
        catch (Exception ex)
        {
            // Pushes are not matched to callers, so a failing handler cannot desynchronise anything.
            if (_logger is not null) ClientLog.PushHandlerFailed(_logger, ex, Endpoint);
        }
    }

    // Fails every command in flight on the connection that just ended. Returns true when the client is disposed.
    private bool FailInFlight(Exception cause)
    {
        bool disposed;
        lock (_writeLock)
        {
            disposed = _state == State.Disposed;
            if (!disposed)
            {
                // The first reconnect attempt starts right away; callers arriving meanwhile wait for it.
                _state = State.Connecting;
                _connectAttempt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            _transport = null;
            _active.Reset(); // unwritten commands: their operations are in _queued and fail below
            while (_queued.TryDequeue(out PipelineOperation queued)) _inflight.Enqueue(queued);
            _failedInFlight += _inflight.Count;
        }
        int count = _inflight.Count;
        while (_inflight.TryDequeue(out PipelineOperation operation))
        {
            operation.Fail(disposed
                ? new RedisConnectionException("The client was disposed before the reply arrived; the command may or may not have run.", cause)
                : new RedisConnectionException($"The connection to {Endpoint} was lost before the reply arrived; the command may or may not have run: {cause.Message}", cause));
        }
        if (!disposed && _logger is not null) ClientLog.ConnectionLost(_logger, cause, Endpoint, count);
        return disposed;
    }

    // Reconnects: the first attempt at once, then with a doubling delay. Returns null once disposed.
    private ClientTransport? Reconnect()
    {
        int failures = 0;
        while (true)
        {
            ClientTransport? transport = null;
            Exception? error = null;
            string? dialed = null;
            try
            {
                dialed = DialAddress();
                transport = Open(_network, dialed, ConnectOptions(), _lifetime.Token);
            }
            catch (Exception ex)
            {
                error = ex;
            }

            TaskCompletionSource? attempt;
            TimeSpan delay = TimeSpan.Zero;
            bool disposed;
            long generation = 0;
            ClientTransport? moved = null;
            lock (_writeLock)
            {
                disposed = _state == State.Disposed;
                if (!disposed && transport is not null && MovedSinceDialLocked(dialed!))
                {
                    // The master moved while this connection was being dialed: the switch found no connection to close,
                    // so this one, to the old master, must not be kept (callers keep waiting for the attempt).
                    (moved, transport, attempt) = (transport, null, null);
                }
                else
                {
                    attempt = _connectAttempt;
                    _connectAttempt = null;
                }
                if (!disposed && moved is null)
                {
                    if (transport is not null)
                    {
                        _transport = transport;
                        _state = State.Connected;
                        generation = ++_generation;
                        _reconnects++;
                        _lastError = null;
                    }
                    else
                    {
                        failures++;
                        delay = Backoff(failures);
                        _state = State.Down;
                        _lastError = error;
                        _nextAttemptTimestamp = Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * Stopwatch.Frequency);
                    }
                }
            }
            if (moved is not null)
            {
                moved.Abort(new RedisConnectionException($"The master of {Endpoint} moved while connecting to {dialed}; the connection was closed."));
                moved.ReleaseBuffers();
                continue; // dial the new master at once
            }
            attempt?.TrySetResult();
            if (disposed)
            {
                transport?.Abort(DisposedError());
                return null;
            }
            if (transport is not null)
            {
                if (_logger is not null) ClientLog.Connected(_logger, Endpoint, generation);
                return transport;
            }
            if (_logger is not null) ClientLog.ReconnectFailed(_logger, error, Endpoint, failures, delay.TotalMilliseconds);
            if (_disposeSignal.Wait(delay)) return null;
            lock (_writeLock)
            {
                if (_state == State.Disposed) return null;
                _state = State.Connecting;
                _connectAttempt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    // A Sentinel-backed client whose master moved (SwitchMaster, under the write lock) after dialed was chosen.
    private bool MovedSinceDialLocked(string dialed)
        => _sentinel is not null && !string.Equals(dialed, _address, StringComparison.OrdinalIgnoreCase);

    private TimeSpan Backoff(int failures)
    {
        double ms = _options.ReconnectDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30));
        return TimeSpan.FromMilliseconds(Math.Min(ms, _options.MaxReconnectDelay.TotalMilliseconds));
    }

    private static Exception MapFailure(ClientTransport transport, Exception ex, string doing)
    {
        if (ex is RedisConnectionException or RedisProtocolException) return ex;
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.TimedOut } or TimeoutException)
            {
                return new RedisTimeoutException($"Timed out {doing} {transport.Description}.", ex);
            }
        }
        return new RedisConnectionException($"I/O error {doing} {transport.Description}: {ex.Message}", ex);
    }
}
