namespace Redis;

/// <summary>
/// Parses Sentinel URLs (Lettuce's form): <c>redis-sentinel://[user:pass@]host[:port][,host[:port]...][/db][?query]#masterName</c>,
/// and <c>rediss-sentinel://...</c> for TLS to the data nodes. The sentinels default to port 26379. The
/// credentials, database, TLS and query apply to the data nodes (a sentinel with a password of its own
/// needs the <see cref="Sentinel"/> constructor). Error messages never contain the password.
/// </summary>
internal static class SentinelUrl
{
    public const int DefaultSentinelPort = 26379;

    public static bool IsSentinelUrl(string url)
        => url.StartsWith("redis-sentinel://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("rediss-sentinel://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The sentinel client and the data nodes' dial options the URL describes.</summary>
    public static (Sentinel Sentinel, DialOptions DataOptions) Parse(string url, DialOptions? options)
    {
        ArgumentNullException.ThrowIfNull(url);
        bool tls = url.StartsWith("rediss-", StringComparison.OrdinalIgnoreCase);
        string rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        int hash = rest.LastIndexOf('#');
        if (hash < 0 || hash == rest.Length - 1)
        {
            throw new ArgumentException("invalid sentinel URL: the master name is missing (add #masterName)", nameof(url));
        }
        string masterName = Uri.UnescapeDataString(rest[(hash + 1)..]);
        rest = rest[..hash];

        int at = rest.LastIndexOf('@');
        string userInfo = at >= 0 ? rest[..(at + 1)] : "";
        string afterUser = at >= 0 ? rest[(at + 1)..] : rest;
        int tail = afterUser.IndexOfAny(['/', '?']);
        string hosts = tail >= 0 ? afterUser[..tail] : afterUser;
        string pathAndQuery = tail >= 0 ? afterUser[tail..] : "";

        var addresses = new List<string>();
        foreach (string host in hosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            bool hasPort = host.StartsWith('[') ? host.Contains("]:", StringComparison.Ordinal) : host.Contains(':');
            addresses.Add(hasPort ? host : $"{host}:{DefaultSentinelPort}");
        }
        if (addresses.Count == 0) throw new ArgumentException("invalid sentinel URL: no sentinel host", nameof(url));

        // The data nodes' options: what a redis:// URL with the same credentials, database and query says.
        RedisUrl.Target data = RedisUrl.Parse($"{(tls ? "rediss" : "redis")}://{userInfo}placeholder{pathAndQuery}", options);
        return (new Sentinel(addresses, masterName), data.Options);
    }
}
