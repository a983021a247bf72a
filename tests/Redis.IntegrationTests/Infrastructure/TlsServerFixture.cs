using System.Globalization;
using Redis.Testing;

namespace Redis.Tests.Infrastructure;

/// <summary>
/// A local redis-server listening for TLS on <see cref="TlsPort"/> (certificates from
/// <see cref="TestCertificates"/>) and, for the helper's readiness probe, in plain text on
/// <see cref="Server"/>'s own port.
/// </summary>
public sealed class TlsServer(TestServer server, int tlsPort) : IAsyncDisposable
{
    /// <summary>The server (its <see cref="TestServer.Port"/> is the plain-text port).</summary>
    public TestServer Server { get; } = server;

    /// <summary>The TLS port.</summary>
    public int TlsPort { get; } = tlsPort;

    /// <summary><c>127.0.0.1:TlsPort</c>.</summary>
    public string TlsAddress => "127.0.0.1:" + TlsPort.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>localhost:TlsPort</c> (the name in the certificate's SAN).</summary>
    public string TlsLocalhostAddress => "localhost:" + TlsPort.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Starts a TLS server; <paramref name="requireClientCertificates"/> sets <c>--tls-auth-clients yes</c>,
    /// <paramref name="identity"/> picks the certificate (and chain) it presents.
    /// </summary>
    public static async Task<TlsServer> StartAsync(bool requireClientCertificates, ServerIdentity identity = ServerIdentity.SignedByTheRoot)
    {
        TestCertificates certificates = TestCertificates.Instance;
        int tlsPort = TestServer.AllocateFreePort();
        string reason = requireClientCertificates ? "TLS with client certificates" : "TLS";
        if (identity != ServerIdentity.SignedByTheRoot) reason += ", server certificate: " + identity;
        TestServer server = await DedicatedServer.StartAsync(new TestServerOptions
        {
            Reason = reason,
            ExtraArgsFactory = directory =>
            {
                (string cert, string key, string ca) = certificates.WriteServerFiles(directory, identity);
                return
                [
                    "--tls-port", tlsPort.ToString(CultureInfo.InvariantCulture),
                    "--tls-cert-file", cert,
                    "--tls-key-file", key,
                    "--tls-ca-cert-file", ca,
                    "--tls-auth-clients", requireClientCertificates ? "yes" : "no",
                ];
            },
        });
        return new TlsServer(server, tlsPort);
    }

    /// <summary>Stops the server.</summary>
    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

/// <summary>
/// TLS servers shared by one test class, each started on first use: one that accepts any client, one
/// that demands a client certificate, one that sends its leaf and the intermediate CA that signed it,
/// and one that presents a client-auth-only certificate as its server certificate. A server that
/// cannot start skips (or under CI fails) each test that asks for it.
/// </summary>
public sealed class TlsServerFixture : IAsyncLifetime
{
    private readonly Lazy<Task<TlsServer>> _plain = new(() => TlsServer.StartAsync(requireClientCertificates: false));
    private readonly Lazy<Task<TlsServer>> _mutual = new(() => TlsServer.StartAsync(requireClientCertificates: true));
    private readonly Lazy<Task<TlsServer>> _chained = new(() => TlsServer.StartAsync(requireClientCertificates: false, ServerIdentity.LeafAndIntermediate));
    private readonly Lazy<Task<TlsServer>> _clientOnlyUsage = new(() => TlsServer.StartAsync(requireClientCertificates: false, ServerIdentity.ClientOnlyUsage));

    /// <summary>The TLS server with <c>--tls-auth-clients no</c>.</summary>
    public Task<TlsServer> ServerAsync() => _plain.Value;

    /// <summary>The TLS server with <c>--tls-auth-clients yes</c>.</summary>
    public Task<TlsServer> MutualTlsServerAsync() => _mutual.Value;

    /// <summary>A TLS server (<c>--tls-auth-clients no</c>) whose certificate file holds <see cref="TestCertificates.ChainedServer"/> then <see cref="TestCertificates.IntermediateCertificateAuthority"/>.</summary>
    public Task<TlsServer> ChainedServerAsync() => _chained.Value;

    /// <summary>A TLS server (<c>--tls-auth-clients no</c>) presenting <see cref="TestCertificates.Client"/> (client-auth EKU only) as its certificate.</summary>
    public Task<TlsServer> ClientOnlyUsageServerAsync() => _clientOnlyUsage.Value;

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        foreach (Lazy<Task<TlsServer>> lazy in new[] { _plain, _mutual, _chained, _clientOnlyUsage })
        {
            if (!lazy.IsValueCreated) continue;
            TlsServer server;
            try
            {
                server = await lazy.Value;
            }
            catch (Exception)
            {
                continue; // it never started; the tests that asked for it already reported why
            }
            await server.DisposeAsync();
        }
    }
}
