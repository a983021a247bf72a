using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redis.Tests;

/// <summary>Walks a reply tree (as <see cref="IConn.Do"/> returns it, RESP2 or RESP3) against a <see cref="ReplyType"/>.</summary>
internal static class ReplyChecker
{
    /// <summary>Null when <paramref name="value"/> fits <paramref name="type"/>; otherwise where and why it does not.</summary>
    public static string? Check(object? value, ReplyType type, string at = "reply")
    {
        if (value is RedisServerException error) return $"{at}: error reply {error.Message}";
        if (value is null) return type.Nullable || type.Name == "any" ? null : $"{at}: nil, but {type} is not nullable";
        switch (type.Name)
        {
            case "any":
                return null;
            case "ok":
                return value is "OK" ? null : Mismatch(at, type, value);
            case "status":
                return value is string ? null : Mismatch(at, type, value);
            case "bulk":
                return value is byte[] or string ? null : Mismatch(at, type, value);
            case "int":
                return value is long || (Text(value) is { } i && long.TryParse(i, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)) ? null : Mismatch(at, type, value);
            case "bool":
                return value is bool or 0L or 1L ? null : Mismatch(at, type, value);
            case "double":
                return value is double || (Text(value) is { } d && IsDouble(d)) ? null : Mismatch(at, type, value);
            case "cursor":
                return Text(value) is { } c && ulong.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? null : Mismatch(at, type, value);
            case "push":
                return value is RedisPush || (value is object?[] { Length: > 0 } frame && frame[0] is byte[] or string) ? null : Mismatch(at, type, value);
            case "array":
                if (value is not object?[] items) return Mismatch(at, type, value);
                for (int n = 0; n < items.Length; n++)
                {
                    if (Check(items[n], type.Arguments[0], $"{at}[{n}]") is { } problem) return problem;
                }
                return null;
            case "tuple":
                if (value is not object?[] fields) return Mismatch(at, type, value);
                if (fields.Length != type.Arguments.Length) return $"{at}: {fields.Length} elements, but {type} has {type.Arguments.Length}";
                for (int n = 0; n < fields.Length; n++)
                {
                    if (Check(fields[n], type.Arguments[n], $"{at}[{n}]") is { } problem) return problem;
                }
                return null;
            case "map":
                if (value is KeyValuePair<object?, object?>[] map)
                {
                    foreach (var pair in map)
                    {
                        string key = Describe(pair.Key, 0);
                        if (Check(pair.Key, type.Arguments[0], $"{at} key {key}") is { } problem) return problem;
                        if (Check(pair.Value, type.Arguments[1], $"{at}[{key}]") is { } valueProblem) return valueProblem;
                    }
                    return null;
                }
                return value is object?[] mapItems ? CheckPairs(mapItems, type, at) : Mismatch(at, type, value);
            case "pairs":
                return value is object?[] pairItems ? CheckPairs(pairItems, type, at) : Mismatch(at, type, value);
            default:
                return $"{at}: unknown type {type.Name}";
        }
    }

    /// <summary>A flat array k1 v1 k2 v2 ..., or an array of 2-element arrays (RESP3 pairs, RESP2 XREAD).</summary>
    private static string? CheckPairs(object?[] items, ReplyType type, string at)
    {
        string? nestedProblem = null;
        if (items.Length > 0 && items.All(i => i is object?[] { Length: 2 }))
        {
            for (int n = 0; n < items.Length && nestedProblem is null; n++)
            {
                var pair = (object?[])items[n]!;
                nestedProblem = Check(pair[0], type.Arguments[0], $"{at}[{n}][0]") ?? Check(pair[1], type.Arguments[1], $"{at}[{n}][1]");
            }
            if (nestedProblem is null) return null;
        }
        if (items.Length % 2 != 0) return nestedProblem ?? $"{at}: {items.Length} elements, an odd count for {type}";
        for (int n = 0; n < items.Length; n += 2)
        {
            if ((Check(items[n], type.Arguments[0], $"{at}[{n}]") ?? Check(items[n + 1], type.Arguments[1], $"{at}[{n + 1}]")) is { } problem)
            {
                return nestedProblem ?? problem;
            }
        }
        return null;
    }

    private static bool IsDouble(string text) => text is "inf" or "+inf" or "-inf" or "nan"
        || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string? Text(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        _ => null,
    };

    private static string Mismatch(string at, ReplyType type, object? value) => $"{at}: expected {type}, got {Describe(value, 1)}";

    /// <summary>A short rendering of a reply tree with its .NET types: bulk "x", simple "x", int 1, [..], {k: v}.</summary>
    public static string Describe(object? value, int depth) => value switch
    {
        null => "nil",
        byte[] bytes => $"bulk \"{Shorten(Encoding.UTF8.GetString(bytes))}\"",
        string text => $"simple \"{Shorten(text)}\"",
        long number => $"int {number}",
        double number => $"double {number.ToString(CultureInfo.InvariantCulture)}",
        bool flag => $"bool {flag}",
        RedisPush push => $"push {push.Kind}",
        object?[] items when depth <= 0 => $"array({items.Length})",
        object?[] items => "[" + string.Join(", ", items.Take(6).Select(i => Describe(i, depth - 1))) + (items.Length > 6 ? ", ..." : "") + "]",
        KeyValuePair<object?, object?>[] map when depth <= 0 => $"map({map.Length})",
        KeyValuePair<object?, object?>[] map => "{" + string.Join(", ", map.Take(6).Select(p => $"{Describe(p.Key, 0)}: {Describe(p.Value, depth - 1)}")) + (map.Length > 6 ? ", ..." : "") + "}",
        RedisServerException error => $"error \"{error.Message}\"",
        _ => value.GetType().Name,
    };

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "..." : text;
}
