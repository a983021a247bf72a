using System.Security.Cryptography;
using System.Text;

namespace Redis;

/// <summary>
/// A Lua script, redigo's <c>Script</c>: <see cref="Do(IConn, object?[])"/> runs it by its SHA-1 (EVALSHA) and sends the
/// source (EVAL) only when the server does not know it yet (NOSCRIPT), so the source crosses the
/// network once per server rather than on every call.
/// </summary>
/// <remarks>
/// With a key count of zero or more, it is inserted after the hash or source, so the arguments are the
/// keys then the other values. With a negative key count the caller passes the count as the first
/// argument (for scripts taking a variable number of keys). Script objects are immutable and thread-safe;
/// create them once (a <see langword="static readonly"/> field) and use them on any connection.
/// </remarks>
/// <example>
/// <code>
/// static readonly Script GetSet = new(1, "local old = redis.call('GET', KEYS[1]); redis.call('SET', KEYS[1], ARGV[1]); return old");
/// object? old = GetSet.Do(conn, "key", "new value");
/// </code>
/// </example>
public sealed class Script
{
    /// <summary>Creates a script with <paramref name="keyCount"/> keys (negative: the caller passes the count) and its Lua <paramref name="source"/>.</summary>
    public Script(int keyCount, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        KeyCount = keyCount;
        Source = source;
        Hash = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(source)));
    }

    /// <summary>The number of keys the script takes, or a negative number when each call passes it first.</summary>
    public int KeyCount { get; }

    /// <summary>The Lua source.</summary>
    public string Source { get; }

    /// <summary>The SHA-1 of the source as 40 lower-case hexadecimal digits, as SCRIPT LOAD and EVALSHA use it.</summary>
    public string Hash { get; }

    /// <summary>
    /// Runs the script: EVALSHA, then EVAL when the server answers NOSCRIPT (which also caches it there).
    /// Any other error is thrown as is.
    /// </summary>
    /// <param name="conn">The connection to run on.</param>
    /// <param name="keysAndArgs">The keys, then the other arguments (with a negative <see cref="KeyCount"/>: the key count first).</param>
    /// <returns>The script's reply.</returns>
    public object? Do(IConn conn, params object?[] keysAndArgs)
    {
        ArgumentNullException.ThrowIfNull(conn);
        return Run(conn.Do, keysAndArgs);
    }

    /// <summary>The asynchronous twin of <see cref="Do(IConn, object?[])"/>.</summary>
    public ValueTask<object?> DoAsync(IConn conn, params object?[] keysAndArgs)
        => DoAsync(conn, keysAndArgs, CancellationToken.None);

    /// <summary>The asynchronous twin of <see cref="Do(IConn, object?[])"/>, with cancellation.</summary>
    public ValueTask<object?> DoAsync(IConn conn, IReadOnlyList<object?> keysAndArgs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conn);
        return RunAsync(conn.DoAsync, keysAndArgs, cancellationToken);
    }

    /// <summary>
    /// Runs the script through a shared client (<see cref="RedisClient"/> or <see cref="RedisCluster"/>, which
    /// routes it by its keys): EVALSHA, then EVAL when that node answers NOSCRIPT (a master promoted after
    /// a failover starts with an empty script cache).
    /// </summary>
    public object? Do(IRedisClient client, params object?[] keysAndArgs)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Run(client.Do, keysAndArgs);
    }

    /// <summary>The asynchronous twin of <see cref="Do(IRedisClient, object?[])"/>.</summary>
    public ValueTask<object?> DoAsync(IRedisClient client, IReadOnlyList<object?> keysAndArgs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return RunAsync(client.DoAsync, keysAndArgs, cancellationToken);
    }

    private object? Run(Func<string, object?[], object?> run, IReadOnlyList<object?> keysAndArgs)
    {
        try
        {
            return run("EVALSHA", Arguments(Hash, keysAndArgs));
        }
        catch (RedisServerException error) when (IsNoScript(error))
        {
            return run("EVAL", Arguments(Source, keysAndArgs));
        }
    }

    private async ValueTask<object?> RunAsync(Func<string, IReadOnlyList<object?>, CancellationToken, ValueTask<object?>> run, IReadOnlyList<object?> keysAndArgs, CancellationToken cancellationToken)
    {
        try
        {
            return await run("EVALSHA", Arguments(Hash, keysAndArgs), cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException error) when (IsNoScript(error))
        {
            return await run("EVAL", Arguments(Source, keysAndArgs), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Loads the script into the server's cache (SCRIPT LOAD) so that EVALSHA finds it.</summary>
    public void Load(IConn conn)
    {
        ArgumentNullException.ThrowIfNull(conn);
        conn.Do("SCRIPT", "LOAD", Source);
    }

    /// <summary>The asynchronous twin of <see cref="Load"/>.</summary>
    public async ValueTask LoadAsync(IConn conn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conn);
        await conn.DoAsync("SCRIPT", ["LOAD", Source], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Buffers an EVAL of the script (the whole source) for a pipeline; the reply comes with <see cref="IConn.Receive"/>.</summary>
    public void Send(IConn conn, params object?[] keysAndArgs)
    {
        ArgumentNullException.ThrowIfNull(conn);
        conn.Send("EVAL", Arguments(Source, keysAndArgs));
    }

    /// <summary>
    /// Buffers an EVALSHA of the script for a pipeline, with no NOSCRIPT fallback: <see cref="Load"/> it
    /// first (or expect a NOSCRIPT error reply).
    /// </summary>
    public void SendHash(IConn conn, params object?[] keysAndArgs)
    {
        ArgumentNullException.ThrowIfNull(conn);
        conn.Send("EVALSHA", Arguments(Hash, keysAndArgs));
    }

    /// <summary>Describes the script by its hash and key count.</summary>
    public override string ToString() => $"Script({Hash}, keys {(KeyCount < 0 ? "given per call" : KeyCount)})";

    private static bool IsNoScript(RedisServerException error) => error.Prefix == "NOSCRIPT";

    private object?[] Arguments(string scriptOrHash, IReadOnlyList<object?>? keysAndArgs)
    {
        int count = keysAndArgs?.Count ?? 0;
        int extra = KeyCount >= 0 ? 2 : 1;
        var args = new object?[count + extra];
        args[0] = scriptOrHash;
        if (KeyCount >= 0) args[1] = KeyCount;
        for (int i = 0; i < count; i++) args[extra + i] = keysAndArgs![i];
        return args;
    }
}
