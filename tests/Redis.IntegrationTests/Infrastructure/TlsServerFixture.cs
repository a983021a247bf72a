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

    /// <summary>Starts a TLS server; <paramref name="requireClientCertificates"/> sets <c>--tls-auth-clients yes</c>.</summary>
    public static async Task<TlsServer> StartAsync(bool requireClientCertificates)
    {
        TestCertificates certificates = TestCertificates.Instance;
        int tlsPort = TestServer.AllocateFreePort();
        TestServer server = await DedicatedServer.StartAsync(new TestServerOptions
        {
            Reason = requireClientCertificates ? "TLS with client certificates" : "TLS",
            ExtraArgsFactory = directory =>
            {
                (string cert, string key, string ca) = certificates.WriteServerFiles(directory);
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
/// Two TLS servers shared by one test class, each started on first use: one that accepts any client
/// and one that demands a client certificate. A server that cannot start skips (or under CI fails)
/// each test that asks for it.
/// </summary>
public sealed class TlsServerFixture : IAsyncLifetime
{
    private readonly Lazy<Task<TlsServer>> _plain = new(() => TlsServer.StartAsync(requireClientCertificates: false));
    private readonly Lazy<Task<TlsServer>> _mutual = new(() => TlsServer.StartAsync(requireClientCertificates: true));

    /// <summary>The TLS server with <c>--tls-auth-clients no</c>.</summary>
    public Task<TlsServer> ServerAsync() => _plain.Value;

    /// <summary>The TLS server with <c>--tls-auth-clients yes</c>.</summary>
    public Task<TlsServer> MutualTlsServerAsync() => _mutual.Value;

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        foreach (Lazy<Task<TlsServer>> lazy in new[] { _plain, _mutual })
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
