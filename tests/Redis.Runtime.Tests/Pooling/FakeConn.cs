using System.Text;

namespace Redis.Tests.Pooling;

/// <summary>
/// Counts the connections a pool dials and how many are open. Each <see cref="FakeConn"/> answers
/// commands from a script (no I/O) and records them as text.
/// </summary>
internal sealed class FakeDialer
{
    private int _dialed;
    private int _open;

    public Func<string, object?[], object?> Answer { get; set; } = FakeConn.DefaultAnswer;

    /// <summary>Thrown by <see cref="Dial"/> while set.</summary>
    public Exception? DialError { get; set; }

    public int Dialed => Volatile.Read(ref _dialed);

    public int Open => Volatile.Read(ref _open);

    public List<FakeConn> Connections { get; } = [];

    public IConn Dial()
    {
        Interlocked.Increment(ref _dialed);
        if (DialError is { } error) throw error;
        Interlocked.Increment(ref _open);
        var conn = new FakeConn(this);
        lock (Connections) Connections.Add(conn);
        return conn;
    }

    internal void Closed() => Interlocked.Decrement(ref _open);
}

/// <summary>
/// A scripted connection: Send queues the scripted answer, Receive and Do read them back in order.
/// It counts callers inside a call at once (<see cref="MaxUsers"/>), so a connection lent to two
/// borrowers at the same time is noticed.
/// </summary>
internal sealed class FakeConn(FakeDialer dialer) : IConnWithTimeout
{
    private readonly Queue<object?> _replies = new();
    private readonly List<string> _commands = [];
    private int _users;
    private int _maxUsers;
    private int _closed;
    private Exception? _err;

    public static object? DefaultAnswer(string command, object?[] args) => command.ToUpperInvariant() switch
    {
        "ECHO" => args[0],
        "PING" => args.Length == 0 ? "PONG" : args[0],
        "UNSUBSCRIBE" or "PUNSUBSCRIBE" or "SUNSUBSCRIBE" => new object?[] { Encoding.UTF8.GetBytes(command.ToLowerInvariant()), null, 0L },
        "SUBSCRIBE" or "PSUBSCRIBE" or "SSUBSCRIBE" => new object?[] { Encoding.UTF8.GetBytes(command.ToLowerInvariant()), args[0], 1L },
        _ => "OK",
    };

    /// <summary>Every command seen, as <c>NAME arg arg</c>.</summary>
    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (_commands) return [.. _commands];
        }
    }

    public int MaxUsers => Volatile.Read(ref _maxUsers);

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public TimeSpan? LastTimeout { get; private set; }

    public Exception? Err => Volatile.Read(ref _err);

    /// <summary>Marks the connection broken, as an I/O error would.</summary>
    public void Poison() => Interlocked.CompareExchange(ref _err, new RedisConnectionException("poisoned"), null);

    public object? Do(string command, params object?[] args)
    {
        Enter();
        try
        {
            ThrowIfBroken();
            if (command.Length != 0) Record(command, args);
            if (command.Length == 0)
            {
                if (_replies.Count == 0) return null;
                var all = _replies.ToArray();
                _replies.Clear();
                return all;
            }
            object? last = null;
            RedisServerException? first = null;
            while (_replies.Count > 0)
            {
                last = _replies.Dequeue();
                if (last is RedisServerException e) first ??= e;
            }
            return first is null ? last : throw first;
        }
        finally
        {
            Leave();
        }
    }

    public void Send(string command, params object?[] args)
    {
        ThrowIfBroken();
        Record(command, args);
    }

    public void Flush() => ThrowIfBroken();

    public object? Receive()
    {
        ThrowIfBroken();
        if (_replies.Count == 0) throw new InvalidOperationException("FakeConn: Receive with nothing pending would block forever.");
        object? reply = _replies.Dequeue();
        return reply is RedisServerException e ? throw e : reply;
    }

    public ValueTask<object?> DoAsync(string command, params object?[] args) => ValueTask.FromResult(Do(command, args));

    public ValueTask<object?> DoAsync(string command, IReadOnlyList<object?> args, CancellationToken cancellationToken)
        => ValueTask.FromResult(Do(command, [.. args]));

    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        Flush();
        return ValueTask.CompletedTask;
    }

    public ValueTask<object?> ReceiveAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(Receive());

    public object? DoWithTimeout(TimeSpan timeout, string command, params object?[] args)
    {
        LastTimeout = timeout;
        return Do(command, args);
    }

    public object? ReceiveWithTimeout(TimeSpan timeout)
    {
        LastTimeout = timeout;
        return Receive();
    }

    public ValueTask<object?> DoWithTimeoutAsync(TimeSpan timeout, string command, IReadOnlyList<object?> args, CancellationToken cancellationToken = default)
    {
        LastTimeout = timeout;
        return DoAsync(command, args, cancellationToken);
    }

    public ValueTask<object?> ReceiveWithTimeoutAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        LastTimeout = timeout;
        return ReceiveAsync(cancellationToken);
    }

    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        Interlocked.CompareExchange(ref _err, new RedisConnectionException("The connection is closed."), null);
        dialer.Closed();
    }

    public void Dispose() => Close();

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    private void Record(string command, object?[] args)
    {
        var text = new StringBuilder(command);
        foreach (object? arg in args ?? []) text.Append(' ').Append(arg switch { byte[] b => b.Length == 32 ? "<sentinel>" : Encoding.UTF8.GetString(b), null => "nil", _ => Convert.ToString(arg, System.Globalization.CultureInfo.InvariantCulture) });
        lock (_commands) _commands.Add(text.ToString());
        object? answer = dialer.Answer(command, args ?? []);
        _replies.Enqueue(answer);
    }

    private void ThrowIfBroken()
    {
        if (Err is { } err) throw new RedisConnectionException($"broken: {err.Message}", err);
    }

    // Counts concurrent callers; the short spin widens the window in which a second borrower would show.
    private void Enter()
    {
        int users = Interlocked.Increment(ref _users);
        int max;
        while (users > (max = Volatile.Read(ref _maxUsers)) && Interlocked.CompareExchange(ref _maxUsers, users, max) != max)
        {
        }
        Thread.SpinWait(20);
    }

    private void Leave() => Interlocked.Decrement(ref _users);
}
