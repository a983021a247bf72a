namespace Redis;

/// <summary>
/// A connection to a Redis server, shaped like redigo's <c>Conn</c>: commands are buffered by
/// <see cref="Send"/>, written by <see cref="Flush"/> and their replies read in order by
/// <see cref="Receive"/>; <see cref="Do"/> is all three at once.
/// </summary>
/// <remarks>
/// <para>Replies map to .NET values as follows: simple string → <see cref="string"/>; integer →
/// <see cref="long"/>; bulk string → <see cref="byte"/>[]; nil → <see langword="null"/>; array and
/// RESP3 set → <see cref="object"/>?[]; RESP3 double → <see cref="double"/>; boolean →
/// <see cref="bool"/>; big number → <see cref="System.Numerics.BigInteger"/>; verbatim string →
/// <see cref="string"/> (without its format prefix); map → <see cref="KeyValuePair{TKey,TValue}"/>[]
/// of <c>object?</c> in server order; push → <see cref="RedisPush"/>; attributes are skipped.
/// An error reply is thrown as <see cref="RedisServerException"/>; an error inside an array is that
/// exception as an element.</para>
/// <para>Like redigo, one thread may receive while another sends and flushes; nothing else may run
/// concurrently on one connection. Any I/O error, timeout, cancellation while a reply is owed or
/// protocol error breaks the connection: <see cref="Err"/> becomes non-null, the socket is closed and
/// every later call fails fast.</para>
/// </remarks>
public interface IConn : IDisposable, IAsyncDisposable
{
    /// <summary>Non-null once the connection is broken (I/O, protocol error, timeout) or closed: the first such error.</summary>
    Exception? Err { get; }

    /// <summary>
    /// Sends the command, flushes, reads every pending reply plus this one and returns the last.
    /// <c>Do("")</c> sends nothing: it flushes and returns the pending replies as an array
    /// (<see langword="null"/> without I/O when nothing is pending).
    /// </summary>
    /// <exception cref="RedisServerException">The first error reply among the replies read.</exception>
    object? Do(string command, params object?[] args);

    /// <summary>Buffers a command; it is written by the next <see cref="Flush"/> or <see cref="Do"/>.</summary>
    /// <exception cref="ArgumentException">An argument has an unsupported type; nothing was buffered.</exception>
    void Send(string command, params object?[] args);

    /// <summary>Writes the buffered commands to the server.</summary>
    void Flush();

    /// <summary>Reads one reply (or one push frame, returned as <see cref="RedisPush"/>).</summary>
    object? Receive();

    /// <summary>The asynchronous twin of <see cref="Do"/>.</summary>
    ValueTask<object?> DoAsync(string command, params object?[] args);

    /// <summary>The asynchronous twin of <see cref="Do"/>, with cancellation. Cancelling once the
    /// command is written breaks the connection (a late reply must never answer a later command).</summary>
    ValueTask<object?> DoAsync(string command, IReadOnlyList<object?> args, CancellationToken cancellationToken);

    /// <summary>The asynchronous twin of <see cref="Flush"/>.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>The asynchronous twin of <see cref="Receive"/>. Cancelling breaks the connection.</summary>
    ValueTask<object?> ReceiveAsync(CancellationToken cancellationToken = default);

    /// <summary>Closes the connection. Later calls fail; <see cref="Err"/> reports the close.</summary>
    void Close();
}
