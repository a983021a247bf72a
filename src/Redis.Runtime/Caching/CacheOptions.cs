namespace Redis;

/// <summary>
/// Client-side caching (server-assisted, kept coherent by the server's invalidation messages): set it on
/// <see cref="ClientOptions.Cache"/> or <see cref="ClusterOptions.Cache"/>, then read through
/// <c>client.Cached(ttl)</c>. An immutable record; <c>null</c> on the options means no cache.
/// </summary>
public sealed record CacheOptions
{
    /// <summary>The most entries kept (least recently used ones go first). Default 10,000.</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>The most reply bytes kept (least recently used entries go first). Default 64 MB.</summary>
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>The longest an entry is served, whatever the caller's TTL. Default 5 minutes.</summary>
    public TimeSpan MaxTtl { get; init; } = TimeSpan.FromMinutes(5);

    internal void Validate()
    {
        if (MaxEntries <= 0) throw new ArgumentException("CacheOptions.MaxEntries must be positive.", nameof(MaxEntries));
        if (MaxBytes <= 0) throw new ArgumentException("CacheOptions.MaxBytes must be positive.", nameof(MaxBytes));
        if (MaxTtl <= TimeSpan.Zero) throw new ArgumentException("CacheOptions.MaxTtl must be positive.", nameof(MaxTtl));
    }
}
