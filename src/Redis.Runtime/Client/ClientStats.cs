namespace Redis;

/// <summary>
/// Counters of a <see cref="RedisClient"/> since it was created (<see cref="RedisClient.Stats"/>): how
/// many commands went through the shared connection and in how many socket writes, which shows the
/// batching (<see cref="CommandsPerWrite"/>).
/// </summary>
/// <param name="Commands">Commands queued on the shared connection.</param>
/// <param name="Writes">Socket writes (each carries every command queued since the previous one).</param>
/// <param name="BytesWritten">Bytes written to the shared connection.</param>
/// <param name="Replies">Replies read from the shared connection (including late ones that were dropped).</param>
/// <param name="Reconnects">Connections opened after the first one.</param>
/// <param name="DedicatedCommands">Commands routed to dedicated connections (blocking commands).</param>
public readonly record struct ClientStats(long Commands, long Writes, long BytesWritten, long Replies, long Reconnects, long DedicatedCommands)
{
    /// <summary>The client-side cache's counters, when <see cref="ClientOptions.Cache"/> is set.</summary>
    public CacheStats? Cache { get; init; }

    /// <summary>The mean number of commands per socket write (0 before the first write).</summary>
    public double CommandsPerWrite => Writes == 0 ? 0 : (double)Commands / Writes;
}
