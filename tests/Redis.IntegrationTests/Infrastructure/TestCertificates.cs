using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Redis.Tests.Infrastructure;

/// <summary>
/// Certificates made at run time for the TLS tests (ECDSA P-256, valid from a day ago for a week):
/// a private CA, a server certificate it signed (SAN DNS <c>localhost</c> and IP 127.0.0.1, server-auth
/// EKU), a client certificate it signed (client-auth EKU) and an unrelated second CA. Made once per
/// test process (<see cref="Instance"/>); <see cref="WriteServerFiles"/> writes the PEM files redis-server reads.
/// </summary>
public sealed class TestCertificates
{
    private static readonly Lazy<TestCertificates> Shared = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _serverCertificatePem;
    private readonly string _serverKeyPem;
    private readonly string _caCertificatePem;

    private TestCertificates(
        X509Certificate2 ca,
        X509Certificate2 otherCa,
        X509Certificate2 server,
        X509Certificate2 client,
        string serverCertificatePem,
        string serverKeyPem,
        string caCertificatePem)
    {
        CertificateAuthority = ca;
        OtherCertificateAuthority = otherCa;
        Server = server;
        Client = client;
        _serverCertificatePem = serverCertificatePem;
        _serverKeyPem = serverKeyPem;
        _caCertificatePem = caCertificatePem;
    }

    /// <summary>The certificates of this test process (made on first use).</summary>
    public static TestCertificates Instance => Shared.Value;

    /// <summary>The private CA that signed the server and client certificates (public part only).</summary>
    public X509Certificate2 CertificateAuthority { get; }

    /// <summary>A CA that signed nothing here: trusting it alone must not let the server's certificate through.</summary>
    public X509Certificate2 OtherCertificateAuthority { get; }

    /// <summary>The server's certificate (public part only; redis-server gets the key from its PEM file).</summary>
    public X509Certificate2 Server { get; }

    /// <summary>The client certificate with its private key, loaded from PKCS#12 so SslStream can use the key on Linux.</summary>
    public X509Certificate2 Client { get; }

    /// <summary>A new collection holding only <see cref="CertificateAuthority"/> (for <see cref="DialOptions.TrustedCertificateAuthorities"/>).</summary>
    public X509Certificate2Collection TrustedCa => [CertificateAuthority];

    /// <summary>A new collection holding only <see cref="OtherCertificateAuthority"/>.</summary>
    public X509Certificate2Collection WrongCa => [OtherCertificateAuthority];

    /// <summary>A new collection holding only <see cref="Client"/> (for <see cref="DialOptions.ClientCertificates"/>).</summary>
    public X509CertificateCollection ClientCertificates => [Client];

    /// <summary>
    /// Writes <c>server.crt</c>, <c>server.key</c> (PKCS#8) and <c>ca.crt</c> into <paramref name="directory"/>
    /// (owner-only permissions on Unix) and returns their paths.
    /// </summary>
    public (string CertificateFile, string KeyFile, string CaFile) WriteServerFiles(string directory)
    {
        string cert = Path.Combine(directory, "server.crt");
        string key = Path.Combine(directory, "server.key");
        string ca = Path.Combine(directory, "ca.crt");
        WritePrivate(cert, _serverCertificatePem);
        WritePrivate(key, _serverKeyPem);
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

        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 caWithKey = CreateCa("CN=Redis Test CA, O=Redis.Tests", caKey, notBefore, notAfter);

        using ECDsa otherCaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 otherCaWithKey = CreateCa("CN=Unrelated Test CA, O=Redis.Tests", otherCaKey, notBefore, notAfter);

        // The server: DNS localhost and IP 127.0.0.1, usable for TLS server authentication only.
        using ECDsa serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        using X509Certificate2 server = CreateLeaf(
            "CN=localhost, O=Redis.Tests", serverKey, caWithKey, notBefore, notAfter,
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
            X509CertificateLoader.LoadCertificate(server.RawData),
            client,
            server.ExportCertificatePem(),
            serverKey.ExportPkcs8PrivateKeyPem(),
            caWithKey.ExportCertificatePem());
    }

    private static X509Certificate2 CreateCa(string subject, ECDsa key, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(notBefore, notAfter);
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

        byte[] serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F; // a positive serial number
        return request.Create(issuer, notBefore, notAfter, serial);
    }
}
