namespace Redis;

/// <summary>One entry of <c>SLOWLOG GET</c>, as converted by <see cref="Reply.SlowLogs"/>.</summary>
/// <param name="Id">The unique, increasing identifier of the entry.</param>
/// <param name="Time">When the command was processed (the server's unix time, whole seconds).</param>
/// <param name="ExecutionTime">How long the command ran (the server reports microseconds).</param>
/// <param name="Args">The command and its arguments, as the server recorded them (possibly shortened by the server).</param>
/// <param name="ClientAddress">The client's <c>ip:port</c>, or <see langword="null"/> when the server does not report it (before Redis 4.0).</param>
/// <param name="ClientName">The client's name set by <c>CLIENT SETNAME</c> (empty when unset), or <see langword="null"/> when the server does not report it (before Redis 4.0).</param>
public sealed record SlowLog(
    long Id,
    DateTimeOffset Time,
    TimeSpan ExecutionTime,
    string[] Args,
    string? ClientAddress,
    string? ClientName);
