using System.Buffers;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;

namespace Redis.Extensions.Caching;

/// <summary>
/// An <see cref="IDistributedCache"/> and <see cref="IBufferDistributedCache"/> (the backend HybridCache
/// prefers) over an <see cref="IRedisClient"/>: a <see cref="RedisClient"/> or a <see cref="RedisCluster"/>.
/// </summary>
/// <remarks>
/// <para>
/// Entries are stored as ASP.NET Core's own Redis cache (<c>Microsoft.Extensions.Caching.StackExchangeRedis</c>)
/// stores them: one hash per entry at <c>InstanceName + key</c> with the fields <c>absexp</c> (absolute
/// expiration, UTC ticks), <c>sldexp</c> (sliding window, ticks) and <c>data</c>, <c>-1</c> standing for
/// "none", and a key time to live so that Redis drops expired entries by itself. Either cache reads and
/// refreshes what the other wrote, given the same instance name.
/// </para>
/// <para>
/// A read of an entry with a sliding expiration pushes its time to live forward in the same round trip
/// (one Lua script reads the fields and sets the new TTL, the smaller of the window and the time left to
/// the absolute expiration); ASP.NET Core's cache needs a second round trip for that. On a server
/// without scripting the cache falls back to plain commands (see <see cref="RedisDistributedCacheOptions.UseScripts"/>).
/// </para>
/// <para>Thread-safe; register it as a singleton (<c>services.AddRedisDistributedCache(...)</c>).</para>
/// </remarks>
public sealed class RedisDistributedCache : IBufferDistributedCache, IDisposable, IAsyncDisposable
{
    private readonly string _prefix;
    private readonly TimeProvider _time;
    private readonly RedisDistributedCacheOptions _options;
    private readonly Func<IRedisClient?>? _fromContainer;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private volatile IRedisClient? _client;
    private IRedisClient? _ownedClient;
    private volatile bool _useScripts;
    private volatile bool _disposed;

    /// <summary>Creates a cache over <paramref name="client"/> (not disposed with the cache).</summary>
    /// <param name="client">The client to store entries with.</param>
    /// <param name="instanceName">A prefix for every key (see <see cref="RedisDistributedCacheOptions.InstanceName"/>).</param>
    public RedisDistributedCache(IRedisClient client, string? instanceName = null)
        : this(new RedisDistributedCacheOptions { Client = client ?? throw new ArgumentNullException(nameof(client)), InstanceName = instanceName }, null)
    {
    }

    /// <summary>Creates a cache with <paramref name="options"/>; it needs a <see cref="RedisDistributedCacheOptions.Client"/>, <see cref="RedisDistributedCacheOptions.ClientFactory"/> or <see cref="RedisDistributedCacheOptions.Url"/>.</summary>
    public RedisDistributedCache(RedisDistributedCacheOptions options)
        : this(options, null)
    {
    }

