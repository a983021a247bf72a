using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Redis;

// Dialing: connect the socket (TCP or Unix), wrap it in TLS when asked, then the handshake
// (HELLO 3 or AUTH, CLIENT SETNAME, SELECT), pipelined in one round trip.
public sealed partial class Conn
{
    /// <summary>
    /// Connects to <paramref name="address"/> (<c>host:port</c> for <c>"tcp"</c>, a socket path for
    /// <c>"unix"</c>) and runs the handshake the options ask for.
    /// </summary>
    /// <exception cref="ArgumentException">A bad network, address or option.</exception>
    /// <exception cref="RedisConnectionException">The server could not be reached (<see cref="RedisTimeoutException"/> on timeout).</exception>
    /// <exception cref="RedisServerException">The server refused a handshake command (a wrong password, say).</exception>
    public static IConn Dial(string network, string address, DialOptions? options = null)
        => DialCore(network, address, options ?? DialOptions.Default, CancellationToken.None);

    // The synchronous dial (a RedisClient's reconnect, a pool), abandoned when abort is cancelled.
    internal static Conn DialCore(string network, string address, DialOptions options, CancellationToken abort)
        => SyncCompletion.Result(DialCore(async: false, network, address, options, abort));

    // The one dial, sync and async. Every phase has a deadline: the connect (ConnectTimeout), TLS
    // (TlsHandshakeTimeout) and the handshake (HandshakeTimeout). Async, the token is passed to each
    // step. Sync, cancelling it closes the socket of the phase in progress, which wakes a blocked
    // connect or read at once (a RedisClient or pool being disposed). Either way the dial then throws
    // OperationCanceledException.
    internal static async ValueTask<Conn> DialCore(bool async, string network, string address, DialOptions options, CancellationToken cancellationToken)
    {
        options.Validate();
        Endpoint endpoint = ParseEndpoint(network, address);
        cancellationToken.ThrowIfCancellationRequested();
        Socket socket = await ConnectSocket(async, endpoint, options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        Conn? conn = null;
        CancellationTokenRegistration registration = default;
        try
        {
            if (!async) registration = RegisterAbort(socket, cancellationToken);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (options.UseTls) stream = await AuthenticateTls(async, stream, socket, endpoint, options, cancellationToken).ConfigureAwait(false);
            conn = new Conn(socket, stream, options, endpoint.Description);
            await conn.Handshake(async, options, cancellationToken).ConfigureAwait(false);
            conn.EnableTelemetry(endpoint.Network, endpoint.Host, endpoint.Port, options); // the handshake is not traced
            if (!async)
            {
                // Dispose waits for a callback already running, so afterwards the socket is either
                // untouched or the token is visibly cancelled.
                registration.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
            }
            return conn;
        }
        catch (Exception ex)
        {
            registration.Dispose();
            conn?.Close();
            socket.Dispose();
            if (cancellationToken.IsCancellationRequested && ex is not OperationCanceledException)
            {
                throw new OperationCanceledException($"The dial to {endpoint.Description} was abandoned.", ex, cancellationToken);
            }
            throw;
        }
    }

    private static CancellationTokenRegistration RegisterAbort(Socket socket, CancellationToken abort)
        => abort.CanBeCanceled ? abort.UnsafeRegister(static state => AbortSocket((Socket)state!), socket) : default;

    // Shutdown wakes a thread blocked in a synchronous receive; disposing also ends a blocking connect
    // (the runtime disconnects the socket when another thread is inside a call on it).
    private static void AbortSocket(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception)
        {
            // Not connected yet, or already closed: disposing below is enough.
        }
        socket.Dispose();
    }

    /// <summary>Dials with redigo's <c>DialTimeout</c> arguments: connect, read and write timeouts.</summary>
    public static IConn DialTimeout(string network, string address, TimeSpan connectTimeout, TimeSpan readTimeout, TimeSpan writeTimeout)
        => Dial(network, address, DialOptions.Default with { ConnectTimeout = connectTimeout, ReadTimeout = readTimeout, WriteTimeout = writeTimeout });

