using Microsoft.Extensions.Logging;

namespace Redis;

/// <summary>
/// A thread-safe Redis client for many concurrent callers, sync and async, over one shared connection
/// per server: commands from all callers are coalesced into batched socket writes (auto-pipelining) and
/// replies are matched to callers in order. Open one with <see cref="Connect(string, DialOptions?, ClientOptions?)"/>
/// or <see cref="ConnectAsync(string, DialOptions?, ClientOptions?, CancellationToken)"/> and share it for the
/// life of the application.
/// </summary>
/// <remarks>
/// <para><b>Threading model.</b> A dedicated reader thread (not a thread-pool thread) reads the shared
/// connection with synchronous socket reads, parses each reply on the spot (typed parsers straight into
/// the result) and completes the caller it belongs to, first in, first out. Writing needs no thread of its
/// own: a caller appends its encoded command to a shared buffer under a short lock, and the caller that
/// finds no write in progress becomes the flusher and writes everything queued so far in one socket write,
/// looping until the buffer is empty. Under load, commands pile up while a write is in progress, so one
/// write carries many commands (<see cref="Stats"/> shows the commands per write); a lone caller writes at
/// once, without a hand-off. An async caller that finds replies still outstanding leaves its write to a
/// work item queued behind the continuations already waiting to run, so the commands they send join the
/// same write (measured: about 30 commands per write with 64 async callers, against 2 when every caller
/// wrote at once). A caller that starts several async calls before awaiting any (a pipeline written as calls
/// started, then awaited) has them written together at its first await: one socket write for the batch.</para>
/// <para><b>No thread-pool starvation.</b> A synchronous caller (<see cref="Do"/>,
/// <see cref="Execute{TCommand, TParser, TResult}"/>) blocks only its own thread, on an event that the
/// reader thread sets. Its command is written by itself or by the flusher running at that moment (never
/// by a queued work item), and its reply is read by the reader thread; its timeout is measured by its own
/// wait. Nothing it waits for needs a thread-pool thread, so sync callers on
/// pool threads cannot starve the pool into a deadlock (StackExchange.Redis's sync-over-async timeouts).
/// Async continuations are queued to the thread pool, never run on the reader thread, so user code can
/// never stall the reader. The price is one extra thread per client and, for a strictly sequential caller,
/// a thread hand-off per command; measured by the benchmarks in <c>tests/Redis.Benchmarks</c>.</para>
/// <para><b>Routing.</b> Commands that would stall the pipeline or need connection state of their own never
/// run on the shared connection. Blocking commands (BLPOP, BRPOP, BRPOPLPUSH, BLMOVE, BLMPOP, BZPOPMIN,
/// BZPOPMAX, BZMPOP, WAIT, WAITAOF, and XREAD/XREADGROUP with BLOCK) run automatically on a dedicated
/// connection from an internal <see cref="Pool"/>, for the call only, without a read deadline (their own
/// timeout argument bounds them; cancel them with the token, which closes that connection). Transactions
/// (MULTI, EXEC, DISCARD, WATCH, UNWATCH), subscriptions (the SUBSCRIBE family), MONITOR and commands that
/// change the connection (SELECT, AUTH, HELLO, RESET, QUIT, CLIENT REPLY) are refused with an
/// <see cref="InvalidOperationException"/> that names the alternative: <see cref="Transaction(Action{IConn})"/> /
/// <see cref="TransactionAsync(Action{IConn}, CancellationToken)"/>, <see cref="CreatePubSub"/>, or a leased connection from
/// <see cref="GetDedicated"/>. A transaction's commands must follow each other on one connection, which a
/// shared pipeline cannot promise, so it is expressed as a lease rather than guessed from single calls.</para>
/// <para><b>Cancellation and timeouts.</b> A cancelled token or an expired <see cref="ClientOptions.CommandTimeout"/>
/// ends the caller's wait at once (<see cref="OperationCanceledException"/>, <see cref="RedisTimeoutException"/>)
/// but the command keeps its place in the reply queue: its reply is read and dropped when it comes, so the
/// stream stays in step and the connection is kept. <see cref="Conn"/> breaks its connection on a timeout
/// because its next caller would read the late reply; here the queue position makes that impossible, and
/// breaking a shared connection would fail every other caller's command in flight because one was slow.
/// A cancelled or timed-out command may still run on the server.</para>
/// <para><b>Failures and reconnects.</b> When the shared connection breaks (I/O error, protocol error,
/// server closed it), every command in flight fails with <see cref="RedisConnectionException"/> (it may or
/// may not have run) and the reader thread reconnects at once, then with a doubling delay from
/// <see cref="ClientOptions.ReconnectDelay"/> up to <see cref="ClientOptions.MaxReconnectDelay"/>. Callers
/// arriving during a reconnect attempt wait for it (bounded by the command timeout); between failed attempts
/// they fail fast with <see cref="RedisConnectionException"/>. A reply is never handed to a caller of an
/// earlier connection. Every attempt is bounded in each phase (<see cref="DialOptions.ConnectTimeout"/>,
/// <see cref="DialOptions.TlsHandshakeTimeout"/>, <see cref="DialOptions.HandshakeTimeout"/>) even with no read
/// timeout, so a server that accepts but never answers costs one attempt, not the client. A connection that
/// goes silent while replies are owed (<see cref="ClientOptions.StallTimeout"/>) or whose reply never completes
/// (<see cref="ClientOptions.ReplyTimeout"/>) is ended and replaced the same way. Disposing interrupts an
/// attempt in progress.</para>
/// <para><b>Push frames</b> (RESP3) go to <see cref="ClientOptions.PushHandler"/> (or
/// <see cref="DialOptions.PushHandler"/>) on the reader thread, never to a caller.</para>
/// <para><b>Why not <see cref="IConn"/>.</b> The client offers <c>IConn</c>'s <see cref="Do"/> and
/// <see cref="DoAsync(string, IReadOnlyList{object?}, CancellationToken)"/> with the same semantics for one
/// command, and implements <see cref="IRespExecutor"/> for generated typed code. It does not implement
/// <c>Send</c>/<c>Flush</c>/<c>Receive</c>: on a connection shared by many threads, "the next reply" belongs
/// to whoever sent first, not to whoever calls <c>Receive</c>, so those calls would hand replies to the wrong
/// caller. Pipelining comes for free instead (start many <c>DoAsync</c> calls, then await them), and explicit
/// pipelines run on a leased connection (<see cref="GetDedicated"/>).</para>
/// </remarks>
/// <example>
/// <code>
/// await using RedisClient client = await RedisClient.ConnectAsync("redis://localhost:6379");
/// await client.DoAsync("SET", "greeting", "hello");
/// byte[]? value = (byte[]?)await client.DoAsync("GET", "greeting");
/// object? popped = await client.DoAsync("BLPOP", "jobs", 5);   // runs on a dedicated connection
/// </code>
/// </example>
public sealed partial class RedisClient : IRedisClient
{
    private readonly Lock _writeLock = new();
    private readonly string _network;
    private string _address;                       // the server; for a Sentinel-backed client, the master as last confirmed
    private readonly DialOptions _dialOptions;
    private readonly ClientOptions _options;
    private readonly ILogger? _logger;
    private readonly Action<RedisPush>? _pushHandler;
    private readonly int _timeoutMs;
    private Pool _pool;                            // replaced when a Sentinel-backed client's master moves
    private readonly ManualResetEventSlim _disposeSignal = new(false);
    private readonly CancellationTokenSource _lifetime = new();   // cancelled by Dispose: abandons a dial in progress
    private Thread? _reader;

