namespace Redis;

/// <summary>
/// The built-in typed API: one method, sync and <c>Async</c>, for every callable command of the
/// bundled <c>commands.json</c> (Redis 7.0.15), generated from the spec when the runtime is built.
/// Get one with <see cref="RedisCommandsExtensions.Commands(IConn)"/> or <c>IRedisCommands.Create(conn)</c>.
/// </summary>
/// <remarks>
/// Names are the PascalCase of the command words (<c>ZRangeWithScores</c>, <c>ClientKill</c>); reply
/// shapes that depend on an option are separate methods (<c>Set</c> / <c>SetGet</c>). Token choices
/// are enums in <c>Redis.Commands</c>. Subscribe commands and MONITOR are not here: use
/// <see cref="PubSubConn"/>. The interface is not thread-safe beyond what its connection is.
/// </remarks>
[RedisCommands(Groups = new[]
{
    "bitmap", "cluster", "connection", "generic", "geo", "hash", "hyperloglog", "list", "pubsub",
    "scripting", "server", "set", "sorted-set", "stream", "string", "transactions",
})]
public partial interface IRedisCommands
{
    /// <summary>
    /// GET into a <see cref="RedisLease"/>: the value in an array rented from the shared pool, read from the
    /// socket straight into it when large, with no allocation per call. Null when the key does not exist.
    /// The caller owns the lease and must dispose it; its memory is valid until then (see <see cref="RedisLease"/>).
    /// </summary>
    /// <param name="key">The key to read.</param>
    /// <returns>The value, leased; or null for a missing key.</returns>
    [RedisCommand("GET")]
    RedisLease? GetLease(RedisKey key);

    /// <summary>The asynchronous twin of <see cref="GetLease(RedisKey)"/>; the caller disposes the lease.</summary>
    /// <param name="key">The key to read.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>The value, leased; or null for a missing key.</returns>
    [RedisCommand("GET")]
    ValueTask<RedisLease?> GetLeaseAsync(RedisKey key, CancellationToken cancellationToken = default);
}