    /// <summary>
    /// Dials a URL: <c>redis://[user:pass@]host[:port][/db]</c>, <c>rediss://...</c> (TLS) or
    /// <c>unix:///path/to.sock[?db=N]</c>. What the URL says overrides <paramref name="options"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A bad scheme, host, port or database (the message never holds the password).</exception>
    public static IConn DialUrl(string url, DialOptions? options = null)
    {
        RedisUrl.Target target = RedisUrl.Parse(url, options);
        return Dial(target.Network, target.Address, target.Options);
    }

    /// <summary>The asynchronous twin of <see cref="Dial"/>; <paramref name="cancellationToken"/> covers the whole dial and handshake.</summary>
    public static async ValueTask<IConn> DialAsync(string network, string address, DialOptions? options = null, CancellationToken cancellationToken = default)
        => await DialCore(async: true, network, address, options ?? DialOptions.Default, cancellationToken).ConfigureAwait(false);

    /// <summary>The asynchronous twin of <see cref="DialUrl"/>.</summary>
    public static ValueTask<IConn> DialUrlAsync(string url, DialOptions? options = null, CancellationToken cancellationToken = default)
    {
        RedisUrl.Target target = RedisUrl.Parse(url, options);
        return DialAsync(target.Network, target.Address, target.Options, cancellationToken);
    }

    private readonly record struct Endpoint(string Network, string Host, int Port, string Description);

