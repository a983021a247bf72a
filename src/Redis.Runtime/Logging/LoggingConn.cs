using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Redis;

/// <summary>
/// A connection that logs every call to an <see cref="ILogger"/> and forwards it to the connection it
/// wraps. See <see cref="LoggingConnExtensions.WithLogging"/>.
/// </summary>
internal sealed class LoggingConn : IConnWithTimeout, IRespExecutor
{
    private static readonly object?[] NoArgs = [];

    private readonly IConn _inner;
    private readonly IRespExecutor _executor;
    private readonly ILogger _logger;
    private readonly LoggingOptions _options;
    private readonly LogLevel _level;
    private RespWriter? _scratch;

    // A command with secrets was sent with Send: what Receive reads is hidden until the next Do reads everything.
    private volatile bool _hideReceived;

    public LoggingConn(IConn inner, ILogger logger, LoggingOptions options)
    {
        _inner = inner;
        _executor = RespExecutor.For(inner);
        _logger = logger;
        _options = options;
        _level = options.Level;
    }

    public Exception? Err => _inner.Err;

    private string Name => _options.Name ?? _inner.ToString() ?? "redis";

    public object? Do(string command, params object?[] args)
    {
        args ??= [null];
        if (!IsEnabled(command))
        {
            _hideReceived = false;
            return _inner.Do(command, args);
        }
        bool hidePending = TakeHidden();
        long start = Stopwatch.GetTimestamp();
        object? reply;
        try
        {
            reply = _inner.Do(command, args);
        }
        catch (Exception ex)
        {
            LogFailure("Do", command, args, hidePending, ex, start);
            throw;
        }
        LogCommand("Do", command, args, hidePending, reply, start);
        return reply;
    }

    public ValueTask<object?> DoAsync(string command, params object?[] args)
        => DoAsync(command, args ?? [null], CancellationToken.None);

    public ValueTask<object?> DoAsync(string command, IReadOnlyList<object?> args, CancellationToken cancellationToken)
    {
        if (!IsEnabled(command))
        {
            _hideReceived = false;
            return _inner.DoAsync(command, args, cancellationToken);
        }
        return LoggedDoAsync(command, args, cancellationToken);
    }

