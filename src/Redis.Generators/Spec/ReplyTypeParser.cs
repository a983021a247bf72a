using System.Collections.Generic;
using System.Linq;

namespace Redis.Generators.Spec;

/// <summary>
/// Parses the reply vocabulary: <c>T := S | S "?"</c>, <c>S := ok | status | bulk | int | bool | double |
/// cursor | any | push | array&lt;T&gt; | map&lt;T,T&gt; | pairs&lt;E,E&gt; | tuple&lt;E,...&gt;</c>, <c>E := T | T name</c>:
/// an element of pairs and tuple may carry a name (<c>pairs&lt;bulk member,double score&gt;</c>), which
/// becomes the C# tuple element name.
/// Unknown words (newer vocabularies, aliases) become <see cref="ReplyKind.Unknown"/>: a reply type
/// only refines conversions, so it never makes the spec unusable.
/// </summary>
internal static class ReplyTypeParser
{
    public static ReplyType Parse(string text)
    {
        int pos = 0;
        ReplyType? type = ParseType(text, ref pos);
        SkipSpaces(text, ref pos);
        return type is null || pos != text.Length ? Unknown(text) : type;
    }

    private static ReplyType Unknown(string text) => new(ReplyKind.Unknown, text.EndsWith("?", System.StringComparison.Ordinal), EquatableArray<ReplyType>.Empty, text.Trim());

    private static ReplyType? ParseType(string text, ref int pos)
    {
        SkipSpaces(text, ref pos);
        int start = pos;
        while (pos < text.Length && (char.IsLetterOrDigit(text[pos]) || text[pos] is '_' or '-')) pos++;
        if (pos == start) return null;
        string word = text.Substring(start, pos - start);
        var args = new List<ReplyType>();
        var names = new List<string>();
        SkipSpaces(text, ref pos);
        if (pos < text.Length && text[pos] == '<')
        {
            pos++;
            while (true)
            {
                ReplyType? arg = ParseType(text, ref pos);
                if (arg is null) return null;
                args.Add(arg);
                SkipSpaces(text, ref pos);
                int nameStart = pos;
                while (pos < text.Length && (char.IsLetterOrDigit(text[pos]) || text[pos] == '_')) pos++;
                names.Add(text.Substring(nameStart, pos - nameStart));
                SkipSpaces(text, ref pos);
                if (pos >= text.Length) return null;
                if (text[pos] == ',')
                {
                    pos++;
                    continue;
                }
                if (text[pos] == '>')
                {
                    pos++;
                    break;
                }
                return null;
            }
        }
        SkipSpaces(text, ref pos);
        bool nullable = false;
        if (pos < text.Length && text[pos] == '?')
        {
            nullable = true;
            pos++;
        }
        ReplyKind kind = word switch
        {
            "ok" => ReplyKind.Ok,
            "status" => ReplyKind.Status,
            "bulk" => ReplyKind.Bulk,
            "int" => ReplyKind.Int,
            "bool" => ReplyKind.Bool,
            "double" => ReplyKind.Double,
            "cursor" => ReplyKind.Cursor,
            "any" => ReplyKind.Any,
            "push" => ReplyKind.Push,
            "array" when args.Count == 1 => ReplyKind.Array,
            "map" when args.Count == 2 => ReplyKind.Map,
            "pairs" when args.Count == 2 => ReplyKind.Pairs,
            "tuple" when args.Count >= 1 => ReplyKind.Tuple,
            _ => ReplyKind.Unknown,
        };
        if (kind is not (ReplyKind.Array or ReplyKind.Map or ReplyKind.Pairs or ReplyKind.Tuple or ReplyKind.Unknown) && args.Count > 0)
        {
            kind = ReplyKind.Unknown;
        }
        // Names only mean something on pairs and tuple elements.
        bool named = kind is ReplyKind.Pairs or ReplyKind.Tuple && names.Exists(n => n.Length > 0);
        if (!named && names.Exists(n => n.Length > 0)) kind = ReplyKind.Unknown;
        string canonical = args.Count == 0 ? word : word + "<" + string.Join(",", args.Select((a, i) => names[i].Length > 0 ? a + " " + names[i] : a.ToString())) + ">";
        return new ReplyType(kind, nullable, args.ToEquatableArray(), nullable ? canonical + "?" : canonical, named ? names.ToEquatableArray() : EquatableArray<string>.Empty);
    }

    private static void SkipSpaces(string text, ref int pos)
    {
        while (pos < text.Length && text[pos] == ' ') pos++;
    }
}
