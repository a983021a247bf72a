using System.Globalization;
using System.Text;

namespace Redis.SpecTool;

/// <summary>
/// Reads the object trees <see cref="IConn.Do"/> returns the same way for RESP2 and RESP3: a RESP3 map
/// and a RESP2 flat array of pairs are both maps; sets and arrays are both lists; bulk, simple and
/// verbatim strings are all text.
/// </summary>
internal static class RespValue
{
    public static string Text(object? value, string what) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        long number => number.ToString(CultureInfo.InvariantCulture),
        _ => throw Unexpected(value, "text", what),
    };

    public static long Integer(object? value, string what) => value switch
    {
        long number => number,
        byte[] or string when long.TryParse(Text(value, what), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed) => parsed,
        _ => throw Unexpected(value, "an integer", what),
    };

    public static object?[] List(object? value, string what) => value switch
    {
        object?[] items => items,
        KeyValuePair<object?, object?>[] { Length: 0 } => [],
        _ => throw Unexpected(value, "an array", what),
    };

    public static List<string> Texts(object? value, string what)
    {
        var result = new List<string>();
        foreach (object? item in List(value, what)) result.Add(Text(item, what));
        return result;
    }

    /// <summary>A map (RESP3) or a flat array of key/value pairs (RESP2), with text keys in server order.</summary>
    public static List<KeyValuePair<string, object?>> Map(object? value, string what)
    {
        var result = new List<KeyValuePair<string, object?>>();
        switch (value)
        {
            case KeyValuePair<object?, object?>[] pairs:
                foreach (var pair in pairs) result.Add(new(Text(pair.Key, what), pair.Value));
                return result;
            case object?[] flat when flat.Length % 2 == 0:
                for (int i = 0; i < flat.Length; i += 2) result.Add(new(Text(flat[i], what), flat[i + 1]));
                return result;
            default:
                throw Unexpected(value, "a map", what);
        }
    }

    public static object? Get(List<KeyValuePair<string, object?>> map, string key)
    {
        foreach (var pair in map)
        {
            if (pair.Key == key) return pair.Value;
        }
        return null;
    }

    public static string? OptionalText(List<KeyValuePair<string, object?>> map, string key, string what)
        => Get(map, key) is { } value ? Text(value, what) : null;

    private static InvalidDataException Unexpected(object? value, string expected, string what)
        => new($"{what}: expected {expected}, got {Describe(value)}");

    private static string Describe(object? value) => value switch
    {
        null => "nil",
        byte[] bytes => $"bulk \"{Encoding.UTF8.GetString(bytes)}\"",
        string text => $"string \"{text}\"",
        object?[] items => $"array of {items.Length}",
        _ => value.GetType().Name,
    };
}
