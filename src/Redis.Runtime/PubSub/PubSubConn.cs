using System.Runtime.CompilerServices;
using System.Text;

namespace Redis;

/// <summary>
/// A connection in publish/subscribe mode, redigo's <c>PubSubConn</c>: subscribe with
/// <see cref="Subscribe"/>, <see cref="PSubscribe"/> and <see cref="SSubscribe"/> (sharded), then read
/// notifications with <see cref="Receive"/> (a <see cref="Message"/>, <see cref="Subscription"/> or
/// <see cref="Pong"/>) or just the messages with <see cref="ReadMessagesAsync"/>. Works on RESP2
/// connections (notifications are arrays) and RESP3 ones (push frames, or arrays from servers that
/// send their confirmations so).
/// </summary>
/// <remarks>
/// As with any connection, one thread may receive while another subscribes, unsubscribes or pings.
/// Cancelling a receive, or a <see cref="ReceiveWithTimeout"/> that times out, breaks the connection
/// (a late notification must never be read as an answer), so use those to stop listening, not to poll.
/// Disposing closes the connection; for a pooled connection that means returning it, and the pool
/// unsubscribes it from everything first (reading the connection), so stop any reading loop before
/// disposing a pooled one.
/// </remarks>
/// <example>
/// <code>
/// await using var sub = new PubSubConn(Conn.Dial("tcp", "localhost:6379"));
/// sub.Subscribe("news");
/// await foreach (Message m in sub.ReadMessagesAsync(stoppingToken))
///     Console.WriteLine($"{m.Channel}: {m.Text}");
/// </code>
/// </example>
public sealed class PubSubConn : IDisposable, IAsyncDisposable
{
    private readonly IConn _conn;
    private int _pendingPings;

    /// <summary>Wraps <paramref name="conn"/>; this object owns it from now on.</summary>
    public PubSubConn(IConn conn)
    {
        ArgumentNullException.ThrowIfNull(conn);
        _conn = conn;
    }

    /// <summary>The underlying connection.</summary>
    public IConn Conn => _conn;

    /// <summary>Subscribes to <paramref name="channels"/> (SUBSCRIBE) and flushes. The confirmations arrive through <see cref="Receive"/>.</summary>
    public void Subscribe(params string[] channels) => SendAndFlush("SUBSCRIBE", channels, required: true);

    /// <summary>Subscribes to the channels matching <paramref name="patterns"/> (PSUBSCRIBE) and flushes.</summary>
    public void PSubscribe(params string[] patterns) => SendAndFlush("PSUBSCRIBE", patterns, required: true);

    /// <summary>Subscribes to the shard channels <paramref name="channels"/> (SSUBSCRIBE, Redis 7) and flushes.</summary>
    public void SSubscribe(params string[] channels) => SendAndFlush("SSUBSCRIBE", channels, required: true);

    /// <summary>Unsubscribes from <paramref name="channels"/>, or from every channel when none are given (UNSUBSCRIBE), and flushes.</summary>
    public void Unsubscribe(params string[] channels) => SendAndFlush("UNSUBSCRIBE", channels, required: false);

    /// <summary>Unsubscribes from <paramref name="patterns"/>, or from every pattern when none are given (PUNSUBSCRIBE), and flushes.</summary>
    public void PUnsubscribe(params string[] patterns) => SendAndFlush("PUNSUBSCRIBE", patterns, required: false);

    /// <summary>Unsubscribes from the shard channels <paramref name="channels"/>, or from all of them when none are given (SUNSUBSCRIBE), and flushes.</summary>
    public void SUnsubscribe(params string[] channels) => SendAndFlush("SUNSUBSCRIBE", channels, required: false);

    /// <summary>Sends PING (with <paramref name="data"/> when given) and flushes; the answer arrives as a <see cref="Pong"/>.</summary>
    public void Ping(string? data = null)
    {
        Interlocked.Increment(ref _pendingPings);
        if (data is null) _conn.Send("PING");
        else _conn.Send("PING", data);
        _conn.Flush();
    }

    /// <summary>The asynchronous twin of <see cref="Subscribe"/>.</summary>
    public ValueTask SubscribeAsync(IReadOnlyList<string> channels, CancellationToken cancellationToken = default)
        => SendAndFlushAsync("SUBSCRIBE", channels, required: true, cancellationToken);

