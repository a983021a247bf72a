namespace Redis;

/// <summary>
/// Recycles operation objects of one concrete type so a call on the hot path allocates nothing: a
/// one-slot cache per thread (the thread that finishes a call usually starts the next one: a sync
/// caller, or the continuation of an async caller) backed by a small shared stack for operations
/// released on other threads (the reader thread, a timer).
/// </summary>
internal static class OperationCache<T> where T : PipelineOperation, new()
{
    private const int SharedCapacity = 256;

    [ThreadStatic]
    private static T? t_cached;

    private static readonly Lock SharedLock = new();
    private static readonly T?[] Shared = new T?[SharedCapacity];
    private static int s_sharedCount;

    public static T Rent()
    {
        T? item = t_cached;
        if (item is not null)
        {
            t_cached = null;
            return item;
        }
        if (Volatile.Read(ref s_sharedCount) > 0)
        {
            lock (SharedLock)
            {
                if (s_sharedCount > 0)
                {
                    int at = --s_sharedCount;
                    item = Shared[at];
                    Shared[at] = null;
                    return item!;
                }
            }
        }
        return new T();
    }

    public static void Return(T item)
    {
        if (!ReaderThread.IsCurrent && t_cached is null)
        {
            t_cached = item;
            return;
        }
        lock (SharedLock)
        {
            if (s_sharedCount < SharedCapacity)
            {
                Shared[s_sharedCount++] = item;
                return;
            }
        }
        item.Drop();
    }
}

/// <summary>Marks the reader threads of <see cref="RedisClient"/>s (which never start calls, so cache nothing).</summary>
internal static class ReaderThread
{
    [ThreadStatic]
    private static RedisClient? t_client;

    public static bool IsCurrent => t_client is not null;

    public static RedisClient? Client
    {
        get => t_client;
        set => t_client = value;
    }
}
