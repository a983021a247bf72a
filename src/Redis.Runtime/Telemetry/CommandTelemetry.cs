using System.Diagnostics;
using System.Text;

namespace Redis;

/// <summary>
/// Starts and ends the span and the duration measurement of one operation. Called only after
/// <see cref="RedisTelemetry.IsEnabled"/> said someone listens, so nothing here is on the path of a client
/// nobody observes.
/// </summary>
internal static class CommandTelemetry
{
    // db.system.name is given at creation time, as the conventions ask (samplers see it).
    private static readonly KeyValuePair<string, object?>[] CreationTags = [new(RedisTelemetry.DbSystemName, RedisTelemetry.DbSystemValue)];

    // Query text is for reading, not for replaying: long values and argument lists are cut.
    private static readonly LoggingOptions QueryTextFormat = new() { MaxStringLength = 128, MaxArrayItems = 32 };

    /// <summary>The timestamp to measure the duration from, or 0 when the histogram is off.</summary>
    public static long StartTimestamp() => RedisTelemetry.Duration.Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>
    /// Starts a Client span named <paramref name="operationName"/> (null when no listener records it) without
    /// making it <see cref="Activity.Current"/>: the caller's context is unchanged after the call returns, and
    /// the span may end on another thread (a <see cref="RedisClient"/>'s reader).
    /// </summary>
    public static Activity? StartActivity(TelemetryTarget target, string operationName)
    {
        if (!RedisTelemetry.Source.HasListeners()) return null;
        Activity? previous = Activity.Current;
        Activity? activity = RedisTelemetry.Source.StartActivity(operationName, ActivityKind.Client, parentContext: default, tags: CreationTags);
        if (activity is null) return null;
        Activity.Current = previous;
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(RedisTelemetry.DbOperationName, operationName);
            activity.SetTag(RedisTelemetry.DbNamespace, target.Namespace);
            activity.SetTag(RedisTelemetry.ServerAddress, target.Address);
            if (target.Port is not null) activity.SetTag(RedisTelemetry.ServerPort, target.Port);
        }
        return activity;
    }

    /// <summary>Ends the span (status and error attributes from <paramref name="error"/>) and records the duration.</summary>
    public static void Stop(Activity? activity, long startTimestamp, TelemetryTarget target, string operationName, Exception? error, int batchSize = 1)
    {
        string? status = (error as RedisServerException)?.Prefix;
        string? errorType = error is null ? null : status ?? error.GetType().FullName;
        if (activity is not null)
        {
            if (activity.IsAllDataRequested)
            {
                if (batchSize >= 2) activity.SetTag(RedisTelemetry.DbOperationBatchSize, batchSize);
                if (status is not null) activity.SetTag(RedisTelemetry.DbResponseStatusCode, status);
                if (errorType is not null) activity.SetTag(RedisTelemetry.ErrorType, errorType);
            }
            // No description: a server's error message may quote arguments ("unknown command ... with args").
            if (error is not null) activity.SetStatus(ActivityStatusCode.Error);
            // Stop makes the span's parent current on this thread; the thread's own context is kept instead.
            Activity? current = Activity.Current;
            activity.Stop();
            if (Activity.Current != current) Activity.Current = current;
        }
        if (startTimestamp != 0 && RedisTelemetry.Duration.Enabled)
        {
            var tags = new TagList();
            target.AddTo(ref tags);
            tags.Add(RedisTelemetry.DbOperationName, operationName);
            if (status is not null) tags.Add(RedisTelemetry.DbResponseStatusCode, status);
            if (errorType is not null) tags.Add(RedisTelemetry.ErrorType, errorType);
            RedisTelemetry.Duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
        }
    }

    /// <summary>The operation name of an untyped command: the table's name (<c>CONFIG SET</c>), else the word upper-cased.</summary>
    public static string OperationName(CommandInfo info, string command)
        => info.IsKnown && !info.IsContainer ? info.Name : IsUpper(command) ? command : command.ToUpperInvariant();

    /// <summary>The operation name of an encoded command (RESP array of bulk strings).</summary>
    public static string OperationName(CommandInfo info, ReadOnlySpan<byte> encoded)
    {
        if (info.IsKnown && !info.IsContainer) return info.Name;
        object?[]? words = Decode(encoded);
        if (words is not { Length: > 0 } || words[0] is not byte[] name) return "UNKNOWN";
        info = CommandTable.Find(name, words.Length > 1 && words[1] is byte[] sub ? sub : default);
        return info.IsKnown && !info.IsContainer ? info.Name : Encoding.UTF8.GetString(name).ToUpperInvariant();
    }

    /// <summary>Adds <see cref="RedisTelemetry.DbQueryText"/> for an untyped command, when opted in, secrets masked.</summary>
    public static void AddQueryText(Activity? activity, TelemetryTarget target, string command, ReadOnlySpan<object?> args)
    {
        if (activity is null || !target.TraceQueryText || !activity.IsAllDataRequested) return;
        activity.SetTag(RedisTelemetry.DbQueryText, QueryText(command, args.ToArray()));
    }

    /// <summary>Adds <see cref="RedisTelemetry.DbQueryText"/> for an encoded command, when opted in, secrets masked.</summary>
    public static void AddQueryText(Activity? activity, TelemetryTarget target, ReadOnlySpan<byte> encoded)
    {
        if (activity is null || !target.TraceQueryText || !activity.IsAllDataRequested) return;
        activity.SetTag(RedisTelemetry.DbQueryText, QueryText(encoded));
    }

    /// <summary>The command as text (<c>SET "k" "v"</c>): values cut when long, secrets masked by the command table's rules.</summary>
    public static string QueryText(string command, object?[] args)
    {
        CommandInfo info = CommandTable.Find(command, args.Length > 0 ? args[0] : null);
        return command + LogFormatter.Arguments(info, args, QueryTextFormat);
    }

    /// <summary>The text of an encoded command (RESP array of bulk strings), as <see cref="QueryText(string, object?[])"/>.</summary>
    public static string QueryText(ReadOnlySpan<byte> encoded)
    {
        object?[]? words = Decode(encoded);
        if (words is not { Length: > 0 } || words[0] is not byte[] name) return "";
        object?[] args = words[1..];
        CommandInfo info = CommandTable.Find(name, args.Length > 0 && args[0] is byte[] sub ? sub : default);
        return Encoding.UTF8.GetString(name) + LogFormatter.Arguments(info, args, QueryTextFormat);
    }

    private static object?[]? Decode(ReadOnlySpan<byte> encoded)
    {
        try
        {
            var reader = new RespReader(encoded);
            return reader.ReadObject() as object?[];
        }
        catch (RedisException)
        {
            return null;
        }
    }

    private static bool IsUpper(string command)
    {
        foreach (char c in command)
        {
            if (c is >= 'a' and <= 'z') return false;
        }
        return true;
    }
}
