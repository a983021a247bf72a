using System.Globalization;

namespace Redis;

/// <summary>What a cluster error reply tells the client to do.</summary>
internal readonly record struct ClusterRedirect(ClusterRedirectKind Kind, int Slot, string? Endpoint)
{
    /// <summary>Reads MOVED/ASK/TRYAGAIN/CLUSTERDOWN/LOADING/READONLY; <see cref="ClusterRedirectKind.None"/> for any other error.</summary>
    public static ClusterRedirect From(RedisServerException error)
    {
        switch (error.Prefix)
        {
            case "MOVED":
            case "ASK":
                // "MOVED 3999 127.0.0.1:6381" (an empty host, ":6381", means "the host you reached me at").
                string[] parts = error.Message.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int slot)) return default;
                return new ClusterRedirect(error.Prefix == "MOVED" ? ClusterRedirectKind.Moved : ClusterRedirectKind.Ask, slot, parts[2]);
            case "TRYAGAIN":
            case "CLUSTERDOWN":
            case "LOADING":
                return new ClusterRedirect(ClusterRedirectKind.Retry, -1, null);
            case "READONLY":
                return new ClusterRedirect(ClusterRedirectKind.NotMaster, -1, null);
            default:
                return default;
        }
    }
}

/// <summary>The cluster errors a command is redirected or retried on; all mean "not executed".</summary>
internal enum ClusterRedirectKind
{
    None,
    Moved,
    Ask,
    Retry,
    NotMaster,
}
