namespace Redis.Tests.Faults;

/// <summary>What the fault proxy does to one accepted connection.</summary>
public enum FaultKind
{
    /// <summary>Forward everything untouched.</summary>
    None,

    /// <summary>Forward <see cref="FaultPlan.AfterBytes"/> bytes client→server, then close both sides (FIN).</summary>
    CutClientToServer,

    /// <summary>Forward <see cref="FaultPlan.AfterBytes"/> bytes server→client (cutting a reply midway), then close both sides (FIN).</summary>
    CutServerToClient,

    /// <summary>After <see cref="FaultPlan.AfterBytes"/> bytes server→client, reset the client socket (RST: linger 0, then close).</summary>
    Reset,

    /// <summary>After <see cref="FaultPlan.AfterBytes"/> bytes server→client, forward nothing more in either direction until the client leaves or the proxy is disposed.</summary>
    Stall,

    /// <summary>Delay every chunk in both directions by up to <see cref="FaultPlan.Delay"/> (slow, not broken).</summary>
    Delay,

    /// <summary>
    /// After <see cref="FaultPlan.AfterBytes"/> bytes client→server (0: the first bytes the client sends, a
    /// handshake say), forward nothing more in either direction and answer nothing, keeping the connection
    /// open until the client leaves: a server that accepts and then never answers.
    /// </summary>
    BlackHole,

    /// <summary>
    /// After <see cref="FaultPlan.AfterBytes"/> bytes server→client, stop forwarding the server's replies and
    /// send the client a bulk header announcing 512 MB, then zero bytes, 64 KB every <see cref="FaultPlan.Delay"/>,
    /// until the client leaves: a reply that keeps bytes coming but never completes.
    /// </summary>
    TrickleBulk,

    /// <summary>Close a new connection at once, before any byte (set by <see cref="FaultProxy.RefuseFor"/> or a plan).</summary>
    Refuse,
}
