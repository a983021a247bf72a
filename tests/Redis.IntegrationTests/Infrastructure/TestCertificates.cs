using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Redis.Tests.Infrastructure;

/// <summary>Which certificate (and chain) a TLS test server presents; see <see cref="TestCertificates.WriteServerFiles"/>.</summary>
public enum ServerIdentity
{
    /// <summary><see cref="TestCertificates.Server"/>, signed by the root CA itself.</summary>
    SignedByTheRoot,

    /// <summary><see cref="TestCertificates.ChainedServer"/> followed by <see cref="TestCertificates.IntermediateCertificateAuthority"/>: the server sends both.</summary>
    LeafAndIntermediate,

    /// <summary><see cref="TestCertificates.Client"/> (client-auth EKU only) presented as a server certificate.</summary>
    ClientOnlyUsage,
}

/// <summary>
/// Certificates made at run time for the TLS tests (ECDSA P-256, valid from a day ago for a week):
/// a private root CA, a server certificate it signed (SAN DNS <c>localhost</c> and IP 127.0.0.1, server-auth
/// EKU), a client certificate it signed (client-auth EKU), an intermediate CA it signed with a second
/// server certificate under it (same SAN and EKU), and an unrelated second CA. Made once per test
/// process (<see cref="Instance"/>); <see cref="WriteServerFiles"/> writes the PEM files redis-server reads.
/// </summary>
public sealed class TestCertificates
{
    private static readonly Lazy<TestCertificates> Shared = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _serverCertificatePem;
    private readonly string _serverKeyPem;
    private readonly string _chainedServerCertificatePem;
    private readonly string _chainedServerKeyPem;
    private readonly string _intermediateCertificatePem;
    private readonly string _clientCertificatePem;
    private readonly string _clientKeyPem;
    private readonly string _caCertificatePem;

    private TestCertificates(
        X509Certificate2 ca,
        X509Certificate2 otherCa,
        X509Certificate2 intermediateCa,
        X509Certificate2 server,
        X509Certificate2 chainedServer,
        X509Certificate2 client,
        string serverCertificatePem,
        string serverKeyPem,
        string chainedServerCertificatePem,
        string chainedServerKeyPem,
        string intermediateCertificatePem,
        string clientCertificatePem,
        string clientKeyPem,
        string caCertificatePem)
    {
        CertificateAuthority = ca;
        OtherCertificateAuthority = otherCa;
        IntermediateCertificateAuthority = intermediateCa;
        Server = server;
        ChainedServer = chainedServer;
        Client = client;
        _serverCertificatePem = serverCertificatePem;
        _serverKeyPem = serverKeyPem;
        _chainedServerCertificatePem = chainedServerCertificatePem;
        _chainedServerKeyPem = chainedServerKeyPem;
        _intermediateCertificatePem = intermediateCertificatePem;
        _clientCertificatePem = clientCertificatePem;
        _clientKeyPem = clientKeyPem;
        _caCertificatePem = caCertificatePem;
    }

    /// <summary>The certificates of this test process (made on first use).</summary>
    public static TestCertificates Instance => Shared.Value;

    /// <summary>The private root CA that signed the server, client and intermediate certificates (public part only).</summary>
    public X509Certificate2 CertificateAuthority { get; }

    /// <summary>
    /// A CA signed by <see cref="CertificateAuthority"/> that signed <see cref="ChainedServer"/> (public part
    /// only). In no trust list: a client trusting the root learns of it only from the server.
    /// </summary>
    public X509Certificate2 IntermediateCertificateAuthority { get; }

    /// <summary>A CA that signed nothing here: trusting it alone must not let the server's certificate through.</summary>
    public X509Certificate2 OtherCertificateAuthority { get; }

    /// <summary>The server's certificate (public part only; redis-server gets the key from its PEM file).</summary>
    public X509Certificate2 Server { get; }

    /// <summary>
    /// A server certificate signed by <see cref="IntermediateCertificateAuthority"/> (SAN DNS <c>localhost</c>
    /// and IP 127.0.0.1, server-auth EKU; public part only).
    /// </summary>
    public X509Certificate2 ChainedServer { get; }

    /// <summary>The client certificate with its private key, loaded from PKCS#12 so SslStream can use the key on Linux.</summary>
    public X509Certificate2 Client { get; }

    /// <summary>A new collection holding only <see cref="CertificateAuthority"/> (for <see cref="DialOptions.TrustedCertificateAuthorities"/>).</summary>
    public X509Certificate2Collection TrustedCa => [CertificateAuthority];

    /// <summary>A new collection holding only <see cref="OtherCertificateAuthority"/>.</summary>
    public X509Certificate2Collection WrongCa => [OtherCertificateAuthority];

    /// <summary>A new collection holding only <see cref="Client"/> (for <see cref="DialOptions.ClientCertificates"/>).</summary>
    public X509CertificateCollection ClientCertificates => [Client];

