namespace Redis;

/// <summary>
/// The optimistic-locking loop of Redis transactions: WATCH the keys, read them, queue the writes
/// between MULTI and EXEC, and start again when EXEC answers nil because a watched key changed.
/// </summary>
/// <remarks>
/// <para>A plain MULTI/EXEC needs no helper: <c>conn.Send("MULTI"); conn.Send("INCR", "a");
/// conn.Send("INCR", "b"); object?[] replies = (object?[])conn.Do("EXEC")!;</c>.</para>
/// <para>The <c>prepare</c> callback runs after WATCH on each attempt. It reads what it needs with
/// <see cref="IConn.Do"/> and returns the action that queues the writes with <see cref="IConn.Send"/>
/// (the helper sends MULTI before it and EXEC after it), or <see langword="null"/> to give up without
/// writing (the helper then sends UNWATCH and returns <see langword="null"/>). When anything throws, the
/// transaction is discarded (or the keys unwatched) before the exception propagates, so the connection
/// can be reused.</para>
/// </remarks>
/// <example>
/// <code>
/// // Move 10 from one balance to another, only if there is enough.
/// object?[]? replies = Transaction.Run(conn, ["balance:a", "balance:b"], c =>
/// {
///     long a = Reply.Int64(c.Do("GET", "balance:a"));
///     if (a &lt; 10) return null;                       // nothing is written
///     return tx =>
///     {
///         tx.Send("DECRBY", "balance:a", 10);
///         tx.Send("INCRBY", "balance:b", 10);
///     };
/// });
/// </code>
/// </example>
public static class Transaction
{
    /// <summary>The default number of attempts.</summary>
    public const int DefaultMaxAttempts = 10;

    /// <summary>
    /// Runs the WATCH / read / MULTI / writes / EXEC loop until EXEC succeeds, at most
    /// <paramref name="maxAttempts"/> times.
    /// </summary>
    /// <param name="conn">The connection (not shared with other callers while this runs).</param>
    /// <param name="watchKeys">The keys to WATCH (none: no WATCH, a single attempt).</param>
    /// <param name="prepare">Reads and returns the action queueing the writes, or <see langword="null"/> to give up.</param>
    /// <param name="maxAttempts">How many times to try before throwing <see cref="RedisWatchConflictException"/>.</param>
    /// <returns>EXEC's replies (errors of single commands are <see cref="RedisServerException"/> elements), or <see langword="null"/> when <paramref name="prepare"/> gave up.</returns>
    /// <exception cref="RedisWatchConflictException">Every attempt conflicted.</exception>
    /// <exception cref="RedisServerException">The server refused a command (EXECABORT and the like).</exception>
    public static object?[]? Run(IConn conn, IReadOnlyList<string> watchKeys, Func<IConn, Action<IConn>?> prepare, int maxAttempts = DefaultMaxAttempts)
    {
        return SyncCompletion.Result(RunCore(async: false, conn, watchKeys, prepare, null, maxAttempts, CancellationToken.None));
    }

    /// <summary>The asynchronous twin of <see cref="Run"/>: <paramref name="prepare"/> reads asynchronously; the writes are queued synchronously (Send only buffers).</summary>
    /// <returns>EXEC's replies, or <see langword="null"/> when <paramref name="prepare"/> gave up.</returns>
    /// <exception cref="RedisWatchConflictException">Every attempt conflicted.</exception>
    public static ValueTask<object?[]?> RunAsync(
        IConn conn,
        IReadOnlyList<string> watchKeys,
        Func<IConn, CancellationToken, ValueTask<Action<IConn>?>> prepare,
        int maxAttempts = DefaultMaxAttempts,
        CancellationToken cancellationToken = default)
    {
        return RunCore(async: true, conn, watchKeys, null, prepare, maxAttempts, cancellationToken);
    }

    // The loop of Run and RunAsync: exactly one of prepare and prepareAsync is set, as async says.
    private static async ValueTask<object?[]?> RunCore(
        bool async,
        IConn conn,
        IReadOnlyList<string> watchKeys,
        Func<IConn, Action<IConn>?>? prepare,
        Func<IConn, CancellationToken, ValueTask<Action<IConn>?>>? prepareAsync,
        int maxAttempts,
        CancellationToken cancellationToken)
    {
        Validate(conn, watchKeys, async ? prepareAsync! : prepare!, maxAttempts);
        object?[]? watchArgs = watchKeys.Count == 0 ? null : [.. watchKeys];
        for (int attempt = 1; attempt <= maxAttempts; attempt++)
        {
            Stage stage = Stage.Watching;
            try
            {
                if (watchArgs is not null) await Do(async, conn, "WATCH", watchArgs, cancellationToken).ConfigureAwait(false);
                Action<IConn>? queue = async
                    ? await prepareAsync!(conn, cancellationToken).ConfigureAwait(false)
                    : prepare!(conn);
                if (queue is null)
                {
                    if (watchArgs is not null) await Do(async, conn, "UNWATCH", [], cancellationToken).ConfigureAwait(false);
                    return null;
                }
                conn.Send("MULTI");
                stage = Stage.Queueing;
                queue(conn);
                stage = Stage.Executed; // EXEC ends MULTI and WATCH, whatever it answers
                object? reply = await Do(async, conn, "EXEC", [], cancellationToken).ConfigureAwait(false);
                if (reply is object?[] replies) return replies;
                if (reply is not null) throw new RedisException($"EXEC returned an unexpected {reply.GetType().Name} reply.");
                if (watchArgs is null) throw new RedisException("EXEC returned nil without a WATCH.");
            }
            catch (Exception) when (stage == Stage.Queueing || (stage == Stage.Watching && watchArgs is not null))
            {
                await Abandon(async, conn, stage == Stage.Queueing).ConfigureAwait(false);
                throw;
            }
        }
        throw new RedisWatchConflictException(maxAttempts);
    }

    private static ValueTask<object?> Do(bool async, IConn conn, string command, object?[] args, CancellationToken cancellationToken)
        => async ? conn.DoAsync(command, args, cancellationToken) : new ValueTask<object?>(conn.Do(command, args));

    private enum Stage
    {
        Watching,
        Queueing,
        Executed,
    }

    private static void Validate(IConn conn, IReadOnlyList<string> watchKeys, object prepare, int maxAttempts)
    {
        ArgumentNullException.ThrowIfNull(conn);
        ArgumentNullException.ThrowIfNull(watchKeys);
        ArgumentNullException.ThrowIfNull(prepare);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
    }

    // Best effort: leave no MULTI or WATCH behind on a connection that is still usable. DISCARD also unwatches.
    private static async ValueTask Abandon(bool async, IConn conn, bool multiSent)
    {
        if (conn.Err is not null) return;
        try
        {
            await Do(async, conn, multiSent ? "DISCARD" : "UNWATCH", [], CancellationToken.None).ConfigureAwait(false);
        }
        catch (RedisException)
        {
            // The original exception matters more; a broken connection reports itself on next use.
        }
    }
}