    private async ValueTask<object?> LoggedDoAsync(string command, IReadOnlyList<object?> args, CancellationToken cancellationToken)
    {
        bool hidePending = TakeHidden();
        long start = Stopwatch.GetTimestamp();
        object? reply;
        try
        {
            reply = await _inner.DoAsync(command, args, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogFailure("DoAsync", command, args, hidePending, ex, start);
            throw;
        }
        LogCommand("DoAsync", command, args, hidePending, reply, start);
        return reply;
    }

    public object? DoWithTimeout(TimeSpan timeout, string command, params object?[] args)
    {
        IConnWithTimeout inner = InnerWithTimeout();
        args ??= [null];
        if (!IsEnabled(command))
        {
            _hideReceived = false;
            return inner.DoWithTimeout(timeout, command, args);
        }
        bool hidePending = TakeHidden();
        string operation = Timed("DoWithTimeout", timeout);
        long start = Stopwatch.GetTimestamp();
        object? reply;
        try
        {
            reply = inner.DoWithTimeout(timeout, command, args);
        }
        catch (Exception ex)
        {
            LogFailure(operation, command, args, hidePending, ex, start);
            throw;
        }
        LogCommand(operation, command, args, hidePending, reply, start);
        return reply;
    }

    public ValueTask<object?> DoWithTimeoutAsync(TimeSpan timeout, string command, IReadOnlyList<object?> args, CancellationToken cancellationToken = default)
    {
        IConnWithTimeout inner = InnerWithTimeout();
        if (!IsEnabled(command))
        {
            _hideReceived = false;
            return inner.DoWithTimeoutAsync(timeout, command, args, cancellationToken);
        }
        return LoggedDoWithTimeoutAsync(inner, timeout, command, args, cancellationToken);
    }

    private async ValueTask<object?> LoggedDoWithTimeoutAsync(IConnWithTimeout inner, TimeSpan timeout, string command, IReadOnlyList<object?> args, CancellationToken cancellationToken)
    {
        bool hidePending = TakeHidden();
        string operation = Timed("DoWithTimeoutAsync", timeout);
        long start = Stopwatch.GetTimestamp();
        object? reply;
        try
        {
            reply = await inner.DoWithTimeoutAsync(timeout, command, args, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogFailure(operation, command, args, hidePending, ex, start);
            throw;
        }
        LogCommand(operation, command, args, hidePending, reply, start);
        return reply;
    }

    public void Send(string command, params object?[] args)
    {
        args ??= [null];
        CommandInfo info = Lookup(command, args);
        if (IsEnabled(command))
        {
            long start = Stopwatch.GetTimestamp();
            try
            {
                _inner.Send(command, args);
            }
            catch (Exception ex)
            {
                LogFailure("Send", command, args, hidePending: false, ex, start);
                throw;
            }
            LogMessages.Send(_logger, _level, Name, command, LogFormatter.Arguments(info, args, _options));
        }
        else
        {
            _inner.Send(command, args);
        }
        if (Redaction.IsSensitive(info, args)) _hideReceived = true;
    }

    public void Flush()
    {
        if (!_logger.IsEnabled(_level))
        {
            _inner.Flush();
            return;
        }
        long start = Stopwatch.GetTimestamp();
        try
        {
            _inner.Flush();
        }
        catch (Exception ex)
        {
            LogFailure("Flush", string.Empty, NoArgs, hidePending: false, ex, start);
            throw;
        }
        LogMessages.Flush(_logger, _level, Name, "Flush", Elapsed(start));
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
        => _logger.IsEnabled(_level) ? LoggedFlushAsync(cancellationToken) : _inner.FlushAsync(cancellationToken);

    private async ValueTask LoggedFlushAsync(CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogFailure("FlushAsync", string.Empty, NoArgs, hidePending: false, ex, start);
            throw;
        }
        LogMessages.Flush(_logger, _level, Name, "FlushAsync", Elapsed(start));
    }

    public object? Receive()
    {
        if (!_logger.IsEnabled(_level)) return _inner.Receive();
        long start = Stopwatch.GetTimestamp();
        object? reply;
        try
        {
            reply = _inner.Receive();
        }
        catch (Exception ex)
        {
            LogFailure("Receive", string.Empty, NoArgs, _hideReceived, ex, start);
            throw;
        }
        LogReceived("Receive", reply, start);
        return reply;
    }

    public ValueTask<object?> ReceiveAsync(CancellationToken cancellationToken = default)
        => _logger.IsEnabled(_level) ? LoggedReceiveAsync(cancellationToken) : _inner.ReceiveAsync(cancellationToken);

    private async ValueTask<object?> LoggedReceiveAsync(CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        object? reply;
        try
        {
            reply = await _inner.ReceiveAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogFailure("ReceiveAsync", string.Empty, NoArgs, _hideReceived, ex, start);
            throw;
        }
        LogReceived("ReceiveAsync", reply, start);
        return reply;
    }

    public object? ReceiveWithTimeout(TimeSpan timeout)
    {
        IConnWithTimeout inner = InnerWithTimeout();
        if (!_logger.IsEnabled(_level)) return inner.ReceiveWithTimeout(timeout);
        string operation = Timed("ReceiveWithTimeout", timeout);
        long start = Stopwatch.GetTimestamp();
        object? reply;
        try
        {
            reply = inner.ReceiveWithTimeout(timeout);
        }
        catch (Exception ex)
        {
            LogFailure(operation, string.Empty, NoArgs, _hideReceived, ex, start);
            throw;
        }
        LogReceived(operation, reply, start);
        return reply;
    }

    public ValueTask<object?> ReceiveWithTimeoutAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        IConnWithTimeout inner = InnerWithTimeout();
        return _logger.IsEnabled(_level)
            ? LoggedReceiveWithTimeoutAsync(inner, timeout, cancellationToken)
            : inner.ReceiveWithTimeoutAsync(timeout, cancellationToken);
    }

    private async ValueTask<object?> LoggedReceiveWithTimeoutAsync(IConnWithTimeout inner, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string operation = Timed("ReceiveWithTimeoutAsync", timeout);
        long start = Stopwatch.GetTimestamp();
        object? reply;
        try
        {
            reply = await inner.ReceiveWithTimeoutAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogFailure(operation, string.Empty, NoArgs, _hideReceived, ex, start);
            throw;
        }
        LogReceived(operation, reply, start);
        return reply;
    }

    public TResult Execute<TCommand, TParser, TResult>(in TCommand command, in TParser parser)
        where TCommand : struct, IRespCommand, allows ref struct
        where TParser : struct, IRespParser<TResult>
    {
        if (!_logger.IsEnabled(_level))
        {
            _hideReceived = false;
            return _executor.Execute<TCommand, TParser, TResult>(command, parser);
        }
        if (!TryDescribe(command, out string name, out object?[] args, out CommandInfo info))
        {
            _hideReceived = false;
            return _executor.Execute<TCommand, TParser, TResult>(command, parser);
        }
        bool hidePending = TakeHidden();
        long start = Stopwatch.GetTimestamp();
        TResult result;
        try
        {
            result = _executor.Execute<TCommand, TParser, TResult>(command, parser);
        }
        catch (Exception ex)
        {
            LogFailure("Execute", name, info, args, hidePending, ex, start);
            throw;
        }
        LogCommand("Execute", name, info, args, hidePending, result, start);
        return result;
    }

    public ValueTask<TResult> ExecuteAsync<TCommand, TParser, TResult>(TCommand command, TParser parser, CancellationToken cancellationToken = default)
        where TCommand : struct, IRespCommand
        where TParser : struct, IRespParser<TResult>
    {
        if (!_logger.IsEnabled(_level))
        {
            _hideReceived = false;
            return _executor.ExecuteAsync<TCommand, TParser, TResult>(command, parser, cancellationToken);
        }
        if (!TryDescribe(command, out string name, out object?[] args, out CommandInfo info))
        {
            _hideReceived = false;
            return _executor.ExecuteAsync<TCommand, TParser, TResult>(command, parser, cancellationToken);
        }
        return LoggedExecuteAsync<TCommand, TParser, TResult>(command, parser, name, info, args, cancellationToken);
    }

    private async ValueTask<TResult> LoggedExecuteAsync<TCommand, TParser, TResult>(TCommand command, TParser parser, string name, CommandInfo info, object?[] args, CancellationToken cancellationToken)
        where TCommand : struct, IRespCommand
        where TParser : struct, IRespParser<TResult>
    {
        bool hidePending = TakeHidden();
        long start = Stopwatch.GetTimestamp();
        TResult result;
        try
        {
            result = await _executor.ExecuteAsync<TCommand, TParser, TResult>(command, parser, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogFailure("ExecuteAsync", name, info, args, hidePending, ex, start);
            throw;
        }
        LogCommand("ExecuteAsync", name, info, args, hidePending, result, start);
        return result;
    }

    public void Close()
    {
        if (_logger.IsEnabled(_level)) LogMessages.Close(_logger, _level, Name);
        _inner.Close();
    }

    public void Dispose() => Close();

    public ValueTask DisposeAsync()
    {
        if (_logger.IsEnabled(_level)) LogMessages.Close(_logger, _level, Name);
        return _inner.DisposeAsync();
    }

    public override string ToString() => $"LoggingConn({_inner})";

    private bool IsEnabled(string command)
        => _logger.IsEnabled(_level) && (_options.Filter is not { } filter || command is null || filter(command));

    private bool TakeHidden()
    {
        bool hidden = _hideReceived;
        _hideReceived = false;
        return hidden;
    }

    private IConnWithTimeout InnerWithTimeout() => _inner as IConnWithTimeout
        ?? throw new NotSupportedException($"The logged connection ({_inner.GetType().Name}) does not support per-call timeouts (IConnWithTimeout).");

    // The table entry of an untyped command (its first argument is a container's subcommand).
    private static CommandInfo Lookup(string? command, IReadOnlyList<object?> args)
        => command is null ? default : CommandTable.Find(command, args.Count > 0 ? args[0] : null);

    private void LogCommand(string operation, string command, IReadOnlyList<object?> args, bool hidePending, object? reply, long start)
        => LogCommand(operation, command, Lookup(command, args), args, hidePending, reply, start);

    private void LogCommand(string operation, string command, CommandInfo info, IReadOnlyList<object?> args, bool hidePending, object? reply, long start)
    {
        string shownReply;
        if (command.Length == 0 && hidePending) shownReply = Redaction.Mask; // Do("") shows the replies of earlier sends
        else if (Redaction.HidesReply(info)) shownReply = LogFormatter.Value(Redaction.RedactReply(info, reply), _options);
        else shownReply = LogFormatter.Value(reply, _options);
        LogMessages.Command(_logger, _level, Name, operation, command.Length == 0 ? "\"\"" : command, LogFormatter.Arguments(info, args, _options), shownReply, Elapsed(start));
    }

    private void LogReceived(string operation, object? reply, long start)
    {
        string shownReply = _hideReceived ? Redaction.Mask : LogFormatter.Value(reply, _options);
        LogMessages.Receive(_logger, _level, Name, operation, shownReply, Elapsed(start));
    }

    // The error of a command with secrets (or of a reply that may belong to one) is logged by kind only:
    // some servers echo arguments in error messages.
    private void LogFailure(string operation, string command, IReadOnlyList<object?> args, bool hidePending, Exception ex, long start)
        => LogFailure(operation, command ?? string.Empty, Lookup(command, args), args, hidePending, ex, start);

    private void LogFailure(string operation, string command, CommandInfo info, IReadOnlyList<object?> args, bool hidePending, Exception ex, long start)
    {
        bool secret = hidePending || (command.Length > 0 && Redaction.IsSensitive(info, args));
        string error = secret
            ? ex is RedisServerException server ? $"{nameof(RedisServerException)} {server.Prefix} (message redacted)" : $"{ex.GetType().Name} (message redacted)"
            : $"{ex.GetType().Name}: {ex.Message}";
        LogMessages.Failed(_logger, _level, secret ? null : ex, Name, operation, command, command.Length == 0 ? string.Empty : LogFormatter.Arguments(info, args, _options), error, Elapsed(start));
    }

    // What a typed command to log is: its name, arguments and table entry; false when the filter leaves it
    // out. A command carrying its table id is named and classified from the table, so the filter is asked
    // before anything is rendered; its bytes are read only for the arguments the log entry shows.
    private bool TryDescribe<TCommand>(in TCommand command, out string name, out object?[] args, out CommandInfo info)
        where TCommand : struct, IRespCommand, allows ref struct
    {
        info = CommandTable.Of<TCommand>();
        string? known = info.IsKnown ? FirstWord(info.Name) : null;
        if (known is not null && !Passes(known))
        {
            (name, args) = (known, NoArgs);
            return false;
        }
        (string rendered, args) = Render(command);
        name = known ?? rendered;
        if (known is not null) return true;
        info = CommandTable.Find(rendered, args.Length > 0 ? args[0] : null);
        return Passes(name);
    }

    private bool Passes(string command) => _options.Filter is not { } filter || filter(command);

    // The first word of a table name: "CLIENT" of "CLIENT KILL", as Do takes it.
    private static string FirstWord(string name)
    {
        int space = name.IndexOf(' ');
        return space < 0 ? name : name[..space];
    }

    // Renders a typed command to read its name and arguments (only when it will be logged).
    private (string Name, object?[] Args) Render<TCommand>(in TCommand command) where TCommand : struct, IRespCommand, allows ref struct
    {
        RespWriter scratch = _scratch ??= new RespWriter(256);
        scratch.Reset();
        try
        {
            command.WriteTo(scratch);
            var reader = new RespReader(scratch.WrittenSpan);
            if (reader.ReadObject() is object?[] { Length: > 0 } parts && parts[0] is byte[] name)
            {
                return (Encoding.UTF8.GetString(name), parts[1..]);
            }
        }
        catch (Exception)
        {
            // The executor writes the command again and reports the failure.
        }
        finally
        {
            scratch.Reset();
        }
        return (typeof(TCommand).Name, NoArgs);
    }

    private static string Timed(string operation, TimeSpan timeout)
        => string.Create(CultureInfo.InvariantCulture, $"{operation}({timeout.TotalMilliseconds} ms)");

    private static double Elapsed(long start) => Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 3);
}
