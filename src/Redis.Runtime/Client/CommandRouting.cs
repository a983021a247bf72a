using System.Buffers.Text;
using System.Text;

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
/// Classifies commands for <see cref="RedisClient"/> by name (and, for XREAD/XREADGROUP and CLIENT, by
/// argument), case-insensitively and without allocating. Most commands are rejected by their length alone.
/// </summary>
internal static class CommandRouting
{
    private const int LongestName = 12; // PUNSUBSCRIBE, SUNSUBSCRIBE

    /// <summary>Classifies an untyped command.</summary>
    public static CommandRoute Classify(string command, ReadOnlySpan<object?> args)
    {
        if (command.Length < 4 || command.Length > LongestName) return CommandRoute.Shared;
        Span<byte> name = stackalloc byte[LongestName];
        if (Ascii.FromUtf16(command, name, out int written) != System.Buffers.OperationStatus.Done) return CommandRoute.Shared;
        name = name[..written];
        CommandRoute route = ClassifyName(name, out bool needsArguments);
        if (!needsArguments) return route;
        if (name.Length == 6)
        {
            // CLIENT REPLY OFF|SKIP|ON: replies would stop matching callers.
            return args.Length >= 1 && IsWord(args[0], "REPLY"u8) ? CommandRoute.ConnectionState : CommandRoute.Shared;
        }
        foreach (object? arg in args)
        {
            if (IsWord(arg, "BLOCK"u8)) return CommandRoute.Blocking;
        }
        return CommandRoute.Shared;
    }

    /// <summary>Classifies a command encoded as RESP (as <see cref="IRespCommand.WriteTo"/> writes it).</summary>
    public static CommandRoute Classify(ReadOnlySpan<byte> encoded)
    {
        int position = 0;
        if (!TryReadHeader(encoded, ref position, (byte)'*', out int count) || count < 1) return CommandRoute.Shared;
        if (!TryReadBulk(encoded, ref position, out ReadOnlySpan<byte> name)) return CommandRoute.Shared;
        if (name.Length < 4 || name.Length > LongestName) return CommandRoute.Shared;
        CommandRoute route = ClassifyName(name, out bool needsArguments);
        if (!needsArguments) return route;
        for (int i = 1; i < count; i++)
        {
            if (!TryReadBulk(encoded, ref position, out ReadOnlySpan<byte> arg)) return CommandRoute.Shared;
            if (name.Length == 6) return Ascii.EqualsIgnoreCase(arg, "REPLY"u8) ? CommandRoute.ConnectionState : CommandRoute.Shared;
            if (Ascii.EqualsIgnoreCase(arg, "BLOCK"u8)) return CommandRoute.Blocking;
        }
        return CommandRoute.Shared;
    }

