using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Redis.Tests.Infrastructure;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests;

/// <summary>
/// TLS dialing against a local redis-server with a private CA made at run time: trust, host-name
/// checks, custom validation, mutual TLS and the handshake timeout; each sync and async.
/// </summary>
[Trait("Server", "RedisOnly")]
public class TlsTests(TlsServerFixture fixture) : IClassFixture<TlsServerFixture>
{
    public static TheoryData<bool> Modes() => new() { false, true };

    public static TheoryData<bool, string> ModesAndHosts() => new()
    {
        { false, "localhost" },
        { true, "localhost" },
        { false, "127.0.0.1" },
        { true, "127.0.0.1" },
    };

    private static TestCertificates Certificates => TestCertificates.Instance;

    private static DialOptions TrustingTheCa => DialOptions.Default with
    {
        UseTls = true,
        TrustedCertificateAuthorities = Certificates.TrustedCa,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ReadTimeout = TimeSpan.FromSeconds(10),
    };

    private static async Task<IConn> Dial(bool useAsync, string address, DialOptions options)
        => useAsync ? await Conn.DialAsync("tcp", address, options) : Conn.Dial("tcp", address, options);

    private static async Task<IConn> DialUrl(bool useAsync, string url, DialOptions options)
        => useAsync ? await Conn.DialUrlAsync(url, options) : Conn.DialUrl(url, options);

    // Dials, then PINGs (a server that refuses the client may only say so after the handshake), and
    // returns the connection error that one of the two raised.
    private static async Task<RedisConnectionException> DialAndPingFails(bool useAsync, string address, DialOptions options)
    {
        return await Assert.ThrowsAnyAsync<RedisConnectionException>(async () =>
        {
            await using IConn c = await Dial(useAsync, address, options);
            await c.Do(useAsync, "PING");
        });
    }

    private static async Task AssertRoundTrip(IConn c, bool useAsync)
    {
        string key = ServerFixture.Key("tls");
        Assert.Equal("PONG", await c.Do(useAsync, "PING"));
        Assert.Equal("OK", await c.Do(useAsync, "SET", key, "over tls"));
        Assert.Equal("over tls", Text(await c.Do(useAsync, "GET", key)));
        Assert.Null(c.Err);
    }

