using System.Globalization;
using System.Text;
using Redis.Commands;

namespace Redis;

/// <summary>
/// The area of <c>GEOSEARCH</c> and <c>GEOSEARCHSTORE</c>: <c>BYRADIUS radius unit</c> or
/// <c>BYBOX width height unit</c>, as one value so that exactly one is sent.
/// </summary>
/// <remarks>The area is required: generated methods throw <see cref="ArgumentException"/> for <c>default</c>, which would send nothing.</remarks>
public readonly struct GeoSearchShape : IRespArguments
{
    private const byte ByRadius = 1, ByBox = 2;

    private readonly byte _kind;
    private readonly double _first;
    private readonly double _height;
    private readonly GeoUnit _unit;

    private GeoSearchShape(byte kind, double first, double height, GeoUnit unit)
    {
        // Checked here so that writing never meets an unknown unit.
        _ = UnitToken(unit);
        _kind = kind;
        _first = first;
        _height = height;
        _unit = unit;
    }

    /// <summary>Members within a circle (<c>BYRADIUS</c>).</summary>
    /// <param name="radius">The radius, in <paramref name="unit"/>.</param>
    /// <param name="unit">The unit of the radius.</param>
    public static GeoSearchShape Radius(double radius, GeoUnit unit) => new(ByRadius, radius, 0, unit);

    /// <summary>Members within an axis-aligned rectangle centred on the origin (<c>BYBOX</c>).</summary>
    /// <param name="width">The width, in <paramref name="unit"/>.</param>
    /// <param name="height">The height, in <paramref name="unit"/>.</param>
    /// <param name="unit">The unit of the sides.</param>
    public static GeoSearchShape Box(double width, double height, GeoUnit unit) => new(ByBox, width, height, unit);

    /// <inheritdoc/>
    public int ArgumentCount => _kind switch { ByRadius => 3, ByBox => 4, _ => 0 };

    /// <inheritdoc/>
    public void WriteTo(RespWriter writer)
    {
        switch (_kind)
        {
            case ByRadius:
                writer.WriteBulkString("BYRADIUS"u8);
                writer.WriteBulkString(_first);
                writer.WriteBulkString(UnitToken(_unit));
                break;
            case ByBox:
                writer.WriteBulkString("BYBOX"u8);
                writer.WriteBulkString(_first);
                writer.WriteBulkString(_height);
                writer.WriteBulkString(UnitToken(_unit));
                break;
        }
    }

    /// <summary>The arguments as sent (<c>BYRADIUS 5 KM</c>), or <c>(none)</c>.</summary>
    public override string ToString() => _kind switch
    {
        ByRadius => string.Create(CultureInfo.InvariantCulture, $"BYRADIUS {_first} {Encoding.ASCII.GetString(UnitToken(_unit))}"),
        ByBox => string.Create(CultureInfo.InvariantCulture, $"BYBOX {_first} {_height} {Encoding.ASCII.GetString(UnitToken(_unit))}"),
        _ => "(none)",
    };

    private static ReadOnlySpan<byte> UnitToken(GeoUnit unit) => unit switch
    {
        GeoUnit.Meters => "M"u8,
        GeoUnit.Kilometers => "KM"u8,
        GeoUnit.Feet => "FT"u8,
        GeoUnit.Miles => "MI"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "The value names no GeoUnit."),
    };
}
