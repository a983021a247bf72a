using Microsoft.Extensions.Caching.Distributed;

namespace Redis.Extensions.Caching.Tests;

/// <summary>Calls the synchronous or the asynchronous member of <see cref="IDistributedCache"/>, so each test covers both.</summary>
public static class CacheCalls
{
    /// <summary>(useAsync, useScripts) for every combination.</summary>
    public static TheoryData<bool, bool> Modes() => new() { { false, true }, { true, true }, { false, false }, { true, false } };

    /// <summary>Get or GetAsync.</summary>
    public static async Task<byte[]?> Get(this IDistributedCache cache, string key, bool useAsync) =>
        useAsync ? await cache.GetAsync(key) : cache.Get(key);

    /// <summary>Set or SetAsync.</summary>
    public static async Task Set(this IDistributedCache cache, string key, byte[] value, DistributedCacheEntryOptions options, bool useAsync)
    {
        if (useAsync) await cache.SetAsync(key, value, options);
        else cache.Set(key, value, options);
    }

    /// <summary>Refresh or RefreshAsync.</summary>
    public static async Task Refresh(this IDistributedCache cache, string key, bool useAsync)
    {
        if (useAsync) await cache.RefreshAsync(key);
        else cache.Refresh(key);
    }

    /// <summary>Remove or RemoveAsync.</summary>
    public static async Task Remove(this IDistributedCache cache, string key, bool useAsync)
    {
        if (useAsync) await cache.RemoveAsync(key);
        else cache.Remove(key);
    }
}