    /// <summary>The command name of an encoded command (for messages), or null when it is not a command array.</summary>
    public static string? NameOf(ReadOnlySpan<byte> encoded)
    {
        int position = 0;
        if (!TryReadHeader(encoded, ref position, (byte)'*', out int count) || count < 1) return null;
        return TryReadBulk(encoded, ref position, out ReadOnlySpan<byte> name) ? Encoding.UTF8.GetString(name).ToUpperInvariant() : null;
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

    private static CommandRoute ClassifyName(ReadOnlySpan<byte> name, out bool needsArguments)
    {
        needsArguments = false;
        switch (name.Length)
        {
            case 4:
                if (Ascii.EqualsIgnoreCase(name, "WAIT"u8)) return CommandRoute.Blocking;
                if (Ascii.EqualsIgnoreCase(name, "EXEC"u8)) return CommandRoute.Transaction;
                if (Ascii.EqualsIgnoreCase(name, "AUTH"u8) || Ascii.EqualsIgnoreCase(name, "QUIT"u8)) return CommandRoute.ConnectionState;
                break;
            case 5:
                if (Ascii.EqualsIgnoreCase(name, "BLPOP"u8) || Ascii.EqualsIgnoreCase(name, "BRPOP"u8)) return CommandRoute.Blocking;
                if (Ascii.EqualsIgnoreCase(name, "XREAD"u8)) { needsArguments = true; return CommandRoute.Shared; }
                if (Ascii.EqualsIgnoreCase(name, "MULTI"u8) || Ascii.EqualsIgnoreCase(name, "WATCH"u8)) return CommandRoute.Transaction;
                if (Ascii.EqualsIgnoreCase(name, "HELLO"u8) || Ascii.EqualsIgnoreCase(name, "RESET"u8)) return CommandRoute.ConnectionState;
                break;
            case 6:
                if (Ascii.EqualsIgnoreCase(name, "BLMOVE"u8) || Ascii.EqualsIgnoreCase(name, "BLMPOP"u8) || Ascii.EqualsIgnoreCase(name, "BZMPOP"u8)) return CommandRoute.Blocking;
                if (Ascii.EqualsIgnoreCase(name, "SELECT"u8)) return CommandRoute.ConnectionState;
                if (Ascii.EqualsIgnoreCase(name, "CLIENT"u8)) { needsArguments = true; return CommandRoute.Shared; }
                break;
            case 7:
                if (Ascii.EqualsIgnoreCase(name, "WAITAOF"u8)) return CommandRoute.Blocking;
                if (Ascii.EqualsIgnoreCase(name, "DISCARD"u8) || Ascii.EqualsIgnoreCase(name, "UNWATCH"u8)) return CommandRoute.Transaction;
                if (Ascii.EqualsIgnoreCase(name, "MONITOR"u8)) return CommandRoute.Monitor;
                break;
            case 8:
                if (Ascii.EqualsIgnoreCase(name, "BZPOPMIN"u8) || Ascii.EqualsIgnoreCase(name, "BZPOPMAX"u8)) return CommandRoute.Blocking;
                break;
            case 9:
                if (Ascii.EqualsIgnoreCase(name, "SUBSCRIBE"u8)) return CommandRoute.Subscription;
                break;
            case 10:
                if (Ascii.EqualsIgnoreCase(name, "BRPOPLPUSH"u8)) return CommandRoute.Blocking;
                if (Ascii.EqualsIgnoreCase(name, "XREADGROUP"u8)) { needsArguments = true; return CommandRoute.Shared; }
                if (Ascii.EqualsIgnoreCase(name, "PSUBSCRIBE"u8) || Ascii.EqualsIgnoreCase(name, "SSUBSCRIBE"u8)) return CommandRoute.Subscription;
                break;
            case 11:
                if (Ascii.EqualsIgnoreCase(name, "UNSUBSCRIBE"u8)) return CommandRoute.Subscription;
                break;
            case 12:
                if (Ascii.EqualsIgnoreCase(name, "PUNSUBSCRIBE"u8) || Ascii.EqualsIgnoreCase(name, "SUNSUBSCRIBE"u8)) return CommandRoute.Subscription;
                break;
        }
        return CommandRoute.Shared;
    }

    private static bool IsWord(object? arg, ReadOnlySpan<byte> word) => arg switch
    {
        string s => s.Length == word.Length && Ascii.EqualsIgnoreCase(word, s),
        byte[] b => Ascii.EqualsIgnoreCase(b, word),
        ReadOnlyMemory<byte> m => Ascii.EqualsIgnoreCase(m.Span, word),
        Memory<byte> m => Ascii.EqualsIgnoreCase(m.Span, word),
        _ => false,
    };

    private static bool TryReadHeader(ReadOnlySpan<byte> encoded, ref int position, byte type, out int value)
    {
        value = 0;
        if (position >= encoded.Length || encoded[position] != type) return false;
        ReadOnlySpan<byte> rest = encoded[(position + 1)..];
        int end = rest.IndexOf((byte)'\r');
        if (end <= 0 || !Utf8Parser.TryParse(rest[..end], out value, out int consumed) || consumed != end) return false;
        position += 1 + end + 2;
        return position <= encoded.Length;
    }

    private static bool TryReadBulk(ReadOnlySpan<byte> encoded, ref int position, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!TryReadHeader(encoded, ref position, (byte)'$', out int length) || length < 0) return false;
        if (position + length > encoded.Length) return false;
        value = encoded.Slice(position, length);
        position += length + 2;
        return true;
    }
}
