using System.Text;

namespace Redis;

/// <summary>The connection state a pooled connection must undo (or cannot undo) before reuse.</summary>
[Flags]
internal enum ConnState
{
    None = 0,
    Watch = 1,
    Multi = 2,
    Subscribe = 4,
    PSubscribe = 8,
    SSubscribe = 16,
    Selected = 32,

    /// <summary>MONITOR, RESET, HELLO, AUTH or CLIENT REPLY OFF/SKIP: the connection is closed on return, never reused.</summary>
    Destroy = 64,

    AnySubscription = Subscribe | PSubscribe | SSubscribe,
}

/// <summary>
/// Finds the state a command changes (redigo's <c>lookupCommandInfo</c>, extended with SSUBSCRIBE,
/// SELECT, RESET, HELLO, AUTH and CLIENT REPLY). Names compare case-insensitively and without allocating.
/// </summary>
internal static class CommandState
{
    private const int LongestTrackedName = 10;

    /// <summary>The state bits <paramref name="command"/> sets, and those it clears.</summary>
    public static (ConnState Set, ConnState Clear) Classify(string command, ReadOnlySpan<object?> args)
    {
        if (command.Length > LongestTrackedName) return default;
        Span<byte> name = stackalloc byte[LongestTrackedName];
        if (Ascii.FromUtf16(command, name, out int written) != System.Buffers.OperationStatus.Done) return default;
        name = name[..written];
        if (Ascii.EqualsIgnoreCase(name, "CLIENT"u8))
        {
            return args.Length >= 2 && IsWord(args[0], "REPLY") && (IsWord(args[1], "OFF") || IsWord(args[1], "SKIP"))
                ? (ConnState.Destroy, ConnState.None)
                : default;
        }
        return ClassifyName(name);
    }

    /// <summary>
    /// The state bits a command encoded as RESP (as <see cref="IRespCommand.WriteTo"/> writes it)
    /// sets and clears.
    /// </summary>
    public static (ConnState Set, ConnState Clear) Classify(ReadOnlySpan<byte> encoded)
    {
        var reader = new RespReader(encoded);
        int count = reader.ReadAggregateHeader(out _);
        if (count < 1 || !reader.TryReadBulkSpan(out ReadOnlySpan<byte> name)) return default;
        if (Ascii.EqualsIgnoreCase(name, "CLIENT"u8))
        {
            return count >= 3
                && reader.TryReadBulkSpan(out ReadOnlySpan<byte> sub) && Ascii.EqualsIgnoreCase(sub, "REPLY"u8)
                && reader.TryReadBulkSpan(out ReadOnlySpan<byte> mode)
                && (Ascii.EqualsIgnoreCase(mode, "OFF"u8) || Ascii.EqualsIgnoreCase(mode, "SKIP"u8))
                ? (ConnState.Destroy, ConnState.None)
                : default;
        }
        return ClassifyName(name);
    }

    public static ConnState Apply(ConnState state, (ConnState Set, ConnState Clear) change) => (state | change.Set) & ~change.Clear;

    private static (ConnState Set, ConnState Clear) ClassifyName(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when Ascii.EqualsIgnoreCase(name, "EXEC"u8) => (ConnState.None, ConnState.Watch | ConnState.Multi),
        // AUTH changes who the connection acts as: the next borrower must not inherit that identity.
        4 when Ascii.EqualsIgnoreCase(name, "AUTH"u8) => (ConnState.Destroy, ConnState.None),
        5 when Ascii.EqualsIgnoreCase(name, "MULTI"u8) => (ConnState.Multi, ConnState.None),
        5 when Ascii.EqualsIgnoreCase(name, "WATCH"u8) => (ConnState.Watch, ConnState.None),
        5 when Ascii.EqualsIgnoreCase(name, "RESET"u8) || Ascii.EqualsIgnoreCase(name, "HELLO"u8) => (ConnState.Destroy, ConnState.None),
        6 when Ascii.EqualsIgnoreCase(name, "SELECT"u8) => (ConnState.Selected, ConnState.None),
        7 when Ascii.EqualsIgnoreCase(name, "UNWATCH"u8) => (ConnState.None, ConnState.Watch),
        7 when Ascii.EqualsIgnoreCase(name, "DISCARD"u8) => (ConnState.None, ConnState.Watch | ConnState.Multi),
        7 when Ascii.EqualsIgnoreCase(name, "MONITOR"u8) => (ConnState.Destroy, ConnState.None),
        9 when Ascii.EqualsIgnoreCase(name, "SUBSCRIBE"u8) => (ConnState.Subscribe, ConnState.None),
        10 when Ascii.EqualsIgnoreCase(name, "PSUBSCRIBE"u8) => (ConnState.PSubscribe, ConnState.None),
        10 when Ascii.EqualsIgnoreCase(name, "SSUBSCRIBE"u8) => (ConnState.SSubscribe, ConnState.None),
        _ => default,
    };

    private static bool IsWord(object? arg, string word) => arg switch
    {
        string s => string.Equals(s, word, StringComparison.OrdinalIgnoreCase),
        byte[] b => b.Length == word.Length && Ascii.EqualsIgnoreCase(b, word),
        ReadOnlyMemory<byte> m => m.Length == word.Length && Ascii.EqualsIgnoreCase(m.Span, word),
        _ => false,
    };
}
