using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Redis;

/// <summary>Server-certificate checks for a private certificate authority.</summary>
internal static class TlsValidation
{
    /// <summary>
    /// Accepts a server certificate only when it chains to one of <paramref name="roots"/> (and not
    /// to the system store) and its name matches the host: a private CA keeps host-name checking.
    /// </summary>
    public static RemoteCertificateValidationCallback TrustOnly(X509Certificate2Collection roots)
    {
        var trusted = new X509Certificate2Collection(roots);
        return (_, certificate, _, errors) =>
        {
            if (certificate is null) return false;
            // The name check is done by SslStream against TargetHost; keep its verdict.
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
            if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = new X509Certificate2(certificate);
            return chain.Build(leaf);
        };
    }
}
