using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Redis;

/// <summary>
/// Renders commands and replies for log entries: strings quoted and cut at
/// <see cref="LoggingOptions.MaxStringLength"/> characters, aggregates cut at
/// <see cref="LoggingOptions.MaxArrayItems"/> items and three levels deep, secrets masked. Only called
/// when the entry will be written.
/// </summary>
internal static class LogFormatter
{
    private const int MaxDepth = 3;

    /// <summary>The arguments as <c> "a" "b" 1</c> (each preceded by a space), secrets masked.</summary>
    public static string Arguments(CommandInfo info, IReadOnlyList<object?> args, LoggingOptions options)
    {
        if (args.Count == 0) return string.Empty;
        bool secrets = Redaction.HasSecretArguments(info, args);
        var builder = new StringBuilder();
        int shown = Math.Min(args.Count, options.MaxArrayItems);
        for (int i = 0; i < shown; i++)
        {
            builder.Append(' ');
            if (secrets && Redaction.IsSecretArgument(info, args, i)) builder.Append(Redaction.Mask);
            else AppendValue(builder, args[i], options, 0);
        }
        if (args.Count > shown)
        {
            // Anything cut may still be a secret of a long ACL SETUSER or CONFIG SET: it is not shown at all.
            builder.Append(" ...(").Append(args.Count - shown).Append(" more)");
        }
        return builder.ToString();
    }

    /// <summary>A reply (or typed result) as text.</summary>
    public static string Value(object? value, LoggingOptions options)
    {
        var builder = new StringBuilder();
        AppendValue(builder, value, options, 0);
        return builder.ToString();
    }

