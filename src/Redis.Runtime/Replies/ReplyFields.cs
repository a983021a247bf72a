using System.Globalization;
using System.Text;

namespace Redis;

/// <summary>
/// Reads the name/value replies servers send as a RESP2 flat array (<c>[name, value, ...]</c>) or a RESP3 map
/// (CLUSTER SHARDS, COMMAND INFO's key specs...), with names as text, whichever protocol the connection speaks.
/// </summary>
internal static class ReplyFields
{
    /// <summary>The fields of a map or flat name/value array; null when the reply is neither.</summary>
    public static IEnumerable<(string Field, object? Value)>? Of(object? reply) => reply switch
    {
        KeyValuePair<object?, object?>[] map => FromMap(map),
        object?[] flat when flat.Length % 2 == 0 => FromFlat(flat),
        _ => null,
    };

    /// <summary>A bulk or simple string (or an integer) as text; null for anything else.</summary>
    public static string? Text(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        long number => number.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    private static IEnumerable<(string Field, object? Value)> FromMap(KeyValuePair<object?, object?>[] map)
    {
        foreach (var pair in map) yield return (Text(pair.Key) ?? "", pair.Value);
    }

    private static IEnumerable<(string Field, object? Value)> FromFlat(object?[] flat)
    {
        for (int i = 0; i < flat.Length; i += 2) yield return (Text(flat[i]) ?? "", flat[i + 1]);
    }
}
