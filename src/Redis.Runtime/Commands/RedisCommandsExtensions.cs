namespace Redis;

/// <summary>Gets the built-in typed command API (<see cref="IRedisCommands"/>) for a connection or executor.</summary>
public static class RedisCommandsExtensions
{
    /// <summary>
    /// The typed API over <paramref name="conn"/>: <c>conn.Commands().Set("k", "v")</c>. Each call
    /// allocates one small object; keep the instance when calling it in a loop.
    /// </summary>
    /// <param name="conn">The connection the commands are sent on; it is not disposed by the result.</param>
    /// <returns>The typed command API over <paramref name="conn"/>.</returns>
    public static IRedisCommands Commands(this IConn conn)
    {
        ArgumentNullException.ThrowIfNull(conn);
        return IRedisCommands.Create(conn);
    }

    /// <summary>
    /// The typed API over <paramref name="executor"/>. Each call allocates one small object; keep the
    /// instance when calling it in a loop.
    /// </summary>
    /// <param name="executor">Runs the typed commands.</param>
    /// <returns>The typed command API over <paramref name="executor"/>.</returns>
    public static IRedisCommands Commands(this IRespExecutor executor) => IRedisCommands.Create(executor);
}
