using System.Diagnostics;

namespace Redis;

// The span and duration of one command on a RedisClient's shared connection. Begun by the caller's
// thread under the write lock (after the command is encoded, before it can be written, so its reply can
// never come first) and ended by whoever ends the call: the reply on the reader thread, a lost
// connection, the caller's timeout or cancellation. Nothing here runs unless someone listens.
internal abstract partial class PipelineOperation
{
    private TelemetryTarget? _telemetryTarget;   // non-null while a call is observed
    private Activity? _activity;
    private long _telemetryStart;
    private string? _operationName;

    /// <summary>Begins the span and duration of an untyped command (the caller checked <see cref="RedisTelemetry.IsEnabled"/>).</summary>
    public void BeginTelemetry(TelemetryTarget target, string command, ReadOnlySpan<object?> args)
    {
        _operationName = CommandTelemetry.OperationName(CommandTable.Find(command, args.Length > 0 ? args[0] : null), command);
        _activity = CommandTelemetry.StartActivity(target, _operationName);
        _telemetryStart = CommandTelemetry.StartTimestamp(); // after the span's creation, whose listeners' cost is not the command's
        CommandTelemetry.AddQueryText(_activity, target, command, args);
        _telemetryTarget = target;
    }

    /// <summary>Begins the span and duration of an encoded (typed) command.</summary>
    public void BeginTelemetry(TelemetryTarget target, CommandInfo info, ReadOnlySpan<byte> encoded)
    {
        _operationName = CommandTelemetry.OperationName(info, encoded);
        _activity = CommandTelemetry.StartActivity(target, _operationName);
        _telemetryStart = CommandTelemetry.StartTimestamp(); // after the span's creation, whose listeners' cost is not the command's
        CommandTelemetry.AddQueryText(_activity, target, encoded);
        _telemetryTarget = target;
    }

    /// <summary>Ends the span and records the duration; called once, by whoever ended the call.</summary>
    private protected void EndTelemetry(Exception? error)
    {
        TelemetryTarget? target = _telemetryTarget;
        if (target is null) return;
        _telemetryTarget = null;
        Activity? activity = _activity;
        _activity = null;
        CommandTelemetry.Stop(activity, _telemetryStart, target, _operationName!, error);
        _operationName = null;
    }
}
