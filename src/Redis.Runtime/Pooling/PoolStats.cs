namespace Redis;

/// <summary>A snapshot of a <see cref="Pool"/>'s counters, redigo's <c>PoolStats</c>.</summary>
/// <param name="ActiveCount">Connections open or being dialed: idle ones plus the ones borrowed.</param>
/// <param name="IdleCount">Connections waiting in the pool to be borrowed.</param>
/// <param name="WaitCount">How many <c>Get</c> calls had to wait for a connection (only with <see cref="Pool.Wait"/>).</param>
/// <param name="WaitDuration">The total time those calls waited.</param>
public readonly record struct PoolStats(int ActiveCount, int IdleCount, long WaitCount, TimeSpan WaitDuration);
