using System.Text;

namespace Redis;

/// <summary>
/// A message published to a channel the <see cref="PubSubConn"/> listens to: a <c>message</c>
/// (SUBSCRIBE), <c>pmessage</c> (PSUBSCRIBE: <see cref="Pattern"/> is the matching pattern) or
/// <c>smessage</c> (SSUBSCRIBE: <see cref="IsSharded"/>). redigo's <c>Message</c>.
/// </summary>
/// <param name="Channel">The channel the message was published to.</param>
/// <param name="Pattern">The pattern that matched, for a pattern subscription; otherwise <see langword="null"/> (redigo: an empty string).</param>
/// <param name="Data">The message payload, as published.</param>
public sealed record Message(string Channel, string? Pattern, byte[] Data)
{
    /// <summary>True for a sharded message (<c>smessage</c>, from SSUBSCRIBE).</summary>
    public bool IsSharded { get; init; }

    /// <summary>The notification kind: <c>message</c>, <c>pmessage</c> or <c>smessage</c>.</summary>
    public string Kind => Pattern is not null ? "pmessage" : IsSharded ? "smessage" : "message";

    /// <summary>The payload decoded as UTF-8.</summary>
    public string Text => Encoding.UTF8.GetString(Data);
}
