using System.Net.Sockets;

namespace Redis;

// A hook for RedisClient: after Dial has connected, wrapped TLS and run the handshake, the client
// takes over the transport and drives it with its own writer and reader thread. Nothing here
// changes Conn's behaviour.
public sealed partial class Conn
{
    /// <summary>The stream (socket, TLS or other) the connection reads and writes.</summary>
    internal Stream TransportStream => _stream;

    /// <summary>The socket under <see cref="TransportStream"/>; null for <see cref="FromStream"/>.</summary>
    internal Socket? TransportSocket => _socket;

    /// <summary>The receive buffer: bytes already read past the handshake replies stay here.</summary>
    internal RespDecoder TransportDecoder => _decoder;

    /// <summary>
    /// Hands the receive buffer (with any bytes read past the handshake) to the client taking over the
    /// transport, and returns the writer's buffer to the pool: the connection is only closed after this.
    /// </summary>
    internal RespDecoder TakeTransportBuffers()
    {
        _writer.Dispose();
        return _decoder;
    }

    /// <summary>The transport and address ("tcp 127.0.0.1:6379"); never holds credentials.</summary>
    internal string TransportDescription => _description;
}
