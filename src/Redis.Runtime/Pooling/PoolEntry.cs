namespace Redis;

/// <summary>
/// One connection the pool owns, with its bookkeeping. It outlives borrows: each borrow gets a new
/// <see cref="PooledConn"/> handle over it, so a stale handle can never reach a later borrower.
/// </summary>
internal sealed class PoolEntry(IConn conn, DateTimeOffset created)
{
    public IConn Conn { get; } = conn;

    public DateTimeOffset Created { get; } = created;

    /// <summary>When it was last returned (or dialed): what <see cref="Pool.TestOnBorrow"/> receives and idle expiry measures from.</summary>
    public DateTimeOffset ReturnedAt { get; set; } = created;

    /// <summary>Typed commands through <see cref="Conn"/> (the native path when it has one).</summary>
    public IRespExecutor Executor { get; } = RespExecutor.For(conn);

    /// <summary>A small writer, reused across borrows, that typed commands are rendered into to read their name.</summary>
    public RespWriter? Scratch { get; set; }

    public void Close()
    {
        try
        {
            Conn.Close();
        }
        catch (Exception)
        {
            // Closing: nothing useful to report, and a pool must never fail because one close did.
        }
        Scratch?.Dispose();
        Scratch = null;
    }
}
