using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Redis;

/// <summary>Server-certificate checks for a private certificate authority.</summary>
internal static class TlsValidation
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>
    /// Accepts a server certificate only when it chains to one of <paramref name="roots"/> (and not
    /// to the system store), is meant for server authentication, and its name matches the host:
    /// a private CA keeps every check but the choice of root.
    /// </summary>
    public static RemoteCertificateValidationCallback TrustOnly(X509Certificate2Collection roots)
    {
        var trusted = new X509Certificate2Collection(roots);
        return (_, certificate, serverChain, errors) =>
        {
            if (certificate is null) return false;
            // The name check is done by SslStream against TargetHost; keep its verdict.
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
            if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuthentication));
            // Intermediates the server sent are not in any store: give them to the chain builder.
            if (serverChain is not null)
            {
                chain.ChainPolicy.ExtraStore.AddRange(serverChain.ChainPolicy.ExtraStore);
                foreach (X509ChainElement element in serverChain.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
            using var leaf = new X509Certificate2(certificate);
            return chain.Build(leaf);
        };
    }
}