    // Guarded by _writeLock.
    private RespWriter _active = new();            // commands queued since the last write (grows with the load, from 4 KB)
    private RespWriter _spare = new();             // the batch being written (owned by the flusher)
    private OperationQueue _queued = new();        // the operations of commands in _active and of batches handed to the reader
    private bool _flushing;                        // a thread is in FlushLoop
    private bool _flushScheduled;                  // a ScheduledFlush is queued to the thread pool
    private ScheduledFlush? _scheduledFlush;
    private int _burstThread;                      // the managed thread id of a burst being queued (see ClaimFlushLocked); 0: none
    private bool _burstTimerArmed;
    private Timer? _burstTimer;
    private State _state;
    private bool _disposed;
    private ClientTransport? _transport;
    private TaskCompletionSource? _connectAttempt;  // set while Connecting: completes when the attempt ends
    private Exception? _lastError;
    private long _nextAttemptTimestamp;
    private long _generation;
    private long _commands;
    private long _writes;
    private long _bytesWritten;
    private long _reconnects;
    private long _failedInFlight;                  // commands failed by a lost connection (never got a reply)

    private long _dedicatedCommands;  // Interlocked

    private enum State
    {
        Connecting,
        Connected,
        Down,
        Disposed,
    }

    private RedisClient(string network, string address, string endpoint, DialOptions dialOptions, ClientOptions options)
    {
        _network = network;
        _address = address;
        Endpoint = endpoint;
        _dialOptions = dialOptions;
        _options = options;
        _logger = options.Logger;
        _pushHandler = options.PushHandler ?? dialOptions.PushHandler;
        _timeoutMs = options.CommandTimeoutMilliseconds;
        _cache = options.Cache is null ? null : new ClientCache(options.Cache);
        if (_cache is ClientCache cache) TelemetryRegistry.AddCache(cache, TelemetryTarget, () => { CacheStats s = cache.Stats; return new(s.Hits, s.Misses, s.Invalidations, s.Evictions, s.Entries); }); // read by the cache counters of RedisTelemetry
        _pool = CreatePool(network, address);
        StartStallWatchdog();
    }

