namespace Redis;

/// <summary>
/// The <see cref="IConn"/> a cluster transaction's queue action writes to: it records each
/// <see cref="Send"/> so the commands' slots can be checked before anything is sent, then they are
/// replayed on the owner's connection. Reading is refused: inside MULTI every reply is QUEUED anyway.
/// </summary>
internal sealed class CommandRecorder : IConn
{
    public List<(string Command, object?[] Args)> Commands { get; } = [];

    public Exception? Err => null;

    public void Send(string command, params object?[] args)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        using var check = new RespWriter(256);
        check.WriteCommand(command, args ?? [null]); // the argument types fail here, before anything is sent
        Commands.Add((command, args ?? [null]));
    }

    public void Replay(IConn conn)
    {
        foreach ((string command, object?[] args) in Commands) conn.Send(command, args);
    }

    public object? Do(string command, params object?[] args) => throw Refused();

    public ValueTask<object?> DoAsync(string command, params object?[] args) => throw Refused();

    public ValueTask<object?> DoAsync(string command, IReadOnlyList<object?> args, CancellationToken cancellationToken) => throw Refused();

    public void Flush()
    {
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public object? Receive() => throw Refused();

    public ValueTask<object?> ReceiveAsync(CancellationToken cancellationToken = default) => throw Refused();

    public void Close()
    {
    }

    public void Dispose()
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static InvalidOperationException Refused() => new(
        "A cluster transaction's queue action may only Send commands (they are checked for one slot, then sent between MULTI and EXEC); " +
        "read what you need before, or in the prepare step of Transaction(watchKeys, prepare).");
}