    /// <summary>
    /// Writes <c>server.crt</c>, <c>server.key</c> (PKCS#8) and <c>ca.crt</c> (the root CA) into
    /// <paramref name="directory"/> (owner-only permissions on Unix) and returns their paths.
    /// <paramref name="identity"/> picks what <c>server.crt</c> holds: for
    /// <see cref="ServerIdentity.LeafAndIntermediate"/> it is the leaf's PEM followed by the
    /// intermediate's, which redis-server (<c>SSL_CTX_use_certificate_chain_file</c>) sends as its chain.
    /// </summary>
    public (string CertificateFile, string KeyFile, string CaFile) WriteServerFiles(
        string directory,
        ServerIdentity identity = ServerIdentity.SignedByTheRoot)
    {
        (string certificatePem, string keyPem) = identity switch
        {
            ServerIdentity.SignedByTheRoot => (_serverCertificatePem, _serverKeyPem),
            ServerIdentity.LeafAndIntermediate => (_chainedServerCertificatePem + "\n" + _intermediateCertificatePem, _chainedServerKeyPem),
            ServerIdentity.ClientOnlyUsage => (_clientCertificatePem, _clientKeyPem),
            _ => throw new ArgumentOutOfRangeException(nameof(identity), identity, null),
        };
        string cert = Path.Combine(directory, "server.crt");
        string key = Path.Combine(directory, "server.key");
        string ca = Path.Combine(directory, "ca.crt");
        WritePrivate(cert, certificatePem);
        WritePrivate(key, keyPem);
        WritePrivate(ca, _caCertificatePem);
        return (cert, key, ca);
    }

    private static void WritePrivate(string path, string content)
    {
        File.WriteAllText(path, content + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static TestCertificates Create()
    {
        DateTimeOffset notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        DateTimeOffset notAfter = DateTimeOffset.UtcNow.AddDays(7);

        // The root may sign one level of CA below it (the intermediate); the intermediate may sign only leaves.
        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 caWithKey = CreateCa("CN=Redis Test CA, O=Redis.Tests", caKey, issuer: null, pathLength: 1, notBefore, notAfter);

        using ECDsa otherCaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 otherCaWithKey = CreateCa("CN=Unrelated Test CA, O=Redis.Tests", otherCaKey, issuer: null, pathLength: 0, notBefore, notAfter);

        using ECDsa intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 intermediatePublic = CreateCa("CN=Redis Test Intermediate CA, O=Redis.Tests", intermediateKey, caWithKey, pathLength: 0, notBefore, notAfter);
        using X509Certificate2 intermediateWithKey = intermediatePublic.CopyWithPrivateKey(intermediateKey);

        // The server: DNS localhost and IP 127.0.0.1, usable for TLS server authentication only.
        using ECDsa serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        using X509Certificate2 server = CreateLeaf(
            "CN=localhost, O=Redis.Tests", serverKey, caWithKey, notBefore, notAfter,
            new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication"), san.Build());

        // The server under the intermediate: the same names and usage, a key of its own.
        using ECDsa chainedServerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 chainedServer = CreateLeaf(
            "CN=localhost, OU=Intermediate, O=Redis.Tests", chainedServerKey, intermediateWithKey, notBefore, notAfter,
            new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication"), san.Build());

        // The client: TLS client authentication only.
        using ECDsa clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 clientPublic = CreateLeaf(
            "CN=redis-test-client, O=Redis.Tests", clientKey, caWithKey, notBefore, notAfter,
            new Oid("1.3.6.1.5.5.7.3.2", "Client Authentication"), subjectAlternativeName: null);

        // On Linux SslStream needs a client certificate whose key it can hand to OpenSSL: an ephemeral
        // key attached with CopyWithPrivateKey is not always usable, a PKCS#12 round trip is.
        byte[] pfx;
        using (X509Certificate2 clientWithKey = clientPublic.CopyWithPrivateKey(clientKey))
        {
            pfx = clientWithKey.Export(X509ContentType.Pkcs12, (string?)null);
        }
        X509Certificate2 client = X509CertificateLoader.LoadPkcs12(pfx, password: null, X509KeyStorageFlags.Exportable);

        return new TestCertificates(
            X509CertificateLoader.LoadCertificate(caWithKey.RawData),
            X509CertificateLoader.LoadCertificate(otherCaWithKey.RawData),
            X509CertificateLoader.LoadCertificate(intermediatePublic.RawData),
            X509CertificateLoader.LoadCertificate(server.RawData),
            X509CertificateLoader.LoadCertificate(chainedServer.RawData),
            client,
            server.ExportCertificatePem(),
            serverKey.ExportPkcs8PrivateKeyPem(),
            chainedServer.ExportCertificatePem(),
            chainedServerKey.ExportPkcs8PrivateKeyPem(),
            intermediatePublic.ExportCertificatePem(),
            clientPublic.ExportCertificatePem(),
            clientKey.ExportPkcs8PrivateKeyPem(),
            caWithKey.ExportCertificatePem());
    }

    // A CA certificate: self-signed when issuer is null, else signed by issuer (which must hold its key).
    private static X509Certificate2 CreateCa(
        string subject,
        ECDsa key,
        X509Certificate2? issuer,
        int pathLength,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: pathLength, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        if (issuer is null) return request.CreateSelfSigned(notBefore, notAfter);

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        return request.Create(issuer, notBefore, notAfter, NewSerialNumber());
    }

    private static X509Certificate2 CreateLeaf(
        string subject,
        ECDsa key,
        X509Certificate2 issuer,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter,
        Oid usage,
        X509Extension? subjectAlternativeName)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (subjectAlternativeName is not null) request.CertificateExtensions.Add(subjectAlternativeName);

        return request.Create(issuer, notBefore, notAfter, NewSerialNumber());
    }

    private static byte[] NewSerialNumber()
    {
        byte[] serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F; // a positive serial number
        return serial;
    }
}
