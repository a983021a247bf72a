namespace Redis;

/// <summary>The reply to <see cref="PubSubConn.Ping"/>, redigo's <c>Pong</c>.</summary>
/// <param name="Data">The text given to PING (empty without one).</param>
public sealed record Pong(string Data);
