using System.Globalization;

namespace Redis;

/// <summary>
/// What <c>REPLICAOF</c> (and the older <c>SLAVEOF</c>) makes the server follow: a primary at
/// <c>host port</c>, or <c>NO ONE</c> (become a primary), as one value so that exactly one is sent.
/// </summary>
/// <remarks>The argument is required: generated methods throw <see cref="ArgumentException"/> for <c>default</c>, which would send nothing.</remarks>
public readonly struct ReplicationSource : IRespArguments
{
    private const byte HostPort = 1, NoOneKind = 2;

    private readonly byte _kind;
    private readonly RedisValue _host;
    private readonly long _port;

    private ReplicationSource(byte kind, RedisValue host, long port)
    {
        _kind = kind;
        _host = host;
        _port = port;
    }

    /// <summary>Replicates the primary at <paramref name="host"/>:<paramref name="port"/>.</summary>
    /// <param name="host">The primary's host name or address.</param>
    /// <param name="port">The primary's port.</param>
    public static ReplicationSource Primary(RedisValue host, long port) => new(HostPort, host, port);

    /// <summary>Stops replicating and becomes a primary (<c>NO ONE</c>).</summary>
    public static ReplicationSource NoOne => new(NoOneKind, default, 0);

    /// <inheritdoc/>
    public int ArgumentCount => _kind == 0 ? 0 : 2;

    /// <inheritdoc/>
    public void WriteTo(RespWriter writer)
    {
        switch (_kind)
        {
            case HostPort:
                _host.WriteTo(writer);
                writer.WriteBulkString(_port);
                break;
            case NoOneKind:
                writer.WriteBulkString("NO"u8);
                writer.WriteBulkString("ONE"u8);
                break;
        }
    }

    /// <summary>The arguments as sent (<c>10.0.0.5 6379</c>, <c>NO ONE</c>), or <c>(none)</c>.</summary>
    public override string ToString() => _kind switch
    {
        HostPort => _host.ToString() + " " + _port.ToString(CultureInfo.InvariantCulture),
        NoOneKind => "NO ONE",
        _ => "(none)",
    };
}