    [SkippableTheory, MemberData(nameof(ModesAndHosts))]
    public async Task TlsDial_WithThePrivateCaTrusted_PingsAndRoundTripsAValue(bool useAsync, string host)
    {
        TlsServer server = await fixture.ServerAsync();
        string address = host + ":" + server.TlsPort.ToString(CultureInfo.InvariantCulture);

        await using IConn c = await Dial(useAsync, address, TrustingTheCa);

        await AssertRoundTrip(c, useAsync);
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task TlsDial_ReallyUsesTls_TheServerSeesATlsClientOnItsTlsPort(bool useAsync)
    {
        TlsServer server = await fixture.ServerAsync();
        await using IConn c = await Dial(useAsync, server.TlsAddress, TrustingTheCa with { ClientName = "tls-probe" });

        // CLIENT INFO's laddr is the server's end of this connection: the TLS port, not the plain one.
        string info = Text(await c.Do(useAsync, "CLIENT", "INFO"));
        Assert.Contains("name=tls-probe", info, StringComparison.Ordinal);
        Assert.Contains("laddr=127.0.0.1:" + server.TlsPort.ToString(CultureInfo.InvariantCulture) + " ", info, StringComparison.Ordinal);
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task TlsPort_DialedWithoutTls_DoesNotGetARedisReply(bool useAsync)
    {
        TlsServer server = await fixture.ServerAsync();

        // Plain RESP on the TLS port: the server drops the garbled handshake, so PING fails (no reply
        // is mistaken for one). The read timeout bounds the wait should the server keep waiting.
        var options = DialOptions.Default with { ReadTimeout = TimeSpan.FromSeconds(5) };
        await DialAndPingFails(useAsync, server.TlsAddress, options);
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task RedissUrl_TurnsTlsOnFromTheScheme(bool useAsync)
    {
        TlsServer server = await fixture.ServerAsync();
        DialOptions options = TrustingTheCa with { UseTls = false };
        string url = "rediss://" + server.TlsLocalhostAddress + "/2";

        await using IConn c = await DialUrl(useAsync, url, options);

        await AssertRoundTrip(c, useAsync);
        Assert.Contains(" db=2 ", Text(await c.Do(useAsync, "CLIENT", "INFO")), StringComparison.Ordinal);
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task DefaultValidation_WithoutTheCa_FailsTheDialWithAClearConnectionError(bool useAsync)
    {
        TlsServer server = await fixture.ServerAsync();
        var options = DialOptions.Default with { UseTls = true };

        var error = await Assert.ThrowsAnyAsync<RedisConnectionException>(async () =>
        {
            await using IConn c = await Dial(useAsync, server.TlsLocalhostAddress, options);
        });

        Assert.IsNotType<RedisTimeoutException>(error);
        Assert.Contains("TLS handshake", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.TlsLocalhostAddress, error.Message, StringComparison.Ordinal);
        Assert.IsType<AuthenticationException>(error.InnerException);
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task WrongCa_FailsTheDial(bool useAsync)
    {
        TlsServer server = await fixture.ServerAsync();
        DialOptions options = TrustingTheCa with { TrustedCertificateAuthorities = Certificates.WrongCa };

        var error = await Assert.ThrowsAnyAsync<RedisConnectionException>(async () =>
        {
            await using IConn c = await Dial(useAsync, server.TlsLocalhostAddress, options);
        });

        Assert.IsNotType<RedisTimeoutException>(error);
        Assert.Contains("TLS handshake", error.Message, StringComparison.Ordinal);
        Assert.IsType<AuthenticationException>(error.InnerException);
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task WrongServerName_FailsEvenWithTheRightCa(bool useAsync)
    {
        TlsServer server = await fixture.ServerAsync();
        DialOptions options = TrustingTheCa with { TlsServerName = "not-the-server.example" };

        var error = await Assert.ThrowsAnyAsync<RedisConnectionException>(async () =>
        {
            await using IConn c = await Dial(useAsync, server.TlsLocalhostAddress, options);
        });

        Assert.IsNotType<RedisTimeoutException>(error);
        Assert.Contains("TLS handshake", error.Message, StringComparison.Ordinal);
        Assert.IsType<AuthenticationException>(error.InnerException);
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task PrivateCa_ServerSendingAnIntermediate_IsAcceptedWithOnlyTheRootTrusted(bool useAsync)
    {
        TlsServer server = await fixture.ChainedServerAsync();

        // The server presents the leaf the intermediate signed and sends the intermediate with it; the
        // client trusts only the root, so the intermediate can come from nowhere but the handshake.
        (string? leaf, bool intermediateSent, _) = await ProbeServerCertificate(useAsync, server.TlsLocalhostAddress, tlsServerName: null);
        Assert.Equal(Certificates.ChainedServer.Thumbprint, leaf);
        Assert.True(intermediateSent, "the server did not send the intermediate CA");
        Assert.Equal(Certificates.IntermediateCertificateAuthority.Subject, Certificates.ChainedServer.Issuer);

        await using IConn c = await Dial(useAsync, server.TlsLocalhostAddress, TrustingTheCa);

        await AssertRoundTrip(c, useAsync);
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task PrivateCa_CertificateWithoutServerAuthUsage_IsRejected(bool useAsync)
    {
        TlsServer server = await fixture.ClientOnlyUsageServerAsync();
        // The client certificate names itself only in its CN ("redis-test-client"): dialing with that name
        // passes SslStream's host-name check, and the trusted CA signed it, so only its usage (client
        // authentication, not server) is left to refuse it.
        string name = Certificates.Client.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        (string? leaf, _, SslPolicyErrors errors) = await ProbeServerCertificate(useAsync, server.TlsAddress, name);
        Assert.Equal(Certificates.Client.Thumbprint, leaf);
        Assert.True((errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0, $"the name {name} does not match: {errors}");

        var error = await Assert.ThrowsAnyAsync<RedisConnectionException>(async () =>
        {
            await using IConn c = await Dial(useAsync, server.TlsAddress, TrustingTheCa with { TlsServerName = name });
        });

        Assert.IsNotType<RedisTimeoutException>(error);
        Assert.Contains("TLS handshake", error.Message, StringComparison.Ordinal);
        Assert.IsType<AuthenticationException>(error.InnerException);
    }

    // Dials with a callback that accepts anything and reports what the server presented: the leaf's
    // thumbprint, whether the intermediate CA came with it, and the errors SslStream found.
    private static async Task<(string? Leaf, bool IntermediateSent, SslPolicyErrors Errors)> ProbeServerCertificate(
        bool useAsync, string address, string? tlsServerName)
    {
        string? leaf = null;
        bool intermediateSent = false;
        SslPolicyErrors seen = SslPolicyErrors.None;
        string intermediate = Certificates.IntermediateCertificateAuthority.Thumbprint;
        var options = DialOptions.Default with
        {
            UseTls = true,
            TlsServerName = tlsServerName,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ReadTimeout = TimeSpan.FromSeconds(10),
            ServerCertificateValidation = (_, certificate, chain, errors) =>
            {
                leaf = certificate?.GetCertHashString();
                seen = errors;
                if (chain is not null)
                {
                    intermediateSent = chain.ChainPolicy.ExtraStore.Any(x => x.Thumbprint == intermediate)
                        || chain.ChainElements.Any(e => e.Certificate.Thumbprint == intermediate);
                }
                return true;
            },
        };

        await using IConn c = await Dial(useAsync, address, options);
        Assert.Equal("PONG", await c.Do(useAsync, "PING"));
        return (leaf, intermediateSent, seen);
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task TlsServerName_ThatMatchesTheCertificate_IsCheckedInsteadOfTheDialedHost(bool useAsync)
    {
        TlsServer server = await fixture.ServerAsync();

        // 127.0.0.1 is dialed, the certificate is checked against "localhost" (which it names).
        await using IConn c = await Dial(useAsync, server.TlsAddress, TrustingTheCa with { TlsServerName = "localhost" });

        await AssertRoundTrip(c, useAsync);
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task CustomValidationCallback_ThatAccepts_IsHonoured(bool useAsync)
    {
        TlsServer server = await fixture.ServerAsync();
        int calls = 0;
        SslPolicyErrors seen = SslPolicyErrors.None;
        string? subject = null;
        var options = DialOptions.Default with
        {
            UseTls = true,
            ServerCertificateValidation = (_, certificate, _, errors) =>
            {
                Interlocked.Increment(ref calls);
                seen = errors;
                subject = certificate?.Subject;
                return true;
            },
        };

        await using IConn c = await Dial(useAsync, server.TlsLocalhostAddress, options);

        await AssertRoundTrip(c, useAsync);
        Assert.Equal(1, calls);
        // The default check would have refused the certificate: only the callback let it through.
        Assert.True((seen & SslPolicyErrors.RemoteCertificateChainErrors) != 0, $"errors seen by the callback: {seen}");
        Assert.Equal(Certificates.Server.Subject, subject);
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task CustomValidationCallback_ThatRejects_FailsEvenWithTheRightCa(bool useAsync)
    {
        TlsServer server = await fixture.ServerAsync();
        DialOptions options = TrustingTheCa with { ServerCertificateValidation = (_, _, _, _) => false };

        var error = await Assert.ThrowsAnyAsync<RedisConnectionException>(async () =>
        {
            await using IConn c = await Dial(useAsync, server.TlsLocalhostAddress, options);
        });

        Assert.IsNotType<RedisTimeoutException>(error);
        Assert.IsType<AuthenticationException>(error.InnerException);
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task MutualTls_WithoutAClientCertificate_FailsTheDialOrTheFirstCommand(bool useAsync)
    {
        TlsServer server = await fixture.MutualTlsServerAsync();

        // Under TLS 1.3 the client finishes its side of the handshake before the server checks for a
        // certificate, so the refusal may only surface on the first read.
        RedisConnectionException error = await DialAndPingFails(useAsync, server.TlsLocalhostAddress, TrustingTheCa);

        Assert.IsNotType<RedisTimeoutException>(error);
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task MutualTls_WithTheClientCertificate_Works(bool useAsync)
    {
        TlsServer server = await fixture.MutualTlsServerAsync();
        DialOptions options = TrustingTheCa with { ClientCertificates = Certificates.ClientCertificates };

        await using IConn c = await Dial(useAsync, server.TlsLocalhostAddress, options);

        await AssertRoundTrip(c, useAsync);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task TlsHandshakeTimeout_AgainstAListenerThatNeverAnswers_ThrowsRedisTimeoutExceptionQuickly(bool useAsync)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = new List<Socket>();
        using var stop = new CancellationTokenSource();
        Task acceptLoop = AcceptSilentlyAsync(listener, accepted, stop.Token);
        try
        {
            var options = DialOptions.Default with
            {
                UseTls = true,
                TrustedCertificateAuthorities = Certificates.TrustedCa,
                TlsHandshakeTimeout = TimeSpan.FromMilliseconds(200),
                ConnectTimeout = TimeSpan.FromSeconds(5),
            };
            var clock = Stopwatch.StartNew();

            var error = await Assert.ThrowsAsync<RedisTimeoutException>(async () =>
            {
                await using IConn c = await Dial(useAsync, "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture), options);
            });

            clock.Stop();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the dial took {clock.Elapsed.TotalMilliseconds:0} ms");
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(150), $"the dial gave up after only {clock.Elapsed.TotalMilliseconds:0} ms");
            Assert.Contains("TLS handshake timeout", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
            listener.Stop();
            await acceptLoop;
            lock (accepted)
            {
                foreach (Socket socket in accepted) socket.Dispose();
            }
        }
    }

    // Accepts connections and keeps them open without ever sending a byte.
    private static async Task AcceptSilentlyAsync(TcpListener listener, List<Socket> accepted, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Socket socket = await listener.AcceptSocketAsync(cancellationToken);
                lock (accepted) accepted.Add(socket);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The test is over.
        }
    }
}