    /// <summary>Creates a cache with the options of the options pattern (<see cref="IOptions{TOptions}"/>).</summary>
    public RedisDistributedCache(IOptions<RedisDistributedCacheOptions> options)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value, null)
    {
    }

    // fromContainer: the IRedisClient registered in the service provider, the last resort when the options name no client.
    internal RedisDistributedCache(RedisDistributedCacheOptions options, Func<IRedisClient?>? fromContainer)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _fromContainer = fromContainer;
        _prefix = options.InstanceName ?? "";
        _time = options.TimeProvider ?? TimeProvider.System;
        _useScripts = options.UseScripts;
        _client = options.Client;
    }

    /// <inheritdoc />
    public byte[]? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Read(key, wantData: true) as byte[];
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return await ReadAsync(key, wantData: true, token).ConfigureAwait(false) as byte[];
    }

    /// <inheritdoc />
    public bool TryGet(string key, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(destination);
        if (Read(key, wantData: true) is not byte[] data) return false;
        destination.Write(data);
        return true;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(destination);
        if (await ReadAsync(key, wantData: true, token).ConfigureAwait(false) is not byte[] data) return false;
        destination.Write(data);
        return true;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><see cref="DistributedCacheEntryOptions.AbsoluteExpiration"/> is not in the future.</exception>
    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        Write(key, value, options);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><see cref="DistributedCacheEntryOptions.AbsoluteExpiration"/> is not in the future.</exception>
    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        return WriteAsync(key, value, options, token).AsTask();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><see cref="DistributedCacheEntryOptions.AbsoluteExpiration"/> is not in the future.</exception>
    public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options)
    {
        ReadOnlyMemory<byte> bytes = Linearize(value, out byte[]? lease);
        try
        {
            Write(key, bytes, options);
        }
        finally
        {
            if (lease is not null) ArrayPool<byte>.Shared.Return(lease);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><see cref="DistributedCacheEntryOptions.AbsoluteExpiration"/> is not in the future.</exception>
    public async ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ReadOnlyMemory<byte> bytes = Linearize(value, out byte[]? lease);
        try
        {
            await WriteAsync(key, bytes, options, token).ConfigureAwait(false);
        }
        finally
        {
            // The command is encoded into the client's buffer when it is queued, so the lease is free once it has been answered.
            if (lease is not null) ArrayPool<byte>.Shared.Return(lease);
        }
    }

    /// <summary>Pushes the time to live of an entry with a sliding expiration forward, as a read would (one round trip); does nothing for other entries.</summary>
    public void Refresh(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Read(key, wantData: false);
    }

    /// <summary>The asynchronous twin of <see cref="Refresh"/>.</summary>
    public Task RefreshAsync(string key, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ReadAsync(key, wantData: false, token).AsTask();
    }

    /// <inheritdoc />
    public void Remove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Client().Do("DEL", RedisKey(key));
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string key, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        IRedisClient client = await ClientAsync(token).ConfigureAwait(false);
        await client.DoAsync("DEL", [RedisKey(key)], token).ConfigureAwait(false);
    }

    /// <summary>Disposes the client the cache connected itself (from <see cref="RedisDistributedCacheOptions.Url"/>); a given client is left open.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Interlocked.Exchange(ref _ownedClient, null)?.Dispose();
    }

    /// <summary>The asynchronous twin of <see cref="Dispose"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (Interlocked.Exchange(ref _ownedClient, null) is { } owned) await owned.DisposeAsync().ConfigureAwait(false);
    }

    private string RedisKey(string key) => _prefix.Length == 0 ? key : string.Concat(_prefix, key);

    private long NowTicks() => _time.GetUtcNow().UtcTicks;

    // --- reads ---------------------------------------------------------------------------------------

    // The data (wantData), 1 (Refresh of a live entry), or null (no live entry).
    private object? Read(string key, bool wantData)
    {
        IRedisClient client = Client();
        string redisKey = RedisKey(key);
        if (_useScripts)
        {
            try
            {
                return CacheEntryLayout.Read.Do(client, redisKey, NowTicks(), wantData ? "1" : "0");
            }
            catch (RedisServerException error) when (IsScriptingUnavailable(error))
            {
                _useScripts = false;
            }
        }
        object?[] fields = HashFields(client.Do("HMGET", redisKey, CacheEntryLayout.AbsoluteExpirationField, CacheEntryLayout.SlidingExpirationField, CacheEntryLayout.DataField));
        if (fields[2] is null) return null;
        if (!CacheEntryLayout.IsLive(fields[0], fields[1], NowTicks(), out long refreshMs))
        {
            client.Do("DEL", redisKey);
            return null;
        }
        if (refreshMs > 0) client.Do("PEXPIRE", redisKey, refreshMs);
        return wantData ? fields[2] : 1L;
    }

    private async ValueTask<object?> ReadAsync(string key, bool wantData, CancellationToken token)
    {
        token.ThrowIfCancellationRequested();
        IRedisClient client = await ClientAsync(token).ConfigureAwait(false);
        string redisKey = RedisKey(key);
        if (_useScripts)
        {
            try
            {
                return await CacheEntryLayout.Read.DoAsync(client, [redisKey, NowTicks(), wantData ? "1" : "0"], token).ConfigureAwait(false);
            }
            catch (RedisServerException error) when (IsScriptingUnavailable(error))
            {
                _useScripts = false;
            }
        }
        object?[] fields = HashFields(await client.DoAsync(
            "HMGET", [redisKey, CacheEntryLayout.AbsoluteExpirationField, CacheEntryLayout.SlidingExpirationField, CacheEntryLayout.DataField], token).ConfigureAwait(false));
        if (fields[2] is null) return null;
        if (!CacheEntryLayout.IsLive(fields[0], fields[1], NowTicks(), out long refreshMs))
        {
            await client.DoAsync("DEL", [redisKey], token).ConfigureAwait(false);
            return null;
        }
        if (refreshMs > 0) await client.DoAsync("PEXPIRE", [redisKey, refreshMs], token).ConfigureAwait(false);
        return wantData ? fields[2] : 1L;
    }

    private static object?[] HashFields(object? reply) =>
        reply is object?[] { Length: 3 } fields ? fields : throw new RedisProtocolException("HMGET of three fields did not answer three values.");

    // --- writes --------------------------------------------------------------------------------------

    private void Write(string key, ReadOnlyMemory<byte> value, DistributedCacheEntryOptions options)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        EntryTimes times = CacheEntryLayout.ForWrite(_time.GetUtcNow(), options);
        IRedisClient client = Client();
        string redisKey = RedisKey(key);
        if (times.TtlMs == 0)
        {
            // It would expire within the millisecond: what was there before must not stay readable.
            client.Do("DEL", redisKey);
            return;
        }
        if (_useScripts)
        {
            try
            {
                CacheEntryLayout.Write.Do(client, redisKey, times.AbsoluteTicks, times.SlidingTicks, value, times.TtlMs);
                return;
            }
            catch (RedisServerException error) when (IsScriptingUnavailable(error))
            {
                _useScripts = false;
            }
        }
        // In order, each awaited: two commands queued back to back could be reordered while the client
        // reconnects, and an EXPIRE that runs before the HSET of a new key does nothing.
        client.Do("HSET", redisKey, CacheEntryLayout.AbsoluteExpirationField, times.AbsoluteTicks, CacheEntryLayout.SlidingExpirationField, times.SlidingTicks, CacheEntryLayout.DataField, value);
        if (times.TtlMs > 0) client.Do("PEXPIRE", redisKey, times.TtlMs);
        else client.Do("PERSIST", redisKey);
    }

    private async ValueTask WriteAsync(string key, ReadOnlyMemory<byte> value, DistributedCacheEntryOptions options, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        token.ThrowIfCancellationRequested();
        EntryTimes times = CacheEntryLayout.ForWrite(_time.GetUtcNow(), options);
        IRedisClient client = await ClientAsync(token).ConfigureAwait(false);
        string redisKey = RedisKey(key);
        if (times.TtlMs == 0)
        {
            await client.DoAsync("DEL", [redisKey], token).ConfigureAwait(false);
            return;
        }
        if (_useScripts)
        {
            try
            {
                await CacheEntryLayout.Write.DoAsync(client, [redisKey, times.AbsoluteTicks, times.SlidingTicks, value, times.TtlMs], token).ConfigureAwait(false);
                return;
            }
            catch (RedisServerException error) when (IsScriptingUnavailable(error))
            {
                _useScripts = false;
            }
        }
        await client.DoAsync("HSET", [redisKey, CacheEntryLayout.AbsoluteExpirationField, times.AbsoluteTicks, CacheEntryLayout.SlidingExpirationField, times.SlidingTicks, CacheEntryLayout.DataField, value], token).ConfigureAwait(false);
        if (times.TtlMs > 0) await client.DoAsync("PEXPIRE", [redisKey, times.TtlMs], token).ConfigureAwait(false);
        else await client.DoAsync("PERSIST", [redisKey], token).ConfigureAwait(false);
    }

    private static ReadOnlyMemory<byte> Linearize(in ReadOnlySequence<byte> value, out byte[]? lease)
    {
        if (value.IsSingleSegment)
        {
            lease = null;
            return value.First;
        }
        int length = checked((int)value.Length);
        lease = ArrayPool<byte>.Shared.Rent(length);
        value.CopyTo(lease);
        return lease.AsMemory(0, length);
    }

    // A server with scripting switched off or absent (Garnet without --lua, some managed services) answers
    // EVALSHA with an unknown-command or disabled error; from then on this cache sends plain commands.
    private static bool IsScriptingUnavailable(RedisServerException error) =>
        error.Prefix == "ERR"
        && (error.Message.Contains("unknown command", StringComparison.OrdinalIgnoreCase)
            || error.Message.Contains("disabled", StringComparison.OrdinalIgnoreCase)
            || error.Message.Contains("not supported", StringComparison.OrdinalIgnoreCase));

    // --- the client ----------------------------------------------------------------------------------

    private IRedisClient Client()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _client ?? ConnectSlow();
    }

    private ValueTask<IRedisClient> ClientAsync(CancellationToken token)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _client is { } client ? new(client) : ConnectSlowAsync(token);
    }

    private IRedisClient ConnectSlow()
    {
        _connectLock.Wait();
        try
        {
            if (_client is { } client) return client;
            if (_options.ClientFactory is { } factory) client = factory(CancellationToken.None).AsTask().GetAwaiter().GetResult() ?? throw FactoryReturnedNull();
            else if (_options.Url is { } url) client = _ownedClient = RedisClient.Connect(url);
            else client = FromContainer();
            return _client = client;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private async ValueTask<IRedisClient> ConnectSlowAsync(CancellationToken token)
    {
        await _connectLock.WaitAsync(token).ConfigureAwait(false);
        try
        {
            if (_client is { } client) return client;
            if (_options.ClientFactory is { } factory) client = await factory(token).ConfigureAwait(false) ?? throw FactoryReturnedNull();
            else if (_options.Url is { } url) client = _ownedClient = await RedisClient.ConnectAsync(url, cancellationToken: token).ConfigureAwait(false);
            else client = FromContainer();
            return _client = client;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private static InvalidOperationException FactoryReturnedNull() => new("RedisDistributedCacheOptions.ClientFactory returned null.");

    private IRedisClient FromContainer() =>
        _fromContainer?.Invoke()
        ?? throw new InvalidOperationException(
            "RedisDistributedCache has no Redis client: set RedisDistributedCacheOptions.Client, ClientFactory or Url, "
            + "or register an IRedisClient in the service collection (for example with services.AddRedis(...)).");
}
