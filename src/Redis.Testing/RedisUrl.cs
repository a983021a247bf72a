using System.Globalization;

namespace Redis.Testing;

/// <summary>
/// The parts of a <c>REDIS_URL</c> value the helper needs: <c>redis://[[user]:password@]host[:port][/db]</c>,
/// <c>rediss://...</c>, <c>host:port</c> or <c>host</c>. The password is kept for probing only and never printed.
/// </summary>
internal sealed record RedisUrl(string Host, int Port, bool Tls, string? User, string? Password, string Url)
{
    public const int DefaultPort = 6379;

    public static RedisUrl Parse(string value)
    {
        var text = value.Trim();
        if (text.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) ||
                (uri.Scheme != "redis" && uri.Scheme != "rediss") ||
                string.IsNullOrEmpty(uri.Host))
            {
                throw new TestServerUnavailableException(
                    "REDIS_URL is not a redis://host:port or rediss://host:port URL (or host:port).");
            }

            string? user = null;
            string? password = null;
            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    // redis://secret@host: a lone user-info part is the password (redigo, redis-py).
                    password = Uri.UnescapeDataString(uri.UserInfo);
                }
                else
                {
                    user = Uri.UnescapeDataString(uri.UserInfo[..colon]);
                    password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
                    if (user.Length == 0)
                    {
                        user = null;
                    }
                }
            }

            var host = uri.Host.Trim('[', ']');
            var port = uri.IsDefaultPort || uri.Port <= 0 ? DefaultPort : uri.Port;
            return new RedisUrl(host, port, uri.Scheme == "rediss", user, password, text);
        }

        string hostPart;
        var portNumber = DefaultPort;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new TestServerUnavailableException("REDIS_URL has an unterminated IPv6 address.");
            }

            hostPart = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.StartsWith(':'))
            {
                portNumber = ParsePort(rest[1..]);
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf(':', StringComparison.Ordinal) == colon)
            {
                hostPart = text[..colon];
                portNumber = ParsePort(text[(colon + 1)..]);
            }
            else
            {
                hostPart = text;
            }
        }

        if (hostPart.Length == 0)
        {
            throw new TestServerUnavailableException("REDIS_URL has no host.");
        }

        return new RedisUrl(hostPart, portNumber, false, null, null, $"redis://{FormatAddress(hostPart, portNumber)}");
    }

    public static string FormatAddress(string host, int port) =>
        host.Contains(':', StringComparison.Ordinal)
            ? $"[{host}]:{port.ToString(CultureInfo.InvariantCulture)}"
            : $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";

    private static int ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new TestServerUnavailableException("REDIS_URL has an invalid port.");

    /// <summary>Never shows the password.</summary>
    public override string ToString() => FormatAddress(Host, Port);
}
