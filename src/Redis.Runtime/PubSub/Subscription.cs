namespace Redis;

/// <summary>
/// The server's confirmation of a subscribe or unsubscribe, redigo's <c>Subscription</c>.
/// </summary>
/// <param name="Kind"><c>subscribe</c>, <c>psubscribe</c>, <c>ssubscribe</c>, <c>unsubscribe</c>, <c>punsubscribe</c> or <c>sunsubscribe</c>.</param>
/// <param name="Channel">The channel or pattern (empty when the server sends none: an unsubscribe with nothing subscribed).</param>
/// <param name="Count">How many subscriptions the connection has now (for the sharded kinds: sharded subscriptions).</param>
public sealed record Subscription(string Kind, string Channel, int Count);
