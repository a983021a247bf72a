namespace Redis;

/// <summary>Client-side cache counters (since the client was created) and its size now.</summary>
/// <param name="Hits">Reads answered from the cache.</param>
/// <param name="Misses">Reads sent to the server (a read that waited for another caller's identical miss counts as a hit).</param>
/// <param name="Invalidations">Entries dropped because the server said their key changed (or all, on FLUSHALL / a lost connection).</param>
/// <param name="Evictions">Entries dropped for room (entry or byte limit) or age.</param>
/// <param name="Entries">Entries held now.</param>
/// <param name="Bytes">Reply bytes held now.</param>
public readonly record struct CacheStats(long Hits, long Misses, long Invalidations, long Evictions, long Entries, long Bytes);
