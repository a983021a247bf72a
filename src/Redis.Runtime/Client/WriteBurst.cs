namespace Redis;

/// <summary>
/// Tracks, per thread, async commands queued on one <see cref="RedisClient"/> since that thread last waited
/// for one of them: a thread that starts several calls before awaiting any (100 <c>GetAsync</c> started,
/// then awaited) is in a burst, and the client leaves the write to that thread's first await, so the whole
/// burst goes out in one socket write instead of racing a thread-pool flush that takes it piecemeal.
/// </summary>
internal static class WriteBurst
{
    [ThreadStatic]
    private static RedisClient? t_client;

    [ThreadStatic]
    private static int t_count;

    /// <summary>Counts an async command queued by this thread on <paramref name="client"/>; returns how many in a row.</summary>
    public static int Add(RedisClient client)
    {
        if (t_client != client)
        {
            // A burst on another client is still open (its await will write it): this call is not part of
            // it, and is written the ordinary way, so neither client's commands wait for the other's burst.
            if (t_client is not null && t_count >= 2) return 1;
            t_client = client;
            t_count = 0;
        }
        return ++t_count;
    }

    /// <summary>
    /// This thread is about to wait for a reply (or asks whether one came): the burst, if any, ends, and its
    /// client writes what is queued now. Cheap when there is none (the common await).
    /// </summary>
    public static void End()
    {
        RedisClient? client = t_client;
        if (client is null) return;
        int count = t_count;
        t_client = null;
        t_count = 0;
        if (count >= 2) client.EndBurst();
    }
}