    /// <summary>The asynchronous twin of <see cref="PSubscribe"/>.</summary>
    public ValueTask PSubscribeAsync(IReadOnlyList<string> patterns, CancellationToken cancellationToken = default)
        => SendAndFlushAsync("PSUBSCRIBE", patterns, required: true, cancellationToken);

    /// <summary>The asynchronous twin of <see cref="SSubscribe"/>.</summary>
    public ValueTask SSubscribeAsync(IReadOnlyList<string> channels, CancellationToken cancellationToken = default)
        => SendAndFlushAsync("SSUBSCRIBE", channels, required: true, cancellationToken);

    /// <summary>The asynchronous twin of <see cref="Unsubscribe"/>; <see langword="null"/> or empty: every channel.</summary>
    public ValueTask UnsubscribeAsync(IReadOnlyList<string>? channels = null, CancellationToken cancellationToken = default)
        => SendAndFlushAsync("UNSUBSCRIBE", channels, required: false, cancellationToken);

    /// <summary>The asynchronous twin of <see cref="PUnsubscribe"/>; <see langword="null"/> or empty: every pattern.</summary>
    public ValueTask PUnsubscribeAsync(IReadOnlyList<string>? patterns = null, CancellationToken cancellationToken = default)
        => SendAndFlushAsync("PUNSUBSCRIBE", patterns, required: false, cancellationToken);

    /// <summary>The asynchronous twin of <see cref="SUnsubscribe"/>; <see langword="null"/> or empty: every shard channel.</summary>
    public ValueTask SUnsubscribeAsync(IReadOnlyList<string>? channels = null, CancellationToken cancellationToken = default)
        => SendAndFlushAsync("SUNSUBSCRIBE", channels, required: false, cancellationToken);

    /// <summary>The asynchronous twin of <see cref="Ping"/>.</summary>
    public ValueTask PingAsync(string? data = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _pendingPings);
        if (data is null) _conn.Send("PING");
        else _conn.Send("PING", data);
        return _conn.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Reads the next notification: a <see cref="Message"/>, a <see cref="Subscription"/> or a <see cref="Pong"/>.
    /// </summary>
    /// <exception cref="RedisServerException">The server answered with an error (the connection stays usable).</exception>
    /// <exception cref="RedisException">The reply is not a pub/sub notification ("unknown pubsub notification"); it was consumed and the connection stays usable.</exception>
    /// <exception cref="RedisConnectionException">The connection is broken.</exception>
    public object Receive() => Decode(_conn.Receive());

    /// <summary>
    /// <see cref="Receive"/> with its own read deadline (<see cref="TimeSpan.Zero"/>: none), leaving the
    /// connection's default alone. When it passes the connection is broken (<see cref="RedisTimeoutException"/>).
    /// </summary>
    /// <exception cref="NotSupportedException">The connection does not implement <see cref="IConnWithTimeout"/>.</exception>
    public object ReceiveWithTimeout(TimeSpan timeout) => Decode(WithTimeout().ReceiveWithTimeout(timeout));

