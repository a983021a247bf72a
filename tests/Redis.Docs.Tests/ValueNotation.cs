using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Redis.Docs.Tests;

/// <summary>
/// The notation the README's comments use for replies: <c>"text"</c> for a string or bulk string, <c>42</c>,
/// <c>3.5</c>, <c>true</c>, <c>nil</c>, <c>[a, b]</c> for an array, <c>{k: v}</c> for a map,
/// <c>(error) ERR ...</c> for an error element.
/// </summary>
public static class ValueNotation
{
    /// <summary>Writes <paramref name="value"/> (a reply, a helper's result or a typed result) in the notation.</summary>
    public static string Format(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value);
        return sb.ToString();
    }

    /// <summary>
    /// When <paramref name="comment"/> (the text after <c>//</c>) starts with a value in the notation, that value
    /// re-written canonically (the rest of the comment is prose and ignored); otherwise null.
    /// </summary>
    public static string? LeadingValue(string comment)
    {
        string text = comment.Trim();
        int pos = 0;
        var sb = new StringBuilder();
        if (!TryParse(text, ref pos, sb)) return null;
        // A value is followed by the end of the comment or by prose after a separator: "1 (receivers)", "\"host:port\", ROLE-confirmed".
        if (pos < text.Length && !char.IsWhiteSpace(text[pos]) && text[pos] != ',' && text[pos] != ';') return null;
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null: sb.Append("nil"); break;
            case string s: Quote(sb, s); break;
            case byte[] b: Quote(sb, Encoding.UTF8.GetString(b)); break;
            case ReadOnlyMemory<byte> m: Quote(sb, Encoding.UTF8.GetString(m.Span)); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case double d: sb.Append(d.ToString("R", CultureInfo.InvariantCulture)); break;
            case float f: sb.Append(f.ToString("R", CultureInfo.InvariantCulture)); break;
            case BigInteger n: sb.Append(n.ToString(CultureInfo.InvariantCulture)); break;
            case IConvertible c when IsInteger(c): sb.Append(c.ToString(CultureInfo.InvariantCulture)); break;
            case RedisServerException e: sb.Append("(error) ").Append(e.Message); break;
            case KeyValuePair<object?, object?>[] map:
                sb.Append('{');
                for (int i = 0; i < map.Length; i++)
                {
                    if (i > 0) sb.Append(", ");
                    Write(sb, map[i].Key);
                    sb.Append(": ");
                    Write(sb, map[i].Value);
                }
                sb.Append('}');
                break;
            case ITuple tuple:
                sb.Append('(');
                for (int i = 0; i < tuple.Length; i++)
                {
                    if (i > 0) sb.Append(", ");
                    Write(sb, tuple[i]);
                }
                sb.Append(')');
                break;
            case IEnumerable items:
                sb.Append('[');
                bool first = true;
                foreach (object? item in items)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    Write(sb, item);
                }
                sb.Append(']');
                break;
            default: sb.Append(value); break;
        }
    }

    private static bool IsInteger(IConvertible c) => c.GetTypeCode() is >= TypeCode.SByte and <= TypeCode.UInt64;

    private static void Quote(StringBuilder sb, string s)
        => sb.Append('"').Append(s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');

    private static bool TryParse(string text, ref int pos, StringBuilder sb)
    {
        if (pos >= text.Length) return false;
        char c = text[pos];
        if (c == '"')
        {
            int start = pos++;
            while (pos < text.Length && text[pos] != '"') pos += text[pos] == '\\' ? 2 : 1;
            if (pos >= text.Length) return false;
            pos++;
            sb.Append(text, start, pos - start);
            return true;
        }
        if (c is '[' or '{' or '(')
        {
            char close = c switch { '[' => ']', '{' => '}', _ => ')' };
            sb.Append(c);
            pos++;
            SkipSpaces(text, ref pos);
            if (pos < text.Length && text[pos] == close)
            {
                sb.Append(close);
                pos++;
                return true;
            }
            while (true)
            {
                if (!TryParse(text, ref pos, sb)) return false;
                SkipSpaces(text, ref pos);
                if (c == '{')
                {
                    if (pos >= text.Length || text[pos] != ':') return false;
                    sb.Append(": ");
                    pos++;
                    SkipSpaces(text, ref pos);
                    if (!TryParse(text, ref pos, sb)) return false;
                    SkipSpaces(text, ref pos);
                }
                if (pos >= text.Length) return false;
                if (text[pos] == close)
                {
                    sb.Append(close);
                    pos++;
                    return true;
                }
                if (text[pos] != ',') return false;
                sb.Append(", ");
                pos++;
                SkipSpaces(text, ref pos);
            }
        }
        int end = pos;
        if (end < text.Length && text[end] == '-') end++;
        int digits = end;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.')) end++;
        if (end > digits && char.IsAsciiDigit(text[digits]))
        {
            sb.Append(text, pos, end - pos);
            pos = end;
            return true;
        }
        foreach (string word in (string[])["nil", "true", "false"])
        {
            if (string.CompareOrdinal(text, pos, word, 0, word.Length) == 0 && (pos + word.Length == text.Length || !char.IsLetterOrDigit(text[pos + word.Length])))
            {
                sb.Append(word);
                pos += word.Length;
                return true;
            }
        }
        return false;
    }

    private static void SkipSpaces(string text, ref int pos)
    {
        while (pos < text.Length && text[pos] == ' ') pos++;
    }
}
