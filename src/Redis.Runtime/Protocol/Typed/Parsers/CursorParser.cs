using System.Globalization;
using System.Text;

namespace Redis;

/// <summary>Parses a SCAN-family cursor (a bulk string of up to 20 digits) into a <see cref="ulong"/>.</summary>
public readonly struct CursorParser : IRespParser<ulong>
{
    /// <inheritdoc />
    public ulong Parse(ref RespReader reader)
    {
        if (reader.PeekType() == RespType.Integer) return unchecked((ulong)reader.ReadInt64());
        if (!reader.TryReadBulkSpan(out ReadOnlySpan<byte> text)) throw new RedisNilException();
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong cursor)
            ? cursor
            : throw new RedisException($"The reply \"{Encoding.UTF8.GetString(text)}\" is not a cursor.");
    }
}