    /// <summary>
    /// Connects to <paramref name="address"/> (<c>host:port</c> for <c>"tcp"</c>, a socket path for
    /// <c>"unix"</c>), runs the handshake <paramref name="dialOptions"/> ask for (TLS, AUTH/HELLO, SELECT,
    /// CLIENT SETNAME) and starts the reader thread.
    /// </summary>
    /// <exception cref="ArgumentException">A bad network, address or option.</exception>
    /// <exception cref="RedisConnectionException">The server could not be reached (no retry on the first connect).</exception>
    /// <exception cref="RedisServerException">The server refused a handshake command.</exception>
    public static RedisClient Connect(string network, string address, DialOptions? dialOptions = null, ClientOptions? clientOptions = null)
    {
        (dialOptions, clientOptions) = Validate(dialOptions, clientOptions);
        var client = new RedisClient(network, address, $"{network} {address}", dialOptions, clientOptions);
        try
        {
            ClientTransport transport = Open(network, address, client.ConnectOptions(), CancellationToken.None);
            client.Start(transport);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Connects to a URL: <c>redis://[user:pass@]host[:port][/db]</c>, <c>rediss://...</c> (TLS) or
    /// <c>unix:///path/to.sock[?db=N]</c>. What the URL says overrides <paramref name="dialOptions"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A bad URL or option (the message never holds the password).</exception>
    /// <exception cref="RedisConnectionException">The server could not be reached.</exception>
    public static RedisClient Connect(string url, DialOptions? dialOptions = null, ClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (SentinelUrl.IsSentinelUrl(url))
        {
            (Sentinel sentinel, DialOptions dataOptions) = SentinelUrl.Parse(url, dialOptions);
            return Connect(sentinel, dataOptions, clientOptions);
        }
        RedisUrl.Target target = RedisUrl.Parse(url, dialOptions);
        return Connect(target.Network, target.Address, target.Options, clientOptions);
    }

    /// <summary>
    /// The asynchronous twin of <see cref="Connect(string, string, DialOptions?, ClientOptions?)"/>. The
    /// connect itself runs on the client's reader thread (synchronous sockets stay in blocking mode, which
    /// keeps the reader's reads allocation-free), so no thread-pool thread blocks. Cancelling abandons it.
    /// </summary>
    public static async ValueTask<RedisClient> ConnectAsync(string network, string address, DialOptions? dialOptions = null, ClientOptions? clientOptions = null, CancellationToken cancellationToken = default)
    {
        (dialOptions, clientOptions) = Validate(dialOptions, clientOptions);
        cancellationToken.ThrowIfCancellationRequested();
        var client = new RedisClient(network, address, $"{network} {address}", dialOptions, clientOptions);
        Task connected;
        lock (client._writeLock)
        {
            client._state = State.Connecting;
            client._connectAttempt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            connected = client._connectAttempt.Task;
        }
        try
        {
            client.StartReader(null);
            await connected.WaitAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The asynchronous twin of <see cref="Connect(string, DialOptions?, ClientOptions?)"/>.</summary>
    public static ValueTask<RedisClient> ConnectAsync(string url, DialOptions? dialOptions = null, ClientOptions? clientOptions = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (SentinelUrl.IsSentinelUrl(url))
        {
            (Sentinel sentinel, DialOptions dataOptions) = SentinelUrl.Parse(url, dialOptions);
            return ConnectAsync(sentinel, dataOptions, clientOptions, cancellationToken);
        }
        RedisUrl.Target target = RedisUrl.Parse(url, dialOptions);
        return ConnectAsync(target.Network, target.Address, target.Options, clientOptions, cancellationToken);
    }

    /// <summary>The endpoint (<c>"tcp host:port"</c> or <c>"unix path"</c>); never holds credentials.</summary>
    public string Endpoint { get; }

    /// <summary>True while the shared connection is up (false while reconnecting, and after disposal).</summary>
    public bool IsConnected
    {
        get
        {
            lock (_writeLock) return _state == State.Connected;
        }
    }

    /// <summary>The client's counters: commands, socket writes (batching), replies, reconnects, dedicated commands.</summary>
    public ClientStats Stats
    {
        get
        {
            lock (_writeLock)
            {
                return new ClientStats(_commands, _writes, _bytesWritten, Volatile.Read(ref _replies), _reconnects, Interlocked.Read(ref _dedicatedCommands)) { Cache = _cache?.Stats };
            }
        }
    }

    /// <summary>
    /// Closes the shared connection and the dedicated connections that are idle (leased ones close when
    /// returned). Commands in flight fail with <see cref="RedisConnectionException"/>; later calls throw
    /// <see cref="ObjectDisposedException"/>. Idempotent.
    /// </summary>
    /// <remarks>
    /// It interrupts whatever the client's reader thread is doing (reading, a connect, a TLS or protocol
    /// handshake, a reconnect or its backoff: the socket in use is closed) and waits for that thread to
    /// end, so no thread, socket or timer of the client is left once it returns. The wait is bounded
    /// (5 s) in case a <see cref="ClientOptions.PushHandler"/> never returns.
    /// </remarks>
    public void Dispose()
    {
        if (!BeginDispose()) return;
        StopSentinelWatch();
        Thread? reader = _reader;
        if (reader is not null && reader != Thread.CurrentThread) reader.Join(ReaderExitWait);
        _pool.Dispose();
    }

    /// <summary>As <see cref="Dispose"/>, waiting for the reader thread to end without blocking a thread.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!BeginDispose()) return;
        StopSentinelWatch();
        await _pool.DisposeAsync().ConfigureAwait(false);
        Thread? reader = _reader;
        if (reader is not null && reader != Thread.CurrentThread)
        {
            try
            {
                await _readerExited.Task.WaitAsync(ReaderExitWait).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // A push handler that never returns: the thread is a background one and ends with it.
            }
        }
    }

    private static readonly TimeSpan ReaderExitWait = TimeSpan.FromSeconds(5);

    /// <summary>Describes the client (endpoint and state); never includes credentials.</summary>
    public override string ToString()
    {
        State state;
        lock (_writeLock) state = _state;
        return $"RedisClient({Endpoint}, RESP{_dialOptions.Protocol}, {state})";
    }

    // The dedicated connections' pool (blocking commands, transactions, subscriptions, leases).
    private Pool CreatePool(string network, string address)
    {
        return Pool.Create(network, address, _dialOptions, new PoolOptions
        {
            MaxIdle = _options.MaxIdleDedicatedConnections,
            MaxActive = _options.MaxDedicatedConnections,
            Wait = _options.MaxDedicatedConnections > 0,
        });
    }

    private static (DialOptions, ClientOptions) Validate(DialOptions? dialOptions, ClientOptions? clientOptions)
    {
        dialOptions ??= DialOptions.Default;
        dialOptions.Validate();
        clientOptions ??= ClientOptions.Default;
        clientOptions.Validate();
        return (dialOptions, clientOptions);
    }

    private bool BeginDispose()
    {
        ClientTransport? transport;
        TaskCompletionSource? attempt;
        lock (_writeLock)
        {
            if (_disposed) return false;
            _disposed = true;
            _state = State.Disposed;
            transport = _transport;
            attempt = _connectAttempt;
            _connectAttempt = null;
        }
        _disposeSignal.Set();
        _lifetime.Cancel();   // closes the socket of a dial in progress (runs no user code)
        _invalidations?.Dispose();
        StopStallWatchdog();
        lock (_writeLock) _burstTimer?.Dispose();
        transport?.Abort(new ObjectDisposedException(nameof(RedisClient), "The client was disposed."));
        attempt?.TrySetException(new ObjectDisposedException(nameof(RedisClient), "The client was disposed while connecting."));
        if (_logger is not null) ClientLog.Disposed(_logger, Endpoint);
        return true;
    }

    private ObjectDisposedException DisposedError() => new(nameof(RedisClient), $"The client for {Endpoint} is disposed.");
}