    private static void AppendValue(StringBuilder builder, object? value, LoggingOptions options, int depth)
    {
        switch (value)
        {
            case null:
                builder.Append("nil");
                return;
            case string s:
                AppendQuoted(builder, s, options.MaxStringLength);
                return;
            case byte[] bytes:
                AppendBytes(builder, bytes, options.MaxStringLength);
                return;
            case ReadOnlyMemory<byte> memory:
                AppendBytes(builder, memory.Span, options.MaxStringLength);
                return;
            case Memory<byte> memory:
                AppendBytes(builder, memory.Span, options.MaxStringLength);
                return;
            case bool b:
                builder.Append(b ? "true" : "false");
                return;
            case double d:
                builder.Append(d.ToString("R", CultureInfo.InvariantCulture));
                return;
            case float f:
                builder.Append(f.ToString("R", CultureInfo.InvariantCulture));
                return;
            case long or int or short or sbyte or ulong or uint or ushort or byte or decimal or BigInteger:
                builder.Append(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                return;
            case RedisServerException error:
                builder.Append("(error) ");
                AppendQuoted(builder, error.Message, options.MaxStringLength);
                return;
            case RedisPush push:
                builder.Append("push");
                AppendItems(builder, push.Values, options, depth);
                return;
            case KeyValuePair<object?, object?>[] pairs:
                AppendPairs(builder, pairs, options, depth);
                return;
            case object?[] items:
                AppendItems(builder, items, options, depth);
                return;
            case IRedisArg:
                // Not called: RedisArg() runs exactly once, when the command is written.
                builder.Append('<').Append(value.GetType().Name).Append('>');
                return;
            case IDictionary dictionary:
                AppendPairs(builder, Pairs(dictionary), options, depth);
                return;
            case ITuple tuple:
            {
                var items = new object?[tuple.Length];
                for (int i = 0; i < items.Length; i++) items[i] = tuple[i];
                builder.Append('(');
                AppendJoined(builder, items, options, depth);
                builder.Append(')');
                return;
            }
            case IEnumerable sequence:
                AppendItems(builder, Items(sequence, options.MaxArrayItems + 1), options, depth);
                return;
            default:
                string? text;
                try
                {
                    text = value.ToString();
                }
                catch (Exception)
                {
                    text = null; // logging must never replace the caller's real error
                }
                AppendQuoted(builder, text ?? value.GetType().Name, options.MaxStringLength);
                return;
        }
    }

    private static void AppendItems(StringBuilder builder, object?[] items, LoggingOptions options, int depth)
    {
        builder.Append('[');
        AppendJoined(builder, items, options, depth);
        builder.Append(']');
    }

    private static void AppendJoined(StringBuilder builder, object?[] items, LoggingOptions options, int depth)
    {
        if (depth >= MaxDepth)
        {
            builder.Append("...");
            return;
        }
        int shown = Math.Min(items.Length, options.MaxArrayItems);
        for (int i = 0; i < shown; i++)
        {
            if (i > 0) builder.Append(", ");
            AppendValue(builder, items[i], options, depth + 1);
        }
        if (items.Length > shown) builder.Append(", ...(").Append(items.Length - shown).Append(" more)");
    }

    private static void AppendPairs(StringBuilder builder, KeyValuePair<object?, object?>[] pairs, LoggingOptions options, int depth)
    {
        builder.Append('{');
        if (depth >= MaxDepth)
        {
            builder.Append("...}");
            return;
        }
        int shown = Math.Min(pairs.Length, options.MaxArrayItems);
        for (int i = 0; i < shown; i++)
        {
            if (i > 0) builder.Append(", ");
            AppendValue(builder, pairs[i].Key, options, depth + 1);
            builder.Append(": ");
            AppendValue(builder, pairs[i].Value, options, depth + 1);
        }
        if (pairs.Length > shown) builder.Append(", ...(").Append(pairs.Length - shown).Append(" more)");
        builder.Append('}');
    }

    private static KeyValuePair<object?, object?>[] Pairs(IDictionary dictionary)
    {
        var pairs = new List<KeyValuePair<object?, object?>>();
        foreach (DictionaryEntry entry in dictionary) pairs.Add(new(entry.Key, entry.Value));
        return [.. pairs];
    }

    private static object?[] Items(IEnumerable sequence, int limit)
    {
        // At most one more than is shown (to know that some were cut) without walking a huge sequence.
        var items = new List<object?>();
        int total = 0;
        foreach (object? item in sequence)
        {
            if (items.Count < limit) items.Add(item);
            total++;
        }
        if (total > items.Count)
        {
            var padded = new object?[total];
            items.CopyTo(padded);
            return padded;
        }
        return [.. items];
    }

    private static void AppendBytes(StringBuilder builder, ReadOnlySpan<byte> bytes, int maxLength)
    {
        if (Utf8.IsValid(bytes))
        {
            int take = Math.Min(bytes.Length, maxLength * 4);
            string text = Encoding.UTF8.GetString(bytes[..take]);
            bool cut = bytes.Length > take || text.Length > maxLength;
            AppendQuoted(builder, text, maxLength, cut ? bytes.Length : -1);
            return;
        }
        builder.Append("0x");
        int shown = Math.Min(bytes.Length, Math.Max(1, maxLength / 2));
        builder.Append(Convert.ToHexStringLower(bytes[..shown]));
        if (bytes.Length > shown) builder.Append("...(").Append(bytes.Length).Append(" bytes)");
    }

    private static void AppendQuoted(StringBuilder builder, string text, int maxLength, int byteLength = -1)
    {
        builder.Append('"');
        int shown = Math.Min(text.Length, maxLength);
        if (shown < text.Length && char.IsHighSurrogate(text[shown - 1])) shown--;
        foreach (char c in text.AsSpan(0, shown))
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\r': builder.Append("\\r"); break;
                case '\n': builder.Append("\\n"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (char.IsControl(c)) builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else builder.Append(c);
                    break;
            }
        }
        builder.Append('"');
        if (byteLength >= 0) builder.Append("...(").Append(byteLength).Append(" bytes)");
        else if (shown < text.Length) builder.Append("...(").Append(text.Length).Append(" chars)");
    }
}
