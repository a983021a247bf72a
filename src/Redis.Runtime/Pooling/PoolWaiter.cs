namespace Redis;

/// <summary>
/// A <c>Get</c> waiting for a connection (sync and async waiters share one FIFO queue). It completes
/// with an idle connection handed over directly, with <see langword="null"/> (a slot was freed: dial
/// a new connection), with cancellation, or with <see cref="ObjectDisposedException"/>.
/// </summary>
internal sealed class PoolWaiter(long startTimestamp) : TaskCompletionSource<PoolEntry?>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public long StartTimestamp { get; } = startTimestamp;

    /// <summary>Its place in the queue; null once granted, cancelled or failed (changed only under the pool's lock).</summary>
    public LinkedListNode<PoolWaiter>? Node { get; set; }
}
