using System.Buffers;

namespace Redis;

// Client-side caching (ClientOptions.Cache): the shared connection tracks the keys it reads for the cache
// (CLIENT TRACKING ON OPTIN, back on after every reconnect), a cached read sends CLIENT CACHING YES, the
// read and PTTL back to back, and the reader thread applies invalidation pushes as they arrive, before
// any later reply. See ClientCache for the coherence rules.
public sealed partial class RedisClient
{
    private readonly ClientCache? _cache;
    private InvalidationListener? _invalidations;

    /// <summary>
    /// The typed API with client-side caching: read-only commands with one key (GET, HGETALL, SMEMBERS,
    /// ZRANGE..., from the command table; not those whose reply is nondeterministic) are answered from the
    /// cache for at most <paramref name="ttl"/> (and the key's own TTL, and <see cref="CacheOptions.MaxTtl"/>),
    /// kept coherent by the server; everything else runs as usual. Needs <see cref="ClientOptions.Cache"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The client has no cache.</exception>
    public IRedisCommands Cached(TimeSpan ttl) => IRedisCommands.Create(CachingExecutor(ttl));

    /// <summary>As <see cref="Do"/>, answered from the cache when the command is a cacheable read (see <see cref="Cached"/>).</summary>
    public object? DoCached(TimeSpan ttl, string command, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(command);
        return CachingExecutor(ttl).Execute<UntypedCommand, ObjectParser, object?>(new UntypedCommand(command, args ?? [null]), default);
    }

    /// <summary>The asynchronous twin of <see cref="DoCached"/>.</summary>
    public ValueTask<object?> DoCachedAsync(TimeSpan ttl, string command, IReadOnlyList<object?> args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(args);
        return CachingExecutor(ttl).ExecuteAsync<UntypedCommand, ObjectParser, object?>(new UntypedCommand(command, args as object?[] ?? [.. args]), default, cancellationToken);
    }

    private CachedExecutor CachingExecutor(TimeSpan ttl)
    {
        if (_cache is null) throw new InvalidOperationException("This client has no cache: set ClientOptions.Cache (or ClusterOptions.Cache) to a CacheOptions.");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        return new CachedExecutor(this, ttl);
    }

    /// <summary>True (with the key's position) when an encoded command is a cacheable read: read-only, deterministic, exactly one key.</summary>
    internal static bool TryFindCacheKey<TCommand>(ReadOnlySpan<byte> encoded, out Range key) where TCommand : IRespCommand, allows ref struct
    {
        key = default;
        int count = CommandArgs.CountOf(encoded);
        if (count is < 2 or > 64) return false;
        Span<Range> ranges = stackalloc Range[64];
        Span<int> keys = stackalloc int[64];
        CommandArgs args = CommandArgs.Parse(encoded, ranges);
        CommandInfo info = CommandTable.Of<TCommand>(args);
        if (!info.IsReadOnly || info.IsNondeterministic || info.IsBlocking || info.RequestPolicy != RequestPolicy.Default) return false;
        if (KeyFinder.Find(info, args, keys, includeNotKeys: false, out int found) != KeyFinder.Outcome.Found || found != 1) return false;
        key = args.RangeOf(keys[0]);
        return true;
    }

    internal TResult ExecuteCached<TParser, TResult>(ReadOnlySpan<byte> encoded, Range key, TimeSpan ttl, in TParser parser) where TParser : struct, IRespParser<TResult>
    {
        ClientCache.Lookup lookup = _cache!.Find(encoded, encoded[key]);
        if (lookup.Hit is not null) return Parse<TParser, TResult>(parser, lookup.Hit);
        if (lookup.Wait is not null) return Parse<TParser, TResult>(parser, lookup.Wait.GetAwaiter().GetResult());
        ThrowIfReaderThread();
        ClientCache.Entry placeholder = lookup.Placeholder!;
        var caching = TypedOperation<OkParser, bool>.Rent(default);
        var read = TypedOperation<RawReplyParser, byte[]>.Rent(default);
        var pttl = TypedOperation<Int64Parser, long>.Rent(default);
        caching.Start(sync: true, null);
        read.Start(sync: true, null);
        pttl.Start(sync: true, null);
        bool flush;
        try
        {
            Task? wait;
            while ((wait = TryEnqueueCachedRead(caching, read, pttl, placeholder.Command, placeholder.Key, sync: true, out flush)) is not null) WaitForConnection(wait);
        }
        catch (Exception ex)
        {
            caching.Discard();
            read.Discard();
            pttl.Discard();
            _cache.Fail(placeholder, ex);
            throw;
        }
        if (flush) FlushLoop();
        Exception? trackingError = null, readError = null;
        byte[]? reply = null;
        long ttlMs = -1;
        try { caching.WaitForResult(_timeoutMs); } catch (Exception ex) { trackingError = ex; }
        try { reply = read.WaitForResult(_timeoutMs); } catch (Exception ex) { readError = ex; }
        try { ttlMs = pttl.WaitForResult(_timeoutMs); } catch (Exception ex) { trackingError ??= ex; }
        return Parse<TParser, TResult>(parser, Settle(placeholder, reply, ttlMs, ttl, trackingError, readError));
    }

