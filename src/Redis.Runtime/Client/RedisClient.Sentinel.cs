using Microsoft.Extensions.Logging;

namespace Redis;

// A client on a Sentinel deployment: it dials whatever master the sentinels name (and ROLE confirms),
// and follows failovers: +switch-master, a -READONLY reply, a lost connection and a periodic check each
// lead to asking the sentinels again; a new master closes the shared connection (callers in flight
// fail with RedisConnectionException, none is answered by the old master afterwards) and replaces the
// dedicated connections' pool, so every connection the client owns moves.
public sealed partial class RedisClient
{
    private Sentinel? _sentinel;
    private SentinelWatch? _sentinelWatch;

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
        var watch = new SentinelWatch(sentinel, address => client?.SwitchMaster(address), clientOptions.Logger);
        watch.Start(TimeSpan.FromSeconds(2));
        try
        {
            string address = sentinel.MasterAddress();
            client = new RedisClient("tcp", address, $"sentinel {sentinel.MasterName}", dialOptions, clientOptions)
            {
                _sentinel = sentinel,
                _sentinelWatch = watch,
            };
            ClientTransport transport = Open("tcp", address, client.ConnectOptions(), CancellationToken.None);
            client.Start(transport);
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
        await sentinel.MasterAddressAsync(cancellationToken).ConfigureAwait(false);
        return await Task.Run(() => Connect(sentinel, dialOptions, clientOptions), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The master's address as last confirmed (a Sentinel-backed client), or the server's address.</summary>
    internal string CurrentAddress => Volatile.Read(ref _address);

    // The address a (re)connect dials: for a Sentinel-backed client, asked again each time.
    private string DialAddress()
    {
        if (_sentinel is null) return _address;
        string address = _sentinel.MasterAddress(_lifetime.Token);
        Volatile.Write(ref _address, address);
        return address;
    }

    // A sentinel named a master: when it is a new one, leave the old one now.
    private void SwitchMaster(string address)
    {
        if (string.Equals(address, Volatile.Read(ref _address), StringComparison.OrdinalIgnoreCase)) return;
        Pool replaced;
        ClientTransport? transport;
        lock (_writeLock)
        {
            if (_disposed) return;
            Volatile.Write(ref _address, address);
            transport = _transport;
            replaced = _pool;
            _pool = CreatePool(_network, address);
        }
        if (_logger is not null) _logger.LogInformation("{Endpoint}: the master moved to {Address}; reconnecting.", Endpoint, address);
        transport?.Abort(new RedisConnectionException($"The master of '{_sentinel?.MasterName}' moved to {address}; the connection to the old master was closed."));
        replaced.Dispose(); // idle dedicated connections close now, leased ones when returned
    }

    private void StopSentinelWatch()
    {
        SentinelWatch? watch = Interlocked.Exchange(ref _sentinelWatch, null);
        if (watch is not null) _ = watch.DisposeAsync().AsTask();
    }
}
