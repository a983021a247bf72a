using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Redis;

/// <summary>
/// How to open a connection: timeouts, authentication, database, client name, TLS and protocol.
/// An immutable record: derive variants with <c>with { ... }</c>. <see cref="ToString"/> never
/// prints the password.
/// </summary>
public sealed record DialOptions
{
    /// <summary>The defaults: 30 s connect timeout, 10 s TLS handshake, 5 s handshake, no read/write timeout, RESP2, no TLS.</summary>
    public static DialOptions Default { get; } = new();

    /// <summary>How long the TCP (or Unix socket) connect may take. <see cref="TimeSpan.Zero"/> means no limit. Default 30 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The deadline for reading each reply (all the replies of one <c>Do</c>). <see cref="TimeSpan.Zero"/>
    /// (the default, as in redigo) means none. When it passes, the connection is broken.
    /// </summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>The deadline for each write. <see cref="TimeSpan.Zero"/> (the default) means none.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// How long the handshake after connecting (HELLO 3 or AUTH, CLIENT SETNAME, SELECT: written and all
    /// their replies read) may take in total, whatever <see cref="ReadTimeout"/> says: a server that accepts
    /// the connection but never answers fails the dial with <see cref="RedisTimeoutException"/> instead of
    /// holding it forever. It applies to every dial (<c>Conn.Dial</c>/<c>DialAsync</c>, pool dials,
    /// <see cref="RedisClient"/> connects and reconnects); the configured read timeout applies again once
    /// the handshake is done (a shorter read timeout bounds the handshake instead). With no handshake to run
    /// nothing is sent and it does not apply. Default 5 s; <see cref="TimeSpan.Zero"/> removes this bound (only
    /// <see cref="ReadTimeout"/>, if any, then applies).
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>TCP keep-alive idle time. <see cref="TimeSpan.Zero"/> disables keep-alive. Default 5 minutes.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The ACL user name (used only together with <see cref="Password"/>).</summary>
    public string? Username { get; init; }

    /// <summary>The password: sent with AUTH (RESP2) or HELLO ... AUTH (RESP3). Never printed.</summary>
    public string? Password { get; init; }

    /// <summary>The database to SELECT after connecting (0, the default, sends nothing).</summary>
    public int Database { get; init; }

    /// <summary>A name set with CLIENT SETNAME (or HELLO ... SETNAME).</summary>
    public string? ClientName { get; init; }

    /// <summary>The RESP version: 2 (the default, as redigo) or 3 (sends HELLO 3).</summary>
    public int Protocol { get; init; } = 2;

    /// <summary>Wraps the connection in TLS. The server certificate is validated (chain and host name) unless a callback says otherwise.</summary>
    public bool UseTls { get; init; }

    /// <summary>The host name expected in the server certificate (and sent as SNI); defaults to the host dialed.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>How long the TLS handshake may take. Default 10 s; <see cref="TimeSpan.Zero"/> means no limit.</summary>
    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Certificate authorities to trust instead of the system store (for a private CA). The host name is still checked.</summary>
    public X509Certificate2Collection? TrustedCertificateAuthorities { get; init; }

    /// <summary>A custom server-certificate check; replaces the default validation entirely.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; init; }

    /// <summary>Client certificates for mutual TLS.</summary>
    public X509CertificateCollection? ClientCertificates { get; init; }

    /// <summary>The TLS versions allowed; <see cref="SslProtocols.None"/> (the default) lets the OS choose.</summary>
    public SslProtocols TlsProtocols { get; init; } = SslProtocols.None;

    /// <summary>Limits on replies (bulk length, aggregate length, depth, buffered bytes).</summary>
    public RespLimits Limits { get; init; } = RespLimits.Default;

    /// <summary>
    /// Receives RESP3 push frames (client-tracking invalidations, pub/sub messages) that arrive while
    /// <c>Do</c> waits for a reply. Without a handler they are dropped. <c>Receive</c> returns pushes itself.
    /// </summary>
    public Action<RedisPush>? PushHandler { get; init; }

    /// <summary>
    /// Adds the command text (<c>db.query.text</c>) to the spans of this connection's commands
    /// (<see cref="RedisTelemetry"/>): argument values, cut when long, with secrets masked (AUTH and HELLO
    /// passwords, CONFIG SET requirepass and the like). Off by default: keys and values may be personal data.
    /// </summary>
    public bool TraceQueryText { get; init; }

    /// <summary>Prints the options with the password masked.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("ConnectTimeout = ").Append(ConnectTimeout)
            .Append(", ReadTimeout = ").Append(ReadTimeout)
            .Append(", WriteTimeout = ").Append(WriteTimeout)
            .Append(", HandshakeTimeout = ").Append(HandshakeTimeout)
            .Append(", KeepAlive = ").Append(KeepAlive)
            .Append(", Username = ").Append(Username)
            .Append(", Password = ").Append(Password is null ? "" : "***")
            .Append(", Database = ").Append(Database)
            .Append(", ClientName = ").Append(ClientName)
            .Append(", Protocol = ").Append(Protocol)
            .Append(", UseTls = ").Append(UseTls)
            .Append(", TlsServerName = ").Append(TlsServerName)
            .Append(", TlsHandshakeTimeout = ").Append(TlsHandshakeTimeout)
            .Append(", Limits = ").Append(Limits)
            .Append(", TraceQueryText = ").Append(TraceQueryText);
        return true;
    }

    /// <summary>
    /// Sends <c>READONLY</c> in the handshake: set by the cluster client on connections to replicas it
    /// reads from, so the setting survives reconnects.
    /// </summary>
    internal bool ClusterReadOnly { get; init; }

    /// <summary>
    /// Arguments after <c>CLIENT TRACKING ON</c> in the handshake (<c>OPTIN</c>, or <c>REDIRECT id OPTIN</c>):
    /// set per dial by a client with a cache, so tracking is back on after every reconnect.
    /// </summary>
    internal object?[]? TrackingArguments { get; init; }

    internal void Validate()
    {
        if (Protocol is not (2 or 3)) throw new ArgumentException($"Protocol must be 2 or 3, not {Protocol}.", nameof(Protocol));
        if (Database < 0) throw new ArgumentException($"Database must not be negative, not {Database}.", nameof(Database));
        ThrowIfNegative(ConnectTimeout, nameof(ConnectTimeout));
        ThrowIfNegative(ReadTimeout, nameof(ReadTimeout));
        ThrowIfNegative(WriteTimeout, nameof(WriteTimeout));
        ThrowIfNegative(HandshakeTimeout, nameof(HandshakeTimeout));
        ThrowIfNegative(TlsHandshakeTimeout, nameof(TlsHandshakeTimeout));
        ThrowIfNegative(KeepAlive, nameof(KeepAlive));
        ArgumentNullException.ThrowIfNull(Limits);
    }

    private static void ThrowIfNegative(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"{name} must not be negative.", name);
        }
    }
}
