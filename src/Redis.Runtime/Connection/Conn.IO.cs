using System.Runtime.CompilerServices;
using System.Net.Sockets;

namespace Redis;

// The transport half of Conn: moving bytes between the writer/decoder buffers and the stream,
// deadlines, and turning every transport failure into a broken connection.
public sealed partial class Conn
{
    private const int MinimumReadSize = 4096;

    // Sync reads and writes use the socket's own timeouts (set once; a timeout breaks the connection
    // anyway, so they never need restoring). Async paths use a cancellation deadline instead.
    private void ApplySyncTimeouts()
    {
        if (_stream is { CanTimeout: true })
        {
            if (_activeReadTimeout > TimeSpan.Zero) _stream.ReadTimeout = ToMilliseconds(_activeReadTimeout);
            if (_writeTimeout > TimeSpan.Zero) _stream.WriteTimeout = ToMilliseconds(_writeTimeout);
        }
    }

    private static int ToMilliseconds(TimeSpan timeout)
        => (int)Math.Clamp(Math.Ceiling(timeout.TotalMilliseconds), 1, int.MaxValue);

    private void FlushCore()
    {
        if (_writer.Length == 0) return;
        try
        {
            _stream.Write(_writer.WrittenSpan);
            _writer.Reset();
            _replyOwed = true;
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            _writer.Reset();
            throw Fail(MapTransportFailure(ex, "writing to"));
        }
    }

    /// <summary>
    /// How long a synchronous read right after a write polls the socket before blocking, in microseconds
    /// (0: never). Internal so the benchmarks can compare settings; see <see cref="SpinForReply"/>.
    /// </summary>
    internal static int SyncSpinMicroseconds = 50;

    private static int s_spinners;   // threads polling a socket right now, across all connections
    private bool _replyOwed;         // a sync write went out since the last read: its reply is near

