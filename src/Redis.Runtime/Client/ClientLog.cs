using Microsoft.Extensions.Logging;

namespace Redis;

/// <summary>The log entries of <see cref="RedisClient"/>, source-generated (no formatting when the level is off).</summary>
internal static partial class ClientLog
{
    [LoggerMessage(EventId = 101, EventName = "RedisClientConnected", Level = LogLevel.Information, Message = "Redis client connected to {Endpoint} (connection {Generation})")]
    public static partial void Connected(ILogger logger, string endpoint, long generation);

    [LoggerMessage(EventId = 102, EventName = "RedisClientConnectionLost", Level = LogLevel.Warning, Message = "Redis client lost its connection to {Endpoint}; {InFlight} command(s) in flight failed")]
    public static partial void ConnectionLost(ILogger logger, Exception? exception, string endpoint, int inFlight);

    [LoggerMessage(EventId = 103, EventName = "RedisClientReconnectFailed", Level = LogLevel.Warning, Message = "Redis client could not reconnect to {Endpoint} (attempt {Attempt}); next attempt in {DelayMilliseconds} ms")]
    public static partial void ReconnectFailed(ILogger logger, Exception? exception, string endpoint, int attempt, double delayMilliseconds);

    [LoggerMessage(EventId = 104, EventName = "RedisClientPushHandlerFailed", Level = LogLevel.Error, Message = "The push handler of the Redis client for {Endpoint} threw; the push was dropped")]
    public static partial void PushHandlerFailed(ILogger logger, Exception exception, string endpoint);

    [LoggerMessage(EventId = 105, EventName = "RedisClientDisposed", Level = LogLevel.Debug, Message = "Redis client for {Endpoint} disposed")]
    public static partial void Disposed(ILogger logger, string endpoint);
}
