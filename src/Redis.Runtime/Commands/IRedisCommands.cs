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
}
