using System.Buffers;

namespace Redis;

/// <summary>Where a command may run for <see cref="RedisClient"/>.</summary>
internal enum CommandRoute : byte
{
    /// <summary>On the shared pipelined connection.</summary>
    Shared,

    /// <summary>A blocking command (BLPOP, XREAD ... BLOCK, WAIT...): on a dedicated connection for the call.</summary>
    Blocking,

    /// <summary>MULTI, EXEC, DISCARD, WATCH, UNWATCH: refused; a transaction needs a connection of its own.</summary>
    Transaction,

    /// <summary>The SUBSCRIBE family: refused; a subscriber needs a connection of its own.</summary>
    Subscription,

    /// <summary>MONITOR: refused; it turns its connection into a stream of events.</summary>
    Monitor,

    /// <summary>SELECT, AUTH, HELLO, RESET, QUIT, CLIENT REPLY: refused; they would change the connection every caller shares.</summary>
    ConnectionState,
}

/// <summary>
/// Decides where <see cref="RedisClient"/> runs a command from its <see cref="CommandTable"/> entry: the
/// spec's <c>blocking</c> flag and the overlay's <see cref="ConnectionEffect"/>. Only a command that blocks
/// with an option (XREAD/XREADGROUP) has its arguments scanned, for <c>BLOCK</c>.
/// </summary>
internal static class CommandRouting
{
    // Stack room for the argument ranges of a typed command without a table id; longer ones rent.
    private const int StackRanges = 16;

    /// <summary>
    /// The route of <paramref name="info"/>, or null when it depends on the arguments
    /// (<see cref="ConnectionEffect.BlocksWithOption"/>).
    /// </summary>
    public static CommandRoute? ByEntry(CommandInfo info) => info.Effect switch
    {
        ConnectionEffect.Multi or ConnectionEffect.Exec or ConnectionEffect.Discard
            or ConnectionEffect.Watch or ConnectionEffect.Unwatch => CommandRoute.Transaction,
        ConnectionEffect.Subscribe or ConnectionEffect.PSubscribe or ConnectionEffect.SSubscribe
            or ConnectionEffect.Unsubscribe => CommandRoute.Subscription,
        ConnectionEffect.Monitor => CommandRoute.Monitor,
        ConnectionEffect.Select or ConnectionEffect.Identity or ConnectionEffect.Quit
            or ConnectionEffect.ClientReply => CommandRoute.ConnectionState,
        ConnectionEffect.BlocksWithOption => null,
        _ => info.IsBlocking ? CommandRoute.Blocking : CommandRoute.Shared,
    };

    /// <summary>Routes an untyped command; <paramref name="args"/> are the arguments after its name.</summary>
    public static CommandRoute Classify(CommandInfo info, ReadOnlySpan<object?> args)
        => ByEntry(info) ?? (ArgumentWords.Contains(args, "BLOCK"u8) ? CommandRoute.Blocking : CommandRoute.Shared);

    /// <summary>Routes an encoded command (its arguments include the name words).</summary>
    public static CommandRoute Classify(CommandInfo info, scoped in CommandArgs args)
        => ByEntry(info) ?? (args.Contains("BLOCK"u8, start: info.NameWords) ? CommandRoute.Blocking : CommandRoute.Shared);

    /// <summary>
    /// Routes a typed command from the bytes it wrote: its table entry (<see cref="IRespCommand.CommandId"/>,
    /// else a lookup of the name it wrote) and, for XREAD-like commands, the BLOCK scan. Bytes that are not a
    /// command array route as <see cref="CommandRoute.Shared"/>: the server answers them with an error.
    /// </summary>
    public static CommandRoute Classify<TCommand>(ReadOnlySpan<byte> encoded, out CommandInfo info) where TCommand : IRespCommand, allows ref struct
    {
        info = default;
        int count = CommandArgs.CountOf(encoded);
        if (count < 1) return CommandRoute.Shared;
        Range[]? rented = null;
        Span<Range> storage = count <= StackRanges ? stackalloc Range[StackRanges] : (rented = ArrayPool<Range>.Shared.Rent(count));
        try
        {
            CommandArgs args = CommandArgs.Parse(encoded, storage);
            info = CommandTable.Of<TCommand>(args);
            return Classify(info, args);
        }
        catch (ArgumentException)
        {
            return CommandRoute.Shared;
        }
        finally
        {
            if (rented is not null) ArrayPool<Range>.Shared.Return(rented);
        }
    }

    /// <summary>The message of the exception a refused command gets.</summary>
    public static string RefusalMessage(string command, CommandRoute route) => route switch
    {
        CommandRoute.Transaction =>
            $"{command} cannot run on the shared pipelined connection: a transaction must stay on one connection. " +
            "Use client.Transaction(...) / TransactionAsync(...), or lease a connection with client.GetDedicated() and run MULTI/EXEC on it.",
        CommandRoute.Subscription =>
            $"{command} cannot run on the shared pipelined connection: a subscriber needs a connection of its own. " +
            "Use client.CreatePubSub() (a PubSubConn over a dedicated connection).",
        CommandRoute.Monitor =>
            $"{command} cannot run on the shared pipelined connection: it turns the connection into an event stream. " +
            "Lease a connection with client.GetDedicated() and call Receive on it.",
        _ =>
            $"{command} cannot run on the shared pipelined connection: it would change the connection every caller shares. " +
            "Set it in DialOptions (Database, Password, Protocol, ClientName), or lease a connection with client.GetDedicated().",
    };
}
