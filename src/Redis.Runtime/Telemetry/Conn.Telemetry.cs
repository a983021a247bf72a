using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Redis;

// Spans and durations of a Conn's commands. Each public entry point has one line: when someone listens
// (and the connection was dialed, so it knows its server), the call goes through a traced twin here that
// runs the same method again with _tracing set, so the command code itself is untouched.
//
// Pipelines: commands buffered with Send form one span, begun at the first Send while no traced pipeline
// is open and ended when the reply of the last one is read (Receive bringing Pending to zero, or a Do,
// whose command joins it). One command alone is a plain span named after it; two or more are PIPELINE
// with db.operation.batch.size. A pipeline's span ends with the first error reply's prefix, or with the
// failure that broke the connection. Sent (un)subscribe commands are not traced (see TraceSend).
public sealed partial class Conn
{
    private TelemetryTarget? _telemetryTarget;   // set after a dial's handshake: the handshake is not traced
    private bool _tracing;                        // a traced twin is running the call: do not trace it again
    private TracedPipeline? _pipeline;            // the Send pipeline being traced

    private sealed class TracedPipeline
    {
        public Activity? Activity;
        public long Start;
        public string Name = "";
        public int Count;
        public RedisServerException? FirstError;
        public List<string>? Texts;
    }

    /// <summary>Turns tracing on for this connection (after its handshake): its server's attributes.</summary>
    // Built here rather than by the dialer so the connection layer never names a telemetry type.
    internal void EnableTelemetry(string network, string host, int port, DialOptions options)
        => _telemetryTarget = TelemetryTarget.For(network, host, port, options);

