using System.Threading.Channels;

namespace Redis;

/// <summary>
/// A subscriber that outlives its connection: it remembers its channels and patterns, and when its
/// connection is lost (a restart, a network cut, or a Sentinel-backed client moving to a new master) it
/// opens a new one from its <see cref="RedisClient"/> and subscribes again, by itself. Messages of every
/// connection arrive in one stream. Messages published while no connection is subscribed are lost, as
/// pub/sub promises nothing more. Get one with <see cref="RedisClient.CreateSubscriber"/>.
/// </summary>
public sealed class Subscriber : IDisposable, IAsyncDisposable
{
    private readonly RedisClient _client;
    private readonly Channel<Message> _messages = Channel.CreateUnbounded<Message>();
    private readonly Lock _lock = new();
    private readonly HashSet<string> _channels = new(StringComparer.Ordinal);
    private readonly HashSet<string> _patterns = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private PubSubConn? _conn;
    private Task? _pump;
    private long _resubscriptions;

    internal Subscriber(RedisClient client) => _client = client;

    /// <summary>How many times the subscriber opened a new connection and subscribed again.</summary>
    public long Resubscriptions => Interlocked.Read(ref _resubscriptions);

    /// <summary>Subscribes <paramref name="channels"/> (and keeps them subscribed across reconnects).</summary>
    public ValueTask SubscribeAsync(IReadOnlyList<string> channels, CancellationToken cancellationToken = default)
        => ChangeAsync(channels, _channels, add: true, (conn, list, ct) => conn.SubscribeAsync(list, ct), cancellationToken);

    /// <summary>Subscribes <paramref name="patterns"/> (PSUBSCRIBE, kept across reconnects).</summary>
    public ValueTask PSubscribeAsync(IReadOnlyList<string> patterns, CancellationToken cancellationToken = default)
        => ChangeAsync(patterns, _patterns, add: true, (conn, list, ct) => conn.PSubscribeAsync(list, ct), cancellationToken);

    /// <summary>Unsubscribes <paramref name="channels"/>.</summary>
    public ValueTask UnsubscribeAsync(IReadOnlyList<string> channels, CancellationToken cancellationToken = default)
        => ChangeAsync(channels, _channels, add: false, (conn, list, ct) => conn.UnsubscribeAsync(list, ct), cancellationToken);

    /// <summary>Unsubscribes <paramref name="patterns"/>.</summary>
    public ValueTask PUnsubscribeAsync(IReadOnlyList<string> patterns, CancellationToken cancellationToken = default)
        => ChangeAsync(patterns, _patterns, add: false, (conn, list, ct) => conn.PUnsubscribeAsync(list, ct), cancellationToken);

    /// <summary>The next message of any subscribed channel or pattern.</summary>
    public ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken = default) => _messages.Reader.ReadAsync(cancellationToken);

    /// <summary>The messages, until <paramref name="cancellationToken"/> is cancelled or the subscriber is disposed.</summary>
    public IAsyncEnumerable<Message> ReadMessagesAsync(CancellationToken cancellationToken = default) => _messages.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Unsubscribes (closes the connection) and ends the message stream.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Unsubscribes (closes the connection) and ends the message stream.</summary>
    public async ValueTask DisposeAsync()
    {
        PubSubConn? conn;
        Task? pump;
        lock (_lock)
        {
            if (_stop.IsCancellationRequested) return;
            _stop.Cancel();
            conn = _conn;
            pump = _pump;
            _conn = null;
        }
        if (conn is not null) await conn.DisposeAsync().ConfigureAwait(false);
        // Wait for the pump to end (it swallows its own errors), so no message or reconnect
        // happens after DisposeAsync returns.
        if (pump is not null) await pump.ConfigureAwait(false);
        _messages.Writer.TryComplete();
    }

    private async ValueTask ChangeAsync(IReadOnlyList<string> names, HashSet<string> set, bool add, Func<PubSubConn, IReadOnlyList<string>, CancellationToken, ValueTask> send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        lock (_lock)
        {
            foreach (string name in names)
            {
                if (add) set.Add(name);
                else set.Remove(name);
            }
        }
        PubSubConn conn = await ConnectionAsync(cancellationToken).ConfigureAwait(false);
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await send(conn, names, cancellationToken).ConfigureAwait(false);
        }
        catch (RedisConnectionException)
        {
            // The pump reconnects and subscribes everything again.
        }
        finally
        {
            _write.Release();
        }
    }

    private async ValueTask<PubSubConn> ConnectionAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_conn is not null) return _conn;
        }
        PubSubConn conn = await _client.CreatePubSubAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            if (_conn is null && !_stop.IsCancellationRequested)
            {
                _conn = conn;
                _pump = Task.Run(() => PumpAsync(conn));
                return conn;
            }
        }
        await conn.DisposeAsync().ConfigureAwait(false);
        lock (_lock) return _conn ?? throw new ObjectDisposedException(nameof(Subscriber));
    }

    // Reads the connection; when it fails, opens a new one and subscribes everything again (backoff up to 1 s).
    private async Task PumpAsync(PubSubConn conn)
    {
        CancellationToken stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                object item = await conn.ReceiveAsync(stop).ConfigureAwait(false);
                if (item is Message message) _messages.Writer.TryWrite(message);
                continue;
            }
            catch (RedisServerException)
            {
                continue; // an error reply to one (un)subscribe: the connection is still usable
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                // Lost: fall through and replace the connection.
            }
            catch (Exception)
            {
                return;
            }
            await conn.DisposeAsync().ConfigureAwait(false);
            conn = await ReconnectAsync(stop).ConfigureAwait(false) ?? conn;
            if (stop.IsCancellationRequested) return;
        }
    }

    private async Task<PubSubConn?> ReconnectAsync(CancellationToken stop)
    {
        TimeSpan delay = TimeSpan.FromMilliseconds(50);
        while (!stop.IsCancellationRequested)
        {
            PubSubConn? conn = null;
            try
            {
                await Task.Delay(delay, stop).ConfigureAwait(false);
                conn = await _client.CreatePubSubAsync(stop).ConfigureAwait(false);
                string[] channels, patterns;
                lock (_lock)
                {
                    channels = [.. _channels];
                    patterns = [.. _patterns];
                    _conn = conn;
                }
                await _write.WaitAsync(stop).ConfigureAwait(false);
                try
                {
                    if (channels.Length > 0) await conn.SubscribeAsync(channels, stop).ConfigureAwait(false);
                    if (patterns.Length > 0) await conn.PSubscribeAsync(patterns, stop).ConfigureAwait(false);
                }
                finally
                {
                    _write.Release();
                }
                Interlocked.Increment(ref _resubscriptions);
                return conn;
            }
            catch (Exception ex) when (ex is RedisException or ObjectDisposedException or OperationCanceledException)
            {
                if (conn is not null) await conn.DisposeAsync().ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
            }
        }
        return null;
    }
}
