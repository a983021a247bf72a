namespace Redis;

/// <summary>
/// A RESP3 push frame (<c>&gt;</c>): pub/sub messages, client-tracking invalidations. It is not the
/// reply to a command: <see cref="IConn.Do"/> never returns one, <see cref="IConn.Receive"/> returns it
/// as this distinct type so it cannot be mistaken for a reply.
/// </summary>
public sealed class RedisPush
{
    /// <summary>Creates a push from its elements (the first is normally the kind).</summary>
    public RedisPush(object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Values = values;
    }

    /// <summary>The push elements, converted like array elements.</summary>
    public object?[] Values { get; }

    /// <summary>The first element as text (<c>message</c>, <c>subscribe</c>, <c>invalidate</c>...), or an empty string.</summary>
    public string Kind => Values.Length == 0 ? string.Empty : Values[0] switch
    {
        byte[] b => System.Text.Encoding.UTF8.GetString(b),
        string s => s,
        _ => string.Empty,
    };

    /// <inheritdoc />
    public override string ToString() => $"push {Kind} ({Values.Length} elements)";
}