    internal ValueTask<TResult> ExecuteCachedAsync<TParser, TResult>(ReadOnlySpan<byte> encoded, Range key, TimeSpan ttl, TParser parser, CancellationToken cancellationToken)
        where TParser : struct, IRespParser<TResult>
    {
        ClientCache.Lookup lookup = _cache!.Find(encoded, encoded[key]);
        if (lookup.Hit is not null)
        {
            try
            {
                return ValueTask.FromResult(Parse<TParser, TResult>(parser, lookup.Hit));
            }
            catch (Exception ex)
            {
                return ValueTask.FromException<TResult>(ex);
            }
        }
        return lookup.Wait is not null
            ? WaitForSharedMissAsync<TParser, TResult>(lookup.Wait, parser, cancellationToken)
            : ReadThroughAsync<TParser, TResult>(lookup.Placeholder!, ttl, parser, cancellationToken);
    }

    private static async ValueTask<TResult> WaitForSharedMissAsync<TParser, TResult>(Task<byte[]> wait, TParser parser, CancellationToken cancellationToken)
        where TParser : struct, IRespParser<TResult>
        => Parse<TParser, TResult>(parser, await wait.WaitAsync(cancellationToken).ConfigureAwait(false));

    private async ValueTask<TResult> ReadThroughAsync<TParser, TResult>(ClientCache.Entry placeholder, TimeSpan ttl, TParser parser, CancellationToken cancellationToken)
        where TParser : struct, IRespParser<TResult>
    {
        var caching = TypedOperation<OkParser, bool>.Rent(default);
        var read = TypedOperation<RawReplyParser, byte[]>.Rent(default);
        var pttl = TypedOperation<Int64Parser, long>.Rent(default);
        caching.Start(sync: false, null);
        read.Start(sync: false, null);
        pttl.Start(sync: false, null);
        bool flush;
        try
        {
            Task? wait;
            while ((wait = TryEnqueueCachedRead(caching, read, pttl, placeholder.Command, placeholder.Key, sync: false, out flush)) is not null)
            {
                await WaitForConnectionAsync(wait, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            caching.Discard();
            read.Discard();
            pttl.Discard();
            _cache!.Fail(placeholder, ex);
            throw;
        }
        // The read fills the cache for every caller waiting on this miss, so it is not tied to this caller's
        // token: cancelling ends this caller's wait only (the command timeout still bounds the read).
        caching.Arm(_timeoutMs, CancellationToken.None);
        read.Arm(_timeoutMs, CancellationToken.None);
        pttl.Arm(_timeoutMs, CancellationToken.None);
        if (flush) FlushLoop();
        Task<byte[]> fill = FillAsync(caching, read, pttl, placeholder, ttl);
        byte[] reply = cancellationToken.CanBeCanceled
            ? await fill.WaitAsync(cancellationToken).ConfigureAwait(false)
            : await fill.ConfigureAwait(false);
        return Parse<TParser, TResult>(parser, reply);
    }

    // Awaits the three replies and completes (or spoils) the placeholder; the read's reply, or its error.
    private async Task<byte[]> FillAsync(PipelineOperation<bool> caching, PipelineOperation<byte[]> read, PipelineOperation<long> pttl, ClientCache.Entry placeholder, TimeSpan ttl)
    {
        Exception? trackingError = null, readError = null;
        byte[]? reply = null;
        long ttlMs = -1;
        try { await caching.AsValueTask().ConfigureAwait(false); } catch (Exception ex) { trackingError = ex; }
        try { reply = await read.AsValueTask().ConfigureAwait(false); } catch (Exception ex) { readError = ex; }
        try { ttlMs = await pttl.AsValueTask().ConfigureAwait(false); } catch (Exception ex) { trackingError ??= ex; }
        return Settle(placeholder, reply, ttlMs, ttl, trackingError, readError);
    }

    // Keeps the reply only when the server tracked the read (CLIENT CACHING YES succeeded) and no
    // invalidation came first; returns the reply (or throws the read's error) either way.
    private byte[] Settle(ClientCache.Entry placeholder, byte[]? reply, long ttlMs, TimeSpan ttl, Exception? trackingError, Exception? readError)
    {
        if (readError is not null)
        {
            _cache!.Fail(placeholder, readError);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(readError);
        }
        if (trackingError is not null) _cache!.Fail(placeholder, trackingError);
        else _cache!.Complete(placeholder, reply!, ttlMs, ttl);
        return reply!;
    }

    // CLIENT CACHING YES, the read and PTTL, adjacent in the pipeline (OPTIN tracks the read right after CACHING YES).
    private Task? TryEnqueueCachedRead(PipelineOperation caching, PipelineOperation read, PipelineOperation pttl, byte[] command, byte[] key, bool sync, out bool flush)
    {
        flush = false;
        lock (_writeLock)
        {
            if (_state != State.Connected) return NotWritableLocked();
            RespWriter writer = _active;
            writer.WriteArrayHeader(3);
            writer.WriteBulkString("CLIENT"u8);
            writer.WriteBulkString("CACHING"u8);
            writer.WriteBulkString("YES"u8);
            writer.WriteRaw(command);
            writer.WriteArrayHeader(2);
            writer.WriteBulkString("PTTL"u8);
            writer.WriteBulkString(key);
            if (RedisTelemetry.IsEnabled) read.BeginTelemetry(TelemetryTarget, default, command); // the read (a cache miss) is the span
            _queued.Enqueue(caching);
            _queued.Enqueue(read);
            _queued.Enqueue(pttl);
            _commands += 3;
            flush = ClaimFlushLocked(sync);
        }
        return null;
    }

    /// <summary>The cached reply of an encoded read (the hit path: no parsing of the command).</summary>
    internal byte[]? TryHit(ReadOnlySpan<byte> encoded) => _cache!.TryHit(encoded);

    internal static TResult ParseReply<TParser, TResult>(TParser parser, byte[] reply) where TParser : struct, IRespParser<TResult> => Parse<TParser, TResult>(parser, reply);

    private static TResult Parse<TParser, TResult>(TParser parser, byte[] reply) where TParser : struct, IRespParser<TResult>
    {
        var reader = new RespReader(reply);
        return parser.Parse(ref reader);
    }

    // The dial options of the shared connection: with a cache, tracking is part of every handshake.
    private DialOptions ConnectOptions()
    {
        if (_cache is null) return _dialOptions;
        if (_dialOptions.Protocol == 3) return _dialOptions with { TrackingArguments = ["OPTIN"] };
        _invalidations ??= new InvalidationListener(
            () => Conn.DialCore(_network, Volatile.Read(ref _address), _dialOptions with { Protocol = 2 }, _lifetime.Token),
            _cache,
            OnInvalidationsLost);
        return _dialOptions with { TrackingArguments = ["REDIRECT", _invalidations.EnsureId(), "OPTIN"] };
    }

    // RESP2: the invalidation connection died, so the data connection's tracking points nowhere: reconnect it.
    private void OnInvalidationsLost()
    {
        ClientTransport? transport;
        lock (_writeLock) transport = _transport;
        transport?.Abort(new RedisConnectionException($"The client-side cache's invalidation connection to {Endpoint} was lost; reconnecting so tracking resumes."));
    }

    // Invalidation pushes, applied on the reader thread before any later reply. True when the frame was one.
    private bool ApplyCachePush(ReadOnlySpan<byte> frame)
    {
        var reader = new RespReader(frame);
        if (reader.ReadAggregateHeader(out _) < 1 || !reader.TryReadBulkSpan(out ReadOnlySpan<byte> kind)) return false;
        if (kind.SequenceEqual("invalidate"u8))
        {
            if (reader.End || reader.TryReadNull())
            {
                _cache!.InvalidateAll(); // FLUSHALL / FLUSHDB
                return true;
            }
            int count = reader.ReadAggregateHeader(out _);
            for (int i = 0; i < count; i++)
            {
                if (reader.TryReadBulkSpan(out ReadOnlySpan<byte> key)) _cache!.Invalidate(key);
                else reader.Skip();
            }
            return true;
        }
        if (kind.SequenceEqual("tracking-redir-broken"u8))
        {
            _cache!.InvalidateAll();
            return true;
        }
        return false;
    }

    // Read-your-own-writes: a write evicts the keys it touches before it is sent (the server's own
    // invalidation for it may arrive after its reply).
    private void EvictWrittenKeys(CommandInfo info, ReadOnlySpan<byte> encoded)
    {
        if ((info.Flags & (CommandFlags.Write | CommandFlags.MayReplicate)) == 0 && info.IsKnown) return;
        int count = CommandArgs.CountOf(encoded);
        if (count < 2) return;
        Range[]? rentedRanges = null;
        int[]? rentedKeys = null;
        Span<Range> ranges = count <= 32 ? stackalloc Range[32] : (rentedRanges = ArrayPool<Range>.Shared.Rent(count));
        Span<int> keys = count <= 32 ? stackalloc int[32] : (rentedKeys = ArrayPool<int>.Shared.Rent(count));
        try
        {
            CommandArgs args = CommandArgs.Parse(encoded, ranges);
            if (!info.IsKnown) info = CommandTable.Find(args);
            if (!info.IsKnown || KeyFinder.Find(info, args, keys, includeNotKeys: false, out int found) != KeyFinder.Outcome.Found)
            {
                _cache!.InvalidateAll(); // keys we cannot tell (a module write, SORT ... STORE): be safe
                return;
            }
            if (found == 0 && (info.Flags & CommandFlags.Write) != 0)
            {
                _cache!.InvalidateAll(); // FLUSHALL, FLUSHDB, SWAPDB...: everything may change
                return;
            }
            for (int i = 0; i < found; i++) _cache!.Invalidate(args[keys[i]]);
        }
        finally
        {
            if (rentedRanges is not null) ArrayPool<Range>.Shared.Return(rentedRanges);
            if (rentedKeys is not null) ArrayPool<int>.Shared.Return(rentedKeys);
        }
    }
}
