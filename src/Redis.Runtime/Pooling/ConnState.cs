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