    private bool Traced
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _telemetryTarget is not null && !_tracing && RedisTelemetry.IsEnabled;
    }

    private object? DoTraced(string command, object?[]? args)
    {
        args ??= [null];
        TracedPipeline? pipeline = Join(command, args);
        _tracing = true;
        try
        {
            object? reply = Do(command, args);
            if (pipeline is not null) End(pipeline, reply is object?[] replies && command.Length == 0 ? FirstError(replies) : null);
            return reply;
        }
        catch (Exception ex)
        {
            if (pipeline is not null) End(pipeline, ex);
            throw;
        }
        finally
        {
            _tracing = false;
        }
    }

    private async ValueTask<object?> DoTracedAsync(string command, IReadOnlyList<object?> args, CancellationToken cancellationToken)
    {
        TracedPipeline? pipeline = Join(command, args as object?[] ?? [.. args]);
        ValueTask<object?> call;
        _tracing = true;
        try
        {
            call = DoAsync(command, args, cancellationToken); // its checks run now; _tracing is read only there
        }
        finally
        {
            _tracing = false;
        }
        try
        {
            object? reply = await call.ConfigureAwait(false);
            if (pipeline is not null) End(pipeline, reply is object?[] replies && command.Length == 0 ? FirstError(replies) : null);
            return reply;
        }
        catch (Exception ex)
        {
            if (pipeline is not null) End(pipeline, ex);
            throw;
        }
    }

    private TResult ExecuteTraced<TCommand, TParser, TResult>(scoped in TCommand command, in TParser parser)
        where TCommand : struct, IRespCommand, allows ref struct
        where TParser : struct, IRespParser<TResult>
    {
        TracedPipeline pipeline = JoinTyped(command);
        _tracing = true;
        try
        {
            TResult result = Execute<TCommand, TParser, TResult>(command, parser);
            End(pipeline, null);
            return result;
        }
        catch (Exception ex)
        {
            End(pipeline, ex);
            throw;
        }
        finally
        {
            _tracing = false;
        }
    }

    private async ValueTask<TResult> ExecuteTracedAsync<TCommand, TParser, TResult>(TCommand command, TParser parser, CancellationToken cancellationToken)
        where TCommand : struct, IRespCommand
        where TParser : struct, IRespParser<TResult>
    {
        TracedPipeline pipeline = JoinTyped(command);
        ValueTask<TResult> call;
        _tracing = true;
        try
        {
            call = ExecuteAsync<TCommand, TParser, TResult>(command, parser, cancellationToken);
        }
        finally
        {
            _tracing = false;
        }
        try
        {
            TResult result = await call.ConfigureAwait(false);
            End(pipeline, null);
            return result;
        }
        catch (Exception ex)
        {
            End(pipeline, ex);
            throw;
        }
    }

    // Send: opens the traced pipeline or adds to it.
    private void TraceSend(string command, object?[] args)
    {
        CommandInfo info = CommandTable.Find(command, args.Length > 0 ? args[0] : null);
        // (Un)subscribe commands are answered by one message per channel, read among the published
        // messages by a receiving loop that may wait for ever: they are not timed.
        if (info.Effect is ConnectionEffect.Subscribe or ConnectionEffect.PSubscribe or ConnectionEffect.SSubscribe
            or ConnectionEffect.Unsubscribe or ConnectionEffect.Monitor) return;
        string name = CommandTelemetry.OperationName(info, command);
        Add(_pipeline ??= Open(name), name, command, args);
    }

    // Receive and ReceiveAsync of a traced pipeline: each reply read counts, the last one ends it.
    private object? ReceiveTraced()
    {
        _tracing = true;
        object? reply;
        try
        {
            reply = Receive();
        }
        catch (RedisServerException error)
        {
            Received(error);
            throw;
        }
        catch (Exception ex)
        {
            Failed(ex);
            throw;
        }
        finally
        {
            _tracing = false;
        }
        Received(null);
        return reply;
    }

    private async ValueTask<object?> ReceiveTracedAsync(CancellationToken cancellationToken)
    {
        ValueTask<object?> call;
        _tracing = true;
        try
        {
            call = ReceiveAsync(cancellationToken);
        }
        finally
        {
            _tracing = false;
        }
        object? reply;
        try
        {
            reply = await call.ConfigureAwait(false);
        }
        catch (RedisServerException error)
        {
            Received(error);
            throw;
        }
        catch (Exception ex)
        {
            Failed(ex);
            throw;
        }
        Received(null);
        return reply;
    }

    private void Received(RedisServerException? error)
    {
        TracedPipeline? pipeline = _pipeline;
        if (pipeline is null) return;
        if (error is not null) pipeline.FirstError ??= error;
        if (Pending == 0 && Interlocked.CompareExchange(ref _pipeline, null, pipeline) == pipeline) End(pipeline, pipeline.FirstError);
    }

    private void Failed(Exception error)
    {
        TracedPipeline? pipeline = Interlocked.Exchange(ref _pipeline, null);
        if (pipeline is not null) End(pipeline, error);
    }

    // The span a Do or typed call belongs to: the open pipeline (which it ends), or a new one of its own.
    private TracedPipeline? Join(string command, object?[] args)
    {
        TracedPipeline? pipeline = Interlocked.Exchange(ref _pipeline, null);
        if (command.Length == 0) return pipeline; // Do(""): reads the pipeline's replies, sends nothing
        string name = NameOf(command, args);
        pipeline ??= Open(name);
        Add(pipeline, name, command, args);
        return pipeline;
    }

    private TracedPipeline JoinTyped<TCommand>(scoped in TCommand command) where TCommand : struct, IRespCommand, allows ref struct
    {
        CommandInfo info = CommandTable.Of<TCommand>();
        bool withText = _telemetryTarget!.TraceQueryText && RedisTelemetry.Source.HasListeners();
        string name;
        string? text = null;
        if (info.IsKnown && !withText)
        {
            name = CommandTelemetry.OperationName(info, default(ReadOnlySpan<byte>));
        }
        else
        {
            // Only when the name must be read from the bytes or the text was asked for: encode it once more aside.
            var scratch = new RespWriter(256);
            command.WriteTo(scratch);
            name = CommandTelemetry.OperationName(info, scratch.WrittenSpan);
            if (withText) text = CommandTelemetry.QueryText(scratch.WrittenSpan);
        }
        TracedPipeline pipeline = Interlocked.Exchange(ref _pipeline, null) ?? Open(name);
        AddName(pipeline, name);
        if (text is not null && pipeline.Activity is not null) (pipeline.Texts ??= []).Add(text);
        return pipeline;
    }

    private TracedPipeline Open(string name)
    {
        Activity? activity = CommandTelemetry.StartActivity(_telemetryTarget!, name);
        return new TracedPipeline { Activity = activity, Start = CommandTelemetry.StartTimestamp() };
    }

    private static string NameOf(string command, object?[] args)
        => CommandTelemetry.OperationName(CommandTable.Find(command, args.Length > 0 ? args[0] : null), command);

    private void Add(TracedPipeline pipeline, string name, string command, object?[] args)
    {
        AddName(pipeline, name);
        if (pipeline.Activity is not null && _telemetryTarget!.TraceQueryText && (pipeline.Texts?.Count ?? 0) < 32)
        {
            (pipeline.Texts ??= []).Add(CommandTelemetry.QueryText(command, args));
        }
    }

    private static void AddName(TracedPipeline pipeline, string name)
    {
        if (pipeline.Count++ == 0) pipeline.Name = name;
    }

    private void End(TracedPipeline pipeline, Exception? error)
    {
        string name = pipeline.Count >= 2 ? RedisTelemetry.PipelineOperationName : pipeline.Name;
        if (pipeline.Activity is { } activity)
        {
            if (pipeline.Count >= 2) activity.DisplayName = name;
            if (activity.IsAllDataRequested)
            {
                if (pipeline.Count >= 2) activity.SetTag(RedisTelemetry.DbOperationName, name);
                if (pipeline.Texts is { Count: > 0 } texts) activity.SetTag(RedisTelemetry.DbQueryText, string.Join("; ", texts));
            }
        }
        CommandTelemetry.Stop(pipeline.Activity, pipeline.Start, _telemetryTarget!, name, error, pipeline.Count);
    }

    private static RedisServerException? FirstError(object?[] replies)
    {
        foreach (object? reply in replies)
        {
            if (reply is RedisServerException error) return error;
        }
        return null;
    }
}
