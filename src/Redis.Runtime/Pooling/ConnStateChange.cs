namespace Redis;

/// <summary>
/// The <see cref="ConnState"/> bits a command sets and clears, from its <see cref="CommandTable"/> entry's
/// <see cref="ConnectionEffect"/> (redigo's <c>lookupCommandInfo</c>, extended with SSUBSCRIBE, SELECT,
/// RESET, HELLO, AUTH and CLIENT REPLY).
/// </summary>
internal readonly record struct ConnStateChange(ConnState Set, ConnState Clear)
{
    /// <summary>What <paramref name="info"/> does to a pooled connection; <paramref name="repliesStop"/>: CLIENT REPLY's mode is OFF or SKIP.</summary>
    public static ConnStateChange Of(CommandInfo info, bool repliesStop) => info.Effect switch
    {
        ConnectionEffect.Multi => new(ConnState.Multi, ConnState.None),
        ConnectionEffect.Exec or ConnectionEffect.Discard => new(ConnState.None, ConnState.Watch | ConnState.Multi),
        ConnectionEffect.Watch => new(ConnState.Watch, ConnState.None),
        ConnectionEffect.Unwatch => new(ConnState.None, ConnState.Watch),
        ConnectionEffect.Subscribe => new(ConnState.Subscribe, ConnState.None),
        ConnectionEffect.PSubscribe => new(ConnState.PSubscribe, ConnState.None),
        ConnectionEffect.SSubscribe => new(ConnState.SSubscribe, ConnState.None),
        ConnectionEffect.Select => new(ConnState.Selected, ConnState.None),
        // AUTH, HELLO and RESET change who the connection acts as (or how it speaks): the next borrower must
        // not inherit that. MONITOR never returns to plain replies.
        ConnectionEffect.Identity or ConnectionEffect.Monitor => new(ConnState.Destroy, ConnState.None),
        // Replies that stop would no longer match the next borrower's commands; ON changes nothing.
        ConnectionEffect.ClientReply when repliesStop => new(ConnState.Destroy, ConnState.None),
        _ => default,
    };

    /// <summary>An untyped command's change; <paramref name="args"/> are the arguments after its name.</summary>
    public static ConnStateChange Of(CommandInfo info, ReadOnlySpan<object?> args)
        => Of(info, info.Effect == ConnectionEffect.ClientReply && args.Length >= 2 && (ArgumentWords.Is(args[1], "OFF"u8) || ArgumentWords.Is(args[1], "SKIP"u8)));

    /// <summary>An encoded command's change (its arguments include the name words).</summary>
    public static ConnStateChange Of(CommandInfo info, scoped in CommandArgs args)
        => Of(info, info.Effect == ConnectionEffect.ClientReply && (args.Is(2, "OFF"u8) || args.Is(2, "SKIP"u8)));

    /// <summary><paramref name="state"/> after the change.</summary>
    public ConnState ApplyTo(ConnState state) => (state | Set) & ~Clear;
}
