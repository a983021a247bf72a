using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Redis;

// A client on a Sentinel deployment: it dials whatever master the sentinels name (and ROLE confirms),
// and follows failovers: +switch-master, a -READONLY reply, a lost connection and a periodic check each
// lead to asking the sentinels again; a new master closes the shared connection (callers in flight
// fail with RedisConnectionException, none is answered by the old master afterwards), replaces the
// dedicated connections' pool and closes the connections the old pool lent (a blocked command runs again
// on the new master, a PubSubConn ends with RedisConnectionException so its owner subscribes again, now
// on the new master), so every connection the client owns moves.
public sealed partial class RedisClient
{
    private Sentinel? _sentinel;
    private SentinelWatch? _sentinelWatch;
    private DialedConnections? _dialed;             // what the current pool dialed (Sentinel-backed client only)
    private CancellationTokenSource? _dialWake;     // cancelled by a switch while a reconnect asks the sentinels

    /// <summary>
    /// Connects to the master a <see cref="Sentinel"/> names and follows it through failovers (see the
    /// class remarks of <see cref="Sentinel"/>). <paramref name="dialOptions"/> are for the data nodes
    /// (their password, TLS, database); the sentinels use the options given to the <see cref="Sentinel"/>.
    /// </summary>
    /// <exception cref="RedisSentinelException">No sentinel answered, the master name is unknown, or no master was confirmed.</exception>
    /// <exception cref="RedisConnectionException">The master could not be reached.</exception>
    public static RedisClient Connect(Sentinel sentinel, DialOptions? dialOptions = null, ClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(sentinel);
        (dialOptions, clientOptions) = Validate(dialOptions, clientOptions);
        RedisClient? client = null;
        // Subscribe to +switch-master before the first question, so no switch is missed in between.
        var watch = new SentinelWatch(sentinel, address => client?.SwitchMaster(address), clientOptions.Logger, dialOptions);
        watch.Start(TimeSpan.FromSeconds(2));
        try
        {
            string address = sentinel.MasterAddress(dialOptions, CancellationToken.None);
            client = new RedisClient("tcp", address, $"sentinel {sentinel.MasterName}", dialOptions, clientOptions)
            {
                _sentinel = sentinel,
                _sentinelWatch = watch,
                _dialed = new DialedConnections(),
            };
            client._pool = Track(client._pool, client._dialed);
            ClientTransport transport = Open("tcp", address, client.ConnectOptions(), CancellationToken.None);
            client.Start(transport, address);
            return client;
        }
        catch
        {
            if (client is not null) client.Dispose();
            else watch.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>The asynchronous twin of <see cref="Connect(Sentinel, DialOptions?, ClientOptions?)"/>.</summary>
    public static async ValueTask<RedisClient> ConnectAsync(Sentinel sentinel, DialOptions? dialOptions = null, ClientOptions? clientOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sentinel);
        // The first master is found before the client exists; the reader thread dials it (as ConnectAsync does).
        await sentinel.MasterAddressAsync(dialOptions ?? DialOptions.Default, cancellationToken).ConfigureAwait(false);
        return await Task.Run(() => Connect(sentinel, dialOptions, clientOptions), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The master's address as last confirmed (a Sentinel-backed client), or the server's address.</summary>
    internal string CurrentAddress => Volatile.Read(ref _address);

    // The address a (re)connect dials: for a Sentinel-backed client, asked again each time.
    // A switch (+switch-master, or a confirmed check) while this asks the sentinels ends the wait: after a
    // kill -9 the sentinels name the dead master until they fail over, and the ROLE retries back off up to
    // a second, which would otherwise delay the reconnect after the switch by as much.
    private string DialAddress()
    {
        if (_sentinel is null) return _address;
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        Volatile.Write(ref _dialWake, wake);
        string known = Volatile.Read(ref _address);
        try
        {
            string address = _sentinel.MasterAddress(_dialOptions, wake.Token);
            // A switch during the query wins: the answer may predate it (the old master still confirms its role
            // until Sentinel demotes it), and must not overwrite the address the switch named. A new address found
            // here moves the dedicated connections too, as a switch does: setting only the address would leave the
            // pool on the old master, and later switches to this address would see nothing to do.
            return SwitchMaster(address, expected: known);
        }
        catch (OperationCanceledException) when (!_lifetime.IsCancellationRequested)
        {
            return Volatile.Read(ref _address); // what the switch named
        }
        finally
        {
            Interlocked.CompareExchange(ref _dialWake, null, wake);
        }
    }

    // A sentinel named a master: when it is a new one, leave the old one now. With expected, only when the master
    // is still the one expected (a reconnect's query, which a switch during it wins). Returns the master now known.
    private string SwitchMaster(string address, string? expected = null)
    {
        Pool replaced;
        DialedConnections? replacedConnections;
        ClientTransport? transport;
        lock (_writeLock)
        {
            string current = _address;
            if (_disposed || string.Equals(address, current, StringComparison.OrdinalIgnoreCase)) return current;
            if (expected is not null && !string.Equals(current, expected, StringComparison.OrdinalIgnoreCase)) return current;
            Volatile.Write(ref _address, address);
            transport = _transport;
            replaced = _pool;
            replacedConnections = _dialed;
            _dialed = new DialedConnections();
            _pool = Track(CreatePool(_network, address), _dialed);
        }
        if (_logger is not null) _logger.LogInformation("{Endpoint}: the master moved to {Address}; reconnecting.", Endpoint, address);
        // RESP2 client-side caching: the shared connection's tracking redirects to the listener's client id, which
        // only means something on the server it was issued by. Left on the old master, the reconnect to the new one
        // would redirect to an unknown id (refused) or to whichever client has that id there (never invalidated:
        // stale reads). Dropped (the cache is flushed), the reconnect opens a listener on the new master.
        Interlocked.Exchange(ref _invalidations, null)?.Dispose();
        try
        {
            Volatile.Read(ref _dialWake)?.Cancel(); // a reconnect asking the sentinels: dial the new master now
        }
        catch (ObjectDisposedException)
        {
            // That reconnect just finished.
        }
        transport?.Abort(new RedisConnectionException($"The master of '{_sentinel?.MasterName}' moved to {address}; the connection to the old master was closed."));
        replaced.Dispose(); // idle dedicated connections close now
        // Leased ones too: left alone, a blocked BLPOP or a subscriber would stay on the old master until
        // Sentinel demotes it (~10 s, or never while it is cut off) and miss what happens on the new one.
        replacedConnections?.CloseAll();
        return address;
    }

    // Wraps a Sentinel-backed client's pool so the connections it dials are known, to be closed at a switch.
    private static Pool Track(Pool pool, DialedConnections dialed)
    {
        pool.OnDialed(dialed.Add);
        return pool;
    }

    // The connections one pool dialed (closed ones are forgotten as new ones come); CloseAll closes them,
    // and any dialed afterwards, at once.
    private sealed class DialedConnections
    {
        private readonly ConcurrentDictionary<IConn, byte> _connections = new(ReferenceEqualityComparer.Instance);
        private volatile bool _closed;

        public IConn Add(IConn conn)
        {
            foreach (IConn known in _connections.Keys)
            {
                if (known.Err is not null) _connections.TryRemove(known, out _);
            }
            _connections.TryAdd(conn, 0);
            if (_closed) CloseAll(); // dialed to the old master while it was being left
            return conn;
        }

        public void CloseAll()
        {
            _closed = true;
            foreach (IConn conn in _connections.Keys)
            {
                if (_connections.TryRemove(conn, out _)) conn.Close();
            }
        }
    }

    private void StopSentinelWatch()
    {
        SentinelWatch? watch = Interlocked.Exchange(ref _sentinelWatch, null);
        if (watch is not null) _ = watch.DisposeAsync().AsTask();
    }
}
