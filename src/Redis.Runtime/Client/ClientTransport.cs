using System.Net.Sockets;

namespace Redis;

/// <summary>
/// One connection of a <see cref="RedisClient"/>, taken over from a dialed <see cref="Conn"/> (which
/// did the connect, TLS and handshake): the stream written by the flushing caller and read by the
/// reader thread, the reader's decoder, and the first error that ended it.
/// </summary>
internal sealed class ClientTransport
{
    private const int ReadSize = 16 * 1024;

    private readonly Conn _conn;
    private readonly Stream _stream;
    private readonly Socket? _socket;
    private Exception? _abortReason;
    private long _bytesRead;   // written by the reader thread only; read by the stall watchdog

    public ClientTransport(Conn conn)
    {
        _conn = conn;
        _stream = conn.TransportStream;
        _socket = conn.TransportSocket;
        Description = conn.TransportDescription;
        // The dial's own decoder carries on: bytes read past the handshake replies (a push, even part of
        // one) stay in order, nothing is copied, and an idle client holds one receive buffer, not two.
        // The dial's writer is not needed again: its buffer goes back to the pool.
        Decoder = conn.TakeTransportBuffers();
        // Idle is normal on a shared connection: the reader waits without a deadline (per-command
        // timeouts are the callers' own). Writes keep DialOptions.WriteTimeout.
        if (_stream.CanTimeout) _stream.ReadTimeout = Timeout.Infinite;
    }

    /// <summary>"tcp host:port" and the like; never holds credentials.</summary>
    public string Description { get; }

    /// <summary>The reader thread's receive buffer.</summary>
    public RespDecoder Decoder { get; }

    /// <summary>Bytes read so far: the stall watchdog's sign of life.</summary>
    public long BytesRead => Volatile.Read(ref _bytesRead);

    /// <summary>The error that ended this connection (set by <see cref="Abort"/>), if any.</summary>
    public Exception? AbortReason => Volatile.Read(ref _abortReason);

    /// <summary>Writes a batch of commands (the flushing caller's thread, one at a time).</summary>
    public void Write(ReadOnlySpan<byte> bytes) => _stream.Write(bytes);

    /// <summary>Reads what has arrived into the decoder (the reader thread). Throws when the connection ends.</summary>
    public void Fill()
    {
        int read = _stream.Read(Decoder.GetFillBuffer(ReadSize).Span);
        if (read == 0) throw new RedisConnectionException($"The server closed the connection ({Description}).");
        Volatile.Write(ref _bytesRead, _bytesRead + read);
        Decoder.Advance(read);
    }

    /// <summary>Ends the connection with <paramref name="reason"/> (the first reason wins); a blocked read wakes with an error.</summary>
    public void Abort(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _abortReason, reason, null) is not null) return;
        try
        {
            // Shutdown wakes a thread blocked in a synchronous receive; closing alone may not.
            _socket?.Shutdown(SocketShutdown.Both);
        }
        catch (Exception)
        {
            // Already closed or never connected: nothing to wake.
        }
        _conn.Close();
    }

    /// <summary>Releases the decoder's buffer (the reader thread, once it stopped reading).</summary>
    public void ReleaseBuffers() => Decoder.Dispose();
}
