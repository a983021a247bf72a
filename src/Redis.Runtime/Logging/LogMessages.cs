using Microsoft.Extensions.Logging;

namespace Redis;

/// <summary>The log entries of <see cref="LoggingConn"/>, source-generated (no formatting when the level is off).</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 1, EventName = "RedisCommand", Message = "{Connection} {Operation} {Command}{Arguments} -> {Reply} ({ElapsedMilliseconds} ms)")]
    public static partial void Command(ILogger logger, LogLevel level, string connection, string operation, string command, string arguments, string reply, double elapsedMilliseconds);

    [LoggerMessage(EventId = 2, EventName = "RedisSend", Message = "{Connection} Send {Command}{Arguments}")]
    public static partial void Send(ILogger logger, LogLevel level, string connection, string command, string arguments);

    [LoggerMessage(EventId = 3, EventName = "RedisFlush", Message = "{Connection} {Operation} ({ElapsedMilliseconds} ms)")]
    public static partial void Flush(ILogger logger, LogLevel level, string connection, string operation, double elapsedMilliseconds);

    [LoggerMessage(EventId = 4, EventName = "RedisReceive", Message = "{Connection} {Operation} -> {Reply} ({ElapsedMilliseconds} ms)")]
    public static partial void Receive(ILogger logger, LogLevel level, string connection, string operation, string reply, double elapsedMilliseconds);

    [LoggerMessage(EventId = 5, EventName = "RedisFailed", Message = "{Connection} {Operation} {Command}{Arguments} failed: {Error} ({ElapsedMilliseconds} ms)")]
    public static partial void Failed(ILogger logger, LogLevel level, Exception? exception, string connection, string operation, string command, string arguments, string error, double elapsedMilliseconds);

    [LoggerMessage(EventId = 6, EventName = "RedisClose", Message = "{Connection} Close")]
    public static partial void Close(ILogger logger, LogLevel level, string connection);
}
