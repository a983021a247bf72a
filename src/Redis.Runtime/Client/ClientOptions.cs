using Microsoft.Extensions.Logging;

namespace Redis;

/// <summary>
/// How a <see cref="RedisClient"/> behaves beyond dialing (which <see cref="DialOptions"/> covers):
/// the per-command timeout, reconnect backoff, the dedicated-connection pool, push frames and logging.
/// An immutable record: derive variants with <c>with { ... }</c>.
/// </summary>
public sealed record ClientOptions
{
    /// <summary>The defaults: 5 s command timeout, reconnect backoff from 100 ms up to 5 s, no push handler, no logger.</summary>
    public static ClientOptions Default { get; } = new();

    /// <summary>
    /// How long a caller waits for the reply to one command on the shared connection before it fails
    /// with <see cref="RedisTimeoutException"/>. The connection is kept: the late reply is read and
    /// dropped when it arrives, so no later caller can receive it. <see cref="TimeSpan.Zero"/> means no
    /// limit. Default 5 s. Commands routed to dedicated connections (blocking commands) are not bound by it.
    /// A synchronous caller measures it on its own wait; an asynchronous caller's timeout fires from a timer.
    /// It also bounds how long a caller waits for a reconnect attempt in progress.
    /// </summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the shared connection may stay completely silent (not one byte read) while replies
    /// are owed before it is declared dead, closed and replaced: a hung server or a black-holed network
    /// path would otherwise time every command out forever, since a command timeout keeps the
    /// connection. It must outlast the slowest command you run on the shared connection (a slow script
    /// holds back every reply behind it). Default 30 s; <see cref="TimeSpan.Zero"/> disables the check.
    /// Bytes arriving keep it quiet; a reply that keeps sending bytes but never completes is bounded by
    /// <see cref="ReplyTimeout"/> instead.
    /// </summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one reply may take to arrive on the shared connection once its first byte has been read
    /// while replies are owed. A reply still incomplete after that (a huge value trickled by a slow or
    /// hostile server, which keeps bytes coming so <see cref="StallTimeout"/> never fires) ends the shared
    /// connection like a stall: callers in flight get <see cref="RedisConnectionException"/> and the client
    /// reconnects. <see langword="null"/> (the default) means 4 × <see cref="CommandTimeout"/> (20 s with
    /// the defaults), or <see cref="StallTimeout"/> when there is no command timeout;
    /// <see cref="TimeSpan.Zero"/> disables the check. It is checked by the same timer as
    /// <see cref="StallTimeout"/>, so it fires within a quarter of the smaller of the two (at most 5 s) after
    /// it passes. Set it above the time your largest reply takes to transfer.
    /// </summary>
    public TimeSpan? ReplyTimeout { get; init; }

    /// <summary>The wait before the second reconnect attempt (the first is immediate); it doubles per failure. Default 100 ms.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between two reconnect attempts. Default 5 s.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most dedicated connections (blocking commands, transactions, subscriptions, leases) open at
    /// once; 0 (the default) means no limit. When reached, callers wait for one to come back.
    /// </summary>
    public int MaxDedicatedConnections { get; init; }

    /// <summary>How many idle dedicated connections are kept for reuse. Default 4.</summary>
    public int MaxIdleDedicatedConnections { get; init; } = 4;

    /// <summary>
    /// Receives RESP3 push frames (client-tracking invalidations and the like) that arrive on the shared
    /// connection; without one, <see cref="DialOptions.PushHandler"/> is used, and without either they are
    /// dropped. It runs on the client's reader thread: keep it short and never call the client
    /// synchronously from it (that would wait for the thread it runs on; such a call throws
    /// <see cref="InvalidOperationException"/>). An exception it throws is logged and ignored.
    /// </summary>
    public Action<RedisPush>? PushHandler { get; init; }

    /// <summary>
    /// Client-side caching for reads through <see cref="RedisClient.Cached(TimeSpan)"/> and
    /// <see cref="RedisClient.DoCached"/>: the shared connection turns on server-assisted tracking
    /// (<c>CLIENT TRACKING ON OPTIN</c>; on RESP2 with a REDIRECT to an invalidation connection of its own)
    /// and applies the server's invalidations as they arrive. <c>null</c> (the default): no cache.
    /// </summary>
    public CacheOptions? Cache { get; init; }

    /// <summary>Receives connection events: connected, connection lost, reconnect attempts, push handler failures. Optional.</summary>
    public ILogger? Logger { get; init; }

    internal void Validate()
    {
        if (CommandTimeout < TimeSpan.Zero && CommandTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException("CommandTimeout must not be negative.", nameof(CommandTimeout));
        }
        if (CommandTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentException("CommandTimeout is too long (at most int.MaxValue milliseconds).", nameof(CommandTimeout));
        }
        if (ReplyTimeout < TimeSpan.Zero) throw new ArgumentException("ReplyTimeout must not be negative.", nameof(ReplyTimeout));
        if (StallTimeout < TimeSpan.Zero) throw new ArgumentException("StallTimeout must not be negative.", nameof(StallTimeout));
        if (ReconnectDelay < TimeSpan.Zero) throw new ArgumentException("ReconnectDelay must not be negative.", nameof(ReconnectDelay));
        if (MaxReconnectDelay < TimeSpan.Zero) throw new ArgumentException("MaxReconnectDelay must not be negative.", nameof(MaxReconnectDelay));
        if (MaxDedicatedConnections < 0) throw new ArgumentException("MaxDedicatedConnections must not be negative.", nameof(MaxDedicatedConnections));
        Cache?.Validate();
        if (MaxIdleDedicatedConnections < 0) throw new ArgumentException("MaxIdleDedicatedConnections must not be negative.", nameof(MaxIdleDedicatedConnections));
    }

    /// <summary>The reply-duration bound in force: <see cref="ReplyTimeout"/>, or its default; zero means none.</summary>
    internal TimeSpan EffectiveReplyTimeout => ReplyTimeout
        ?? (CommandTimeout > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Min(CommandTimeout.Ticks, TimeSpan.MaxValue.Ticks / 4) * 4) : StallTimeout);

    /// <summary>The command timeout in milliseconds for waits: <see cref="Timeout.Infinite"/> when there is none.</summary>
    internal int CommandTimeoutMilliseconds => CommandTimeout <= TimeSpan.Zero
        ? Timeout.Infinite
        : (int)Math.Clamp(Math.Ceiling(CommandTimeout.TotalMilliseconds), 1, int.MaxValue);
}