    /// <summary>The asynchronous twin of <see cref="Receive"/>. Cancelling breaks the connection.</summary>
    public async ValueTask<object> ReceiveAsync(CancellationToken cancellationToken = default)
        => Decode(await _conn.ReceiveAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>The asynchronous twin of <see cref="ReceiveWithTimeout"/>.</summary>
    public async ValueTask<object> ReceiveWithTimeoutAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
        => Decode(await WithTimeout().ReceiveWithTimeoutAsync(timeout, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// The messages as they arrive; subscription confirmations, pongs and other push frames (such as
    /// client-tracking invalidations) are skipped. Cancelling <paramref name="cancellationToken"/> ends
    /// the sequence without an exception, and closes the connection if a read was under way. Server
    /// and connection errors are thrown.
    /// </summary>
    public async IAsyncEnumerable<Message> ReadMessagesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            object? reply;
            try
            {
                reply = await _conn.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                yield break;
            }
            object? notification = TryDecode(reply);
            if (notification is Message message) yield return message;
            else if (notification is null && reply is not RedisPush) throw Unknown(reply);
        }
    }

    /// <summary>Closes the connection (a pooled one goes back to its pool).</summary>
    public void Dispose() => _conn.Dispose();

    /// <summary>Closes the connection asynchronously (a pooled one goes back to its pool).</summary>
    public ValueTask DisposeAsync() => _conn.DisposeAsync();

    /// <summary>Describes the connection.</summary>
    public override string ToString() => $"PubSubConn({_conn})";

    private IConnWithTimeout WithTimeout() => _conn as IConnWithTimeout
        ?? throw new NotSupportedException($"The connection ({_conn.GetType().Name}) does not support per-call timeouts (IConnWithTimeout).");

    private void SendAndFlush(string command, string[]? names, bool required)
    {
        _conn.Send(command, ToArgs(command, names, required));
        _conn.Flush();
    }

    private ValueTask SendAndFlushAsync(string command, IReadOnlyList<string>? names, bool required, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _conn.Send(command, ToArgs(command, names, required));
        return _conn.FlushAsync(cancellationToken);
    }

    private static object?[] ToArgs(string command, IReadOnlyList<string>? names, bool required)
    {
        int count = names?.Count ?? 0;
        if (required && count == 0) throw new ArgumentException($"{command} needs at least one channel or pattern.", nameof(names));
        if (count == 0) return [];
        var args = new object?[count];
        for (int i = 0; i < count; i++)
        {
            args[i] = names![i] ?? throw new ArgumentException($"{command}: channel {i} is null.", nameof(names));
        }
        return args;
    }

    private object Decode(object? reply) => TryDecode(reply) ?? throw Unknown(reply);

    // A Message, Subscription or Pong, or null when the reply is no pub/sub notification.
    private object? TryDecode(object? reply)
    {
        object?[] values;
        switch (reply)
        {
            case RedisPush push:
                values = push.Values;
                break;
            case object?[] array:
                values = array;
                break;
            case "PONG":
                // RESP3 (or RESP2 outside subscribed mode): PING gets its ordinary reply.
                TakePing();
                return new Pong(string.Empty);
            case byte[] bulk when TakePing():
                return new Pong(Encoding.UTF8.GetString(bulk));
            default:
                return null;
        }
        if (values.Length == 0 || Text(values[0]) is not { } kind) return null;
        switch (kind)
        {
            case "message" when values.Length == 3 && Text(values[1]) is { } channel:
                return new Message(channel, null, Data(values[2]));
            case "smessage" when values.Length == 3 && Text(values[1]) is { } channel:
                return new Message(channel, null, Data(values[2])) { IsSharded = true };
            case "pmessage" when values.Length == 4 && Text(values[1]) is { } pattern && Text(values[2]) is { } channel:
                return new Message(channel, pattern, Data(values[3]));
            case "subscribe" or "psubscribe" or "ssubscribe" or "unsubscribe" or "punsubscribe" or "sunsubscribe"
                when values.Length == 3 && values[2] is long count:
                return new Subscription(kind, Text(values[1]) ?? string.Empty, (int)Math.Clamp(count, int.MinValue, int.MaxValue));
            case "pong" when values.Length == 2:
                TakePing();
                return new Pong(Text(values[1]) ?? string.Empty);
            default:
                return null;
        }
    }

    private bool TakePing()
    {
        int current = Volatile.Read(ref _pendingPings);
        while (current > 0)
        {
            int seen = Interlocked.CompareExchange(ref _pendingPings, current - 1, current);
            if (seen == current) return true;
            current = seen;
        }
        return false;
    }

    private static string? Text(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        _ => null,
    };

    private static byte[] Data(object? value) => value switch
    {
        byte[] bytes => bytes,
        string text => Encoding.UTF8.GetBytes(text),
        _ => [],
    };

    private static RedisException Unknown(object? reply)
    {
        string what = reply switch
        {
            null => "nil",
            RedisPush push => $"a push frame of kind '{push.Kind}' with {push.Values.Length} elements",
            object?[] array => $"an array of {array.Length} elements{(array.Length > 0 && Text(array[0]) is { } kind ? $" of kind '{kind}'" : "")}",
            _ => $"a {reply.GetType().Name} reply",
        };
        return new RedisException($"redis: unknown pubsub notification: {what}.");
    }
}
