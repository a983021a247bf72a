using System.Globalization;

namespace Redis;

/// <summary>
/// The centre of <c>GEOSEARCH</c> and <c>GEOSEARCHSTORE</c>: <c>FROMMEMBER member</c> or
/// <c>FROMLONLAT longitude latitude</c>, as one value so that exactly one is sent.
/// </summary>
/// <example><c>redis.GeoSearch("places", GeoSearchOrigin.Position(13.4, 52.5), GeoSearchShape.Radius(5, GeoUnit.Kilometers));</c></example>
/// <remarks>The centre is required: generated methods throw <see cref="ArgumentException"/> for <c>default</c>, which would send nothing.</remarks>
public readonly struct GeoSearchOrigin : IRespArguments
{
    private const byte FromMember = 1, FromLonLat = 2;

    private readonly byte _kind;
    private readonly RedisValue _member;
    private readonly double _longitude;
    private readonly double _latitude;

    private GeoSearchOrigin(byte kind, RedisValue member, double longitude, double latitude)
    {
        _kind = kind;
        _member = member;
        _longitude = longitude;
        _latitude = latitude;
    }

    /// <summary>Searches around the position of a member of the set (<c>FROMMEMBER</c>).</summary>
    /// <param name="member">The member whose position is the centre.</param>
    public static GeoSearchOrigin Member(RedisValue member) => new(FromMember, member, 0, 0);

    /// <summary>Searches around a position (<c>FROMLONLAT</c>).</summary>
    /// <param name="longitude">The longitude of the centre, in degrees.</param>
    /// <param name="latitude">The latitude of the centre, in degrees.</param>
    public static GeoSearchOrigin Position(double longitude, double latitude) => new(FromLonLat, default, longitude, latitude);

    /// <inheritdoc/>
    public int ArgumentCount => _kind switch { FromMember => 2, FromLonLat => 3, _ => 0 };

    /// <inheritdoc/>
    public void WriteTo(RespWriter writer)
    {
        switch (_kind)
        {
            case FromMember:
                writer.WriteBulkString("FROMMEMBER"u8);
                _member.WriteTo(writer);
                break;
            case FromLonLat:
                writer.WriteBulkString("FROMLONLAT"u8);
                writer.WriteBulkString(_longitude);
                writer.WriteBulkString(_latitude);
                break;
        }
    }

    /// <summary>The arguments as sent (<c>FROMLONLAT 13.4 52.5</c>), or <c>(none)</c>.</summary>
    public override string ToString() => _kind switch
    {
        FromMember => "FROMMEMBER " + _member.ToString(),
        FromLonLat => string.Create(CultureInfo.InvariantCulture, $"FROMLONLAT {_longitude} {_latitude}"),
        _ => "(none)",
    };
}