    private static Endpoint ParseEndpoint(string network, string address)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(address);
        switch (network)
        {
            case "tcp":
            case "tcp4":
            case "tcp6":
            {
                (string host, int port) = RedisUrl.ParseHostPort(address, "localhost", nameof(address));
                return new Endpoint(network, host, port, $"tcp {RedisUrl.FormatAddress(host, port)}");
            }
            case "unix":
                if (address.Length == 0) throw new ArgumentException("A unix socket path is required.", nameof(address));
                return new Endpoint("unix", address, 0, $"unix {address}");
            default:
                throw new ArgumentException($"Unsupported network '{network}': use \"tcp\" or \"unix\".", nameof(network));
        }
    }

    // Connects to the first address that accepts. The deadline: async, a token source cancelled when it
    // passes; sync, the deadline bounds each blocking connect (ConnectWithDeadline). Cancelling
    // cancellationToken (sync: it closes the socket) ends the connect with OperationCanceledException.
    private static async ValueTask<Socket> ConnectSocket(bool async, Endpoint endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long deadline = timeout > TimeSpan.Zero ? Environment.TickCount64 + (long)timeout.TotalMilliseconds : long.MaxValue;
        using CancellationTokenSource? timeoutSource = async ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
        if (timeoutSource is not null && timeout > TimeSpan.Zero) timeoutSource.CancelAfter(timeout);
        CancellationToken token = timeoutSource?.Token ?? cancellationToken;
        Exception? last = null;
        try
        {
            if (endpoint.Network == "unix")
            {
                // A Unix connect blocks too when the listener's backlog is full: the same deadline applies.
                var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await Connect(async, unix, new UnixDomainSocketEndPoint(endpoint.Host), deadline, token).ConfigureAwait(false);
                    return unix;
                }
                catch
                {
                    unix.Dispose();
                    throw;
                }
            }

            IPAddress[] addresses = await Resolve(async, endpoint, token).ConfigureAwait(false);
            foreach (IPAddress ip in addresses)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Socket socket = NewTcpSocket(ip.AddressFamily);
                try
                {
                    await Connect(async, socket, new IPEndPoint(ip, endpoint.Port), deadline, token).ConfigureAwait(false);
                    return socket;
                }
                catch (Exception ex) when (ex is SocketException or RedisTimeoutException or ObjectDisposedException)
                {
                    // The next address may accept; a timeout has used the time of them all.
                    socket.Dispose();
                    last = ex;
                    if (ex is RedisTimeoutException) break;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            last = new RedisTimeoutException("connect timed out", ex); // async: the deadline's token source
        }
        catch (Exception ex) when (ex is SocketException or RedisTimeoutException or ObjectDisposedException)
        {
            last = ex; // a Unix socket's connect
        }
        cancellationToken.ThrowIfCancellationRequested();
        throw last is RedisTimeoutException timeoutError
            ? new RedisTimeoutException($"Timed out connecting to {endpoint.Description} after {timeout.TotalMilliseconds:0} ms.", timeoutError)
            : new RedisConnectionException($"Cannot connect to {endpoint.Description}: {last?.Message}", last);
    }

    private static ValueTask Connect(bool async, Socket socket, EndPoint target, long deadline, CancellationToken cancellationToken)
    {
        if (async) return socket.ConnectAsync(target, cancellationToken);
        ConnectWithDeadline(socket, target, deadline, cancellationToken);
        return ValueTask.CompletedTask;
    }

    // A blocking connect with a deadline. The socket must stay in blocking mode: once .NET has put a
    // socket in non-blocking mode, every later synchronous receive is emulated and allocates. Linux
    // bounds a blocking connect by the send timeout (SO_SNDTIMEO), so no other thread is involved;
    // elsewhere a timer closes the socket when the deadline passes.
    private static void ConnectWithDeadline(Socket socket, EndPoint target, long deadline, CancellationToken abort)
    {
        using CancellationTokenRegistration registration = RegisterAbort(socket, abort);
        if (deadline == long.MaxValue)
        {
            socket.Connect(target);
            return;
        }
        long remainingMs = deadline - Environment.TickCount64;
        if (remainingMs <= 0) throw new RedisTimeoutException("connect timed out");
        int timeoutMs = (int)Math.Min(remainingMs, int.MaxValue);
        if (OperatingSystem.IsLinux())
        {
            socket.SendTimeout = timeoutMs;
            try
            {
                socket.Connect(target);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.InProgress or SocketError.WouldBlock)
            {
                throw new RedisTimeoutException("connect timed out", ex);
            }
            socket.SendTimeout = 0;
            return;
        }

        bool timedOut = false;
        using var timer = new Timer(_ =>
        {
            timedOut = true;
            socket.Dispose();
        }, null, timeoutMs, Timeout.Infinite);
        try
        {
            socket.Connect(target);
        }
        catch (Exception ex) when (Volatile.Read(ref timedOut) && ex is SocketException or ObjectDisposedException)
        {
            throw new RedisTimeoutException("connect timed out", ex);
        }
    }

    private static async ValueTask<IPAddress[]> Resolve(bool async, Endpoint endpoint, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(endpoint.Host, out IPAddress? literal)) return [literal];
        try
        {
            IPAddress[] addresses = async
                ? await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false)
                : Dns.GetHostAddresses(endpoint.Host);
            return FilterFamily(addresses, endpoint);
        }
        catch (SocketException ex)
        {
            throw new RedisConnectionException($"Cannot resolve {endpoint.Description}: {ex.Message}", ex);
        }
    }

    private static IPAddress[] FilterFamily(IPAddress[] addresses, Endpoint endpoint)
    {
        IPAddress[] filtered = endpoint.Network switch
        {
            "tcp4" => Array.FindAll(addresses, a => a.AddressFamily == AddressFamily.InterNetwork),
            "tcp6" => Array.FindAll(addresses, a => a.AddressFamily == AddressFamily.InterNetworkV6),
            _ => addresses,
        };
        if (filtered.Length == 0) throw new RedisConnectionException($"Cannot resolve {endpoint.Description}: no address of the requested family.");
        return filtered;
    }

    private static Socket NewTcpSocket(AddressFamily family)
    {
        // NoDelay: a command is one small write and must not wait for Nagle's algorithm.
        return new Socket(family, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    }

    private static void ConfigureKeepAlive(Socket socket, TimeSpan keepAlive)
    {
        if (socket.AddressFamily == AddressFamily.Unix) return;
        if (keepAlive <= TimeSpan.Zero) return;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        int seconds = (int)Math.Max(1, keepAlive.TotalSeconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, seconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, seconds);
    }

    private static SslClientAuthenticationOptions TlsOptions(Endpoint endpoint, DialOptions options)
    {
        string serverName = options.TlsServerName ?? endpoint.Host;
        return new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            ClientCertificates = options.ClientCertificates,
            EnabledSslProtocols = options.TlsProtocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = options.ServerCertificateValidation
                ?? (options.TrustedCertificateAuthorities is { Count: > 0 } roots ? TlsValidation.TrustOnly(roots) : null),
        };
    }

    // The TLS deadline: async, a token source cancelled when it passes; sync, the socket's own receive
    // and send timeouts (it stays in blocking mode, see ConnectWithDeadline), restored afterwards.
    private static async ValueTask<Stream> AuthenticateTls(bool async, Stream inner, Socket socket, Endpoint endpoint, DialOptions options, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        using CancellationTokenSource? timeoutSource = async ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
        int previousReceive = socket.ReceiveTimeout, previousSend = socket.SendTimeout;
        try
        {
            if (options.TlsHandshakeTimeout > TimeSpan.Zero)
            {
                if (timeoutSource is not null) timeoutSource.CancelAfter(options.TlsHandshakeTimeout);
                else socket.ReceiveTimeout = socket.SendTimeout = ToMilliseconds(options.TlsHandshakeTimeout);
            }
            if (timeoutSource is not null)
            {
                await ssl.AuthenticateAsClientAsync(TlsOptions(endpoint, options), timeoutSource.Token).ConfigureAwait(false);
            }
            else
            {
                ssl.AuthenticateAsClient(TlsOptions(endpoint, options));
                socket.ReceiveTimeout = previousReceive;
                socket.SendTimeout = previousSend;
            }
            return ssl;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            ssl.Dispose();
            throw new RedisTimeoutException($"TLS handshake timeout ({endpoint.Description}).", ex);
        }
        catch (Exception ex)
        {
            ssl.Dispose();
            if (ex is OperationCanceledException) throw;
            throw TlsFailure(endpoint, ex);
        }
    }

    private static RedisConnectionException TlsFailure(Endpoint endpoint, Exception ex)
    {
        if (IsTimeout(ex)) return new RedisTimeoutException($"TLS handshake timeout ({endpoint.Description}).", ex);
        return new RedisConnectionException($"TLS handshake with {endpoint.Description} failed: {ex.Message}", ex);
    }

    // The handshake has a deadline of its own (HandshakeTimeout), for the whole of it: a server that
    // accepts but never answers must fail the dial even when no read timeout is configured, since a
    // reconnecting RedisClient or a pool would otherwise wait on it forever. Async, a token source
    // cancelled at the deadline bounds it. Sync, the socket stays in blocking mode: the deadline is the
    // socket's own receive/send timeout (SO_RCVTIMEO, SO_SNDTIMEO), re-armed with the time left before
    // each read, then the configured timeouts are restored.
    private async ValueTask Handshake(bool async, DialOptions options, CancellationToken cancellationToken)
    {
        ConfigureKeepAliveSafely(options);
        int count = SendHandshake(options);
        if (count == 0) return;
        TimeSpan limit = HandshakeLimit(options);
        object?[] replies;
        if (limit <= TimeSpan.Zero)
        {
            replies = await ReadHandshakeReplies(async, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Async: a token source cancelled at the deadline. Sync: the deadline Fill re-arms before each read.
            using CancellationTokenSource? deadline = async ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
            if (deadline is not null)
            {
                deadline.CancelAfter(limit);
            }
            else
            {
                _handshakeDeadline = Environment.TickCount64 + ToMilliseconds(limit);
                if (_stream.CanTimeout) _stream.WriteTimeout = ToMilliseconds(limit);
            }
            try
            {
                replies = await ReadHandshakeReplies(async, deadline?.Token ?? cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw HandshakeTimedOut(limit, ex);
            }
            catch (RedisTimeoutException ex)
            {
                throw HandshakeTimedOut(limit, ex);
            }
            finally
            {
                _handshakeDeadline = 0;
            }
            if (!async) RestoreTimeoutsAfterHandshake();
        }
        CheckHandshake(replies, options);
    }

    // Do("") flushes the pipelined handshake commands and returns all their replies.
    private async ValueTask<object?[]> ReadHandshakeReplies(bool async, CancellationToken cancellationToken)
        => (object?[])(async ? await DoAsync("", [], cancellationToken).ConfigureAwait(false) : Do(""))!;

    // The handshake as a whole gets the shorter of HandshakeTimeout and a configured read timeout
    // (which bounded each handshake read before HandshakeTimeout existed); either may be off.
    private static TimeSpan HandshakeLimit(DialOptions options)
    {
        TimeSpan handshake = options.HandshakeTimeout, read = options.ReadTimeout;
        if (handshake <= TimeSpan.Zero) return read;
        return read > TimeSpan.Zero && read < handshake ? read : handshake;
    }

    private RedisTimeoutException HandshakeTimedOut(TimeSpan limit, Exception inner)
    {
        var error = new RedisTimeoutException($"The server did not answer the handshake within {limit.TotalMilliseconds:0} ms ({_description}); the connection was closed.", inner);
        Fail(error);
        return error;
    }

    // Before each handshake read: the socket's receive timeout becomes the time left.
    private void ArmHandshakeDeadline()
    {
        long left = _handshakeDeadline - Environment.TickCount64;
        if (left <= 0) throw Fail(new RedisTimeoutException($"Timed out reading the handshake replies from {_description}."));
        if (_stream.CanTimeout) _stream.ReadTimeout = (int)Math.Min(left, int.MaxValue);
    }

    private void RestoreTimeoutsAfterHandshake()
    {
        if (!_stream.CanTimeout) return;
        _stream.ReadTimeout = _activeReadTimeout > TimeSpan.Zero ? ToMilliseconds(_activeReadTimeout) : Timeout.Infinite;
        _stream.WriteTimeout = _writeTimeout > TimeSpan.Zero ? ToMilliseconds(_writeTimeout) : Timeout.Infinite;
    }

    private void ConfigureKeepAliveSafely(DialOptions options)
    {
        if (_socket is not null)
        {
            try
            {
                ConfigureKeepAlive(_socket, options.KeepAlive);
            }
            catch (SocketException)
            {
                // Keep-alive is best effort: some platforms refuse the tuning options.
            }
        }
    }

    // Queues the handshake commands and returns how many were queued.
    private int SendHandshake(DialOptions options)
    {
        int count = 0;
        if (options.Protocol == 3)
        {
            var hello = new List<object?>(6) { "3" };
            if (!string.IsNullOrEmpty(options.Password))
            {
                hello.Add("AUTH");
                hello.Add(string.IsNullOrEmpty(options.Username) ? "default" : options.Username);
                hello.Add(options.Password);
            }
            if (!string.IsNullOrEmpty(options.ClientName))
            {
                hello.Add("SETNAME");
                hello.Add(options.ClientName);
            }
            Send("HELLO", hello.ToArray());
            count++;
        }
        else
        {
            if (!string.IsNullOrEmpty(options.Password))
            {
                if (string.IsNullOrEmpty(options.Username)) Send("AUTH", options.Password);
                else Send("AUTH", options.Username, options.Password);
                count++;
            }
            if (!string.IsNullOrEmpty(options.ClientName))
            {
                Send("CLIENT", "SETNAME", options.ClientName);
                count++;
            }
        }
        if (options.Database != 0)
        {
            Send("SELECT", options.Database);
            count++;
        }
        if (options.ClusterReadOnly)
        {
            Send("READONLY");
            count++;
        }
        if (options.TrackingArguments is { } tracking)
        {
            Send("CLIENT", ["TRACKING", "ON", .. tracking]);
            count++;
        }
        return count;
    }

    private void CheckHandshake(object?[] replies, DialOptions options)
    {
        foreach (object? reply in replies)
        {
            if (reply is RedisServerException error)
            {
                throw new RedisServerException(Redact(error.Message, options.Password));
            }
        }
    }

    // Server errors can quote a command's arguments ("unknown command 'HELLO', with args beginning
    // with: ..."); a handshake error must never carry the password onward.
    private static string Redact(string message, string? password)
    {
        int quoted = message.IndexOf(", with args beginning with:", StringComparison.Ordinal);
        if (quoted >= 0) message = message[..quoted] + ", with args beginning with: (redacted)";
        if (!string.IsNullOrEmpty(password)) message = message.Replace(password, "***", StringComparison.Ordinal);
        return message;
    }
}