    // A loopback or LAN round trip takes tens of microseconds; a thread that blocks in recv for it pays a sleep
    // and a wake-up on top (measured: most of a sequential call's time on a VM). Right after writing a
    // command, polling the socket for about one round trip hands the reply over without that wake-up; past the
    // budget it blocks. Only plain sockets (TLS keeps its own buffer), only while a reply is owed (never for a
    // pub/sub wait), and at most one spinning thread per core but one, so the server and the other threads
    // keep their cores.
    private void SpinForReply()
    {
        _replyOwed = false;
        int microseconds = SyncSpinMicroseconds;
        Socket? socket = _socket;
        if (microseconds <= 0 || socket is null || _stream is not NetworkStream || Environment.ProcessorCount < 2) return;
        if (Interlocked.Increment(ref s_spinners) >= Environment.ProcessorCount)
        {
            Interlocked.Decrement(ref s_spinners);
            return;
        }
        try
        {
            long until = System.Diagnostics.Stopwatch.GetTimestamp() + microseconds * System.Diagnostics.Stopwatch.Frequency / 1_000_000;
            while (socket.Available == 0 && System.Diagnostics.Stopwatch.GetTimestamp() < until) Thread.SpinWait(4);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The read that follows reports the failure.
        }
        finally
        {
            Interlocked.Decrement(ref s_spinners);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FlushCoreAsync(CancellationToken cancellationToken)
    {
        if (_writer.Length == 0) return;
        CancellationTokenSource? deadline = StartDeadline(_writeTimeout, cancellationToken, out CancellationToken token);
        try
        {
            await _stream.WriteAsync(_writer.WrittenMemory, token).ConfigureAwait(false);
            _writer.Reset();
        }
        catch (Exception ex) when (IsTransportFailure(ex) || ex is OperationCanceledException)
        {
            _writer.Reset();
            throw Fail(MapAsyncFailure(ex, deadline, cancellationToken, "writing to"));
        }
        finally
        {
            EndDeadline(deadline, cancellationToken);
        }
    }

    // target: where a large reply that is one bulk string goes once its header is in (see RespDecoder):
    // the caller's parser decides, so a byte[] result or a lease is read from the socket straight into place.
    private void Fill(BulkTarget target = BulkTarget.Buffer)
    {
        int read;
        if (_handshakeDeadline != 0) ArmHandshakeDeadline();
        _decoder.DetachPendingBulk(target);
        if (_replyOwed) SpinForReply();
        try
        {
            read = _stream.Read(_decoder.GetFillBuffer(MinimumReadSize).Span);
        }
        catch (RedisProtocolException ex)
        {
            throw Fail(ex);
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            throw Fail(MapTransportFailure(ex, "reading from"));
        }
        if (read == 0) throw Fail(new RedisConnectionException($"The server closed the connection ({_description})."));
        _decoder.Advance(read);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FillAsync(CancellationToken cancellationToken, BulkTarget target = BulkTarget.Buffer)
    {
        _decoder.DetachPendingBulk(target);
        CancellationTokenSource? deadline = StartDeadline(_activeReadTimeout, cancellationToken, out CancellationToken token);
        int read;
        try
        {
            read = await _stream.ReadAsync(_decoder.GetFillBuffer(MinimumReadSize), token).ConfigureAwait(false);
        }
        catch (RedisProtocolException ex)
        {
            throw Fail(ex);
        }
        catch (Exception ex) when (IsTransportFailure(ex) || ex is OperationCanceledException)
        {
            throw Fail(MapAsyncFailure(ex, deadline, cancellationToken, "reading from"));
        }
        finally
        {
            EndDeadline(deadline, cancellationToken);
        }
        if (read == 0) throw Fail(new RedisConnectionException($"The server closed the connection ({_description})."));
        _decoder.Advance(read);
    }

    // A deadline for one async operation. Without a caller token a single source is reused, so a
    // timed read costs no allocation; with one, a linked source joins both.
    private CancellationTokenSource? StartDeadline(TimeSpan timeout, CancellationToken cancellationToken, out CancellationToken token)
    {
        if (timeout <= TimeSpan.Zero)
        {
            token = cancellationToken;
            return null;
        }
        CancellationTokenSource source;
        if (cancellationToken.CanBeCanceled)
        {
            source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }
        else
        {
            source = _timeoutSource ??= new CancellationTokenSource();
        }
        source.CancelAfter(timeout);
        token = source.Token;
        return source;
    }

    private void EndDeadline(CancellationTokenSource? deadline, CancellationToken cancellationToken)
    {
        if (deadline is null) return;
        if (cancellationToken.CanBeCanceled)
        {
            deadline.Dispose();
        }
        else if (!deadline.TryReset())
        {
            // It fired: the connection is broken anyway; never reuse a cancelled source.
            _timeoutSource = null;
            deadline.Dispose();
        }
    }

    private static bool IsTransportFailure(Exception ex)
        => ex is IOException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException;

    private Exception MapTransportFailure(Exception ex, string doing)
    {
        if (IsTimeout(ex))
        {
            return new RedisTimeoutException($"Timed out {doing} {_description}.", ex);
        }
        if (ex is ObjectDisposedException)
        {
            return new RedisConnectionException($"The connection was closed while {doing} {_description}.", ex);
        }
        return new RedisConnectionException($"I/O error {doing} {_description}: {ex.Message}", ex);
    }

    private Exception MapAsyncFailure(Exception ex, CancellationTokenSource? deadline, CancellationToken cancellationToken, string doing)
    {
        if (ex is OperationCanceledException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                // The caller cancelled while bytes were in flight: the connection cannot be trusted
                // any more (a late reply would answer the next command), so it is broken, and the
                // caller gets the cancellation it asked for.
                Fail(new RedisConnectionException($"An operation was cancelled while {doing} {_description}; the connection was closed.", ex));
                return new OperationCanceledException("The operation was cancelled; the connection was closed because a reply was owed.", ex, cancellationToken);
            }
            if (deadline is not null)
            {
                return new RedisTimeoutException($"Timed out {doing} {_description}.", ex);
            }
        }
        return MapTransportFailure(ex, doing);
    }

    private static bool IsTimeout(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.TimedOut }) return true;
            if (e is TimeoutException) return true;
        }
        return false;
    }
}
