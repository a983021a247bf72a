using System.Globalization;

namespace Redis;

/// <summary>
/// Parses connection URLs: <c>redis://[user:pass@]host[:port][/db]</c>, <c>rediss://...</c> (TLS)
/// and <c>unix:///path/to.sock[?db=N]</c>. A query may also carry <c>db=N</c> and <c>protocol=3</c>.
/// Error messages never contain the URL's password.
/// </summary>
internal static class RedisUrl
{
    public const int DefaultPort = 6379;

    public readonly record struct Target(string Network, string Address, DialOptions Options);

    public static Target Parse(string url, DialOptions? options)
    {
        ArgumentNullException.ThrowIfNull(url);
        DialOptions result = options ?? DialOptions.Default;
        int schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            int colon = url.IndexOf(':');
            if (colon > 0 && IsKnownScheme(url[..colon]))
            {
                throw new ArgumentException($"invalid redis URL, url is opaque: {url[..colon]}:... (expected {url[..colon]}://)", nameof(url));
            }
            throw new ArgumentException("invalid redis URL scheme: expected redis://, rediss:// or unix://", nameof(url));
        }

        string scheme = url[..schemeEnd].ToLowerInvariant();
        string rest = url[(schemeEnd + 3)..];
        string? query = null;
        int q = rest.IndexOf('?');
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }
        int hash = rest.IndexOf('#');
        if (hash >= 0) rest = rest[..hash];

        switch (scheme)
        {
            case "unix":
            {
                string path = Uri.UnescapeDataString(rest);
                if (path.Length == 0 || path[0] != '/') throw new ArgumentException("invalid unix socket URL: expected unix:///absolute/path", nameof(url));
                result = ApplyQuery(result, query);
                return new Target("unix", path, result);
            }
            case "redis":
            case "rediss":
                break;
            default:
                throw new ArgumentException($"invalid redis URL scheme: {SafeScheme(scheme)}", nameof(url));
        }

        // A password with an unencoded '/', '?' or '#' splits the URL in the wrong place, and a piece
        // of it would be quoted as the port, host or database: with credentials present, quote nothing.
        if (url.IndexOf('@', schemeEnd + 3) < 0) return ParseServer(scheme, rest, query, result);
        try
        {
            return ParseServer(scheme, rest, query, result);
        }
        catch (ArgumentException ex)
        {
            int colon = ex.Message.IndexOf(':');
            string what = colon > 0 ? ex.Message[..colon] : "invalid redis URL";
            throw new ArgumentException($"{what} (not shown: the URL holds credentials; percent-encode '/', '?', '#' and '@' in a password)", nameof(url));
        }
    }

    private static Target ParseServer(string scheme, string rest, string? query, DialOptions result)
    {
        int slash = rest.IndexOf('/');
        string authority = slash < 0 ? rest : rest[..slash];
        string path2 = slash < 0 ? string.Empty : rest[slash..];

        int at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            string userInfo = authority[..at];
            authority = authority[(at + 1)..];
            int colon = userInfo.IndexOf(':');
            string user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            string? password = colon < 0 ? null : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
            // As redigo: AUTH only when a non-empty password is given; the user name only when non-empty.
            if (!string.IsNullOrEmpty(password))
            {
                result = result with { Password = password, Username = user.Length > 0 ? user : null };
            }
        }

        (string host, int port) = ParseHostPort(authority, "localhost", "url");

        if (path2.Length > 1)
        {
            string db = path2[1..];
            if (!int.TryParse(db, NumberStyles.None, CultureInfo.InvariantCulture, out int database))
            {
                throw new ArgumentException($"invalid database: {db}", "url");
            }
            result = result with { Database = database };
        }

        result = ApplyQuery(result, query);
        if (scheme == "rediss") result = result with { UseTls = true };
        return new Target("tcp", FormatAddress(host, port), result);
    }

    /// <summary>Splits <c>host:port</c> (or <c>[v6]:port</c>); an empty host gives <paramref name="defaultHost"/>, no port 6379.</summary>
    public static (string Host, int Port) ParseHostPort(string authority, string defaultHost, string paramName)
    {
        string host;
        string? portText = null;
        if (authority.StartsWith('['))
        {
            int close = authority.IndexOf(']');
            if (close < 0) throw new ArgumentException("invalid host: unclosed '[' in an IPv6 address", paramName);
            host = authority[1..close];
            string after = authority[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':') throw new ArgumentException("invalid host: unexpected text after ']'", paramName);
                portText = after[1..];
            }
        }
        else
        {
            int colon = authority.IndexOf(':');
            if (colon >= 0 && authority.IndexOf(':', colon + 1) >= 0)
            {
                throw new ArgumentException("invalid address: more than one ':' (write IPv6 addresses as [addr]:port)", paramName);
            }
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? null : authority[(colon + 1)..];
        }

        foreach (char c in host)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '@' or '?' or '#')
            {
                throw new ArgumentException("invalid host: it contains a space or a reserved character", paramName);
            }
        }
        if (host.Length == 0) host = defaultHost;

        int port = DefaultPort;
        if (portText is not null)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port < 1 || port > 65535)
            {
                throw new ArgumentException($"invalid port: '{portText}' (expected 1 to 65535)", paramName);
            }
        }
        return (host, port);
    }

    public static string FormatAddress(string host, int port)
        => host.Contains(':') ? $"[{host}]:{port.ToString(CultureInfo.InvariantCulture)}" : $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";

    private static DialOptions ApplyQuery(DialOptions options, string? query)
    {
        if (string.IsNullOrEmpty(query)) return options;
        foreach (string part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=');
            string key = Uri.UnescapeDataString(eq < 0 ? part : part[..eq]).ToLowerInvariant();
            string value = eq < 0 ? string.Empty : Uri.UnescapeDataString(part[(eq + 1)..]);
            switch (key)
            {
                case "db":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int db))
                    {
                        throw new ArgumentException($"invalid database: {value}", "url");
                    }
                    options = options with { Database = db };
                    break;
                case "protocol":
                    if (value is not ("2" or "3")) throw new ArgumentException($"invalid protocol: {value} (expected 2 or 3)", "url");
                    options = options with { Protocol = value[0] - '0' };
                    break;
            }
        }
        return options;
    }

    private static bool IsKnownScheme(string scheme)
        => scheme.Equals("redis", StringComparison.OrdinalIgnoreCase)
        || scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase)
        || scheme.Equals("unix", StringComparison.OrdinalIgnoreCase);

    // A scheme is echoed in errors only when it looks like one (it cannot then hold a password).
    private static string SafeScheme(string scheme)
    {
        foreach (char c in scheme)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.')) return "(not a scheme)";
        }
        return scheme.Length > 32 ? scheme[..32] + "..." : scheme;
    }
}
