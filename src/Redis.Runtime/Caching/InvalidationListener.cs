namespace Redis;

/// <summary>
/// RESP2 client-side caching: RESP2 has no push frames, so invalidations go to a connection of their own
/// (subscribed to <c>__redis__:invalidate</c>) whose client id the data connection's
/// <c>CLIENT TRACKING ON REDIRECT id OPTIN</c> names. When this connection is lost the server stops
/// telling anyone about the keys read meanwhile (the redirect is broken), so the cache is flushed and the
/// data connection is made to reconnect, which redirects to a new listener.
/// </summary>
/// <remarks>Two connections give no order between a reply and an invalidation: an invalidation that
/// overtakes a read's reply on the wire may be applied after it, leaving a stale entry until the next
/// invalidation or its TTL. RESP3 (<see cref="DialOptions.Protocol"/> 3) has no such window.</remarks>
internal sealed class InvalidationListener(Func<Conn> dial, ClientCache cache, Action onLost) : IDisposable
{
    private readonly Lock _lock = new();
    private Conn? _conn;
    private long _id;
    private bool _disposed;

    /// <summary>The client id to redirect tracking to, opening (or reopening) the listening connection first.</summary>
    public long EnsureId()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_conn is { Err: null }) return _id;
            Conn conn = dial();
            try
            {
                long id = (long)conn.Do("CLIENT", "ID")!;
                conn.Do("SUBSCRIBE", "__redis__:invalidate");
                _conn = conn;
                _id = id;
            }
            catch
            {
                conn.Close();
                throw;
            }
            var thread = new Thread(Listen) { IsBackground = true, Name = "Redis cache invalidations" };
            thread.UnsafeStart(_conn);
            return _id;
        }
    }

    public void Dispose()
    {
        Conn? conn;
        lock (_lock)
        {
            _disposed = true;
            conn = _conn;
            _conn = null;
        }
        conn?.Close();
    }

    private void Listen(object? state)
    {
        var conn = (Conn)state!;
        try
        {
            while (true)
            {
                // ["message", "__redis__:invalidate", [key, ...] or nil (FLUSHALL)]
                if (conn.Receive() is not object?[] { Length: 3 } message || message[0] is not byte[] kind || !kind.AsSpan().SequenceEqual("message"u8)) continue;
                if (message[2] is object?[] keys)
                {
                    foreach (object? key in keys)
                    {
                        if (key is byte[] bytes) cache.Invalidate(bytes);
                    }
                }
                else
                {
                    cache.InvalidateAll();
                }
            }
        }
        catch (Exception)
        {
            cache.InvalidateAll();
            bool disposed;
            lock (_lock)
            {
                disposed = _disposed;
                if (ReferenceEquals(_conn, conn)) _conn = null;
            }
            conn.Close();
            if (!disposed) onLost();
        }
    }
}
