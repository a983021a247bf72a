using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redis.Tests;

/// <summary>
/// A reply type of the vocabulary in docs/commands-json.md: <c>name</c>, <c>name&lt;T,...&gt;</c>, optionally
/// followed by <c>?</c>; an element of <c>pairs</c> or <c>tuple</c> may be followed by a space and an element name.
/// The shape <see cref="ReplyChecker"/> walks live replies against. Which types commands.json may declare is decided
/// by the generator's parser and checked there (tests/Redis.Generators.Tests/RepositorySpecReplyTests.cs); the
/// generator's model is internal to it, so this project reads the strings again for its oracle.
/// </summary>
internal sealed class ReplyType
{
    private static readonly Dictionary<string, int> Arity = new(StringComparer.Ordinal)
    {
        ["ok"] = 0, ["status"] = 0, ["bulk"] = 0, ["int"] = 0, ["bool"] = 0, ["double"] = 0, ["cursor"] = 0, ["any"] = 0, ["push"] = 0,
        ["array"] = 1, ["map"] = 2, ["pairs"] = 2, ["tuple"] = -1,
    };

    private ReplyType(string name, ReplyType[] arguments, string[] elementNames, bool nullable)
    {
        Name = name;
        Arguments = arguments;
        ElementNames = elementNames;
        Nullable = nullable;
    }

    /// <summary>The element names of a pairs or tuple ("" where none is given).</summary>
    public string[] ElementNames { get; }

    public string Name { get; }

    public ReplyType[] Arguments { get; }

    public bool Nullable { get; }

    public static ReplyType Parse(string text)
    {
        int position = 0;
        ReplyType type = ParseType(text, ref position);
        if (position != text.Length) throw new FormatException($"reply type '{text}': unexpected '{text[position..]}'");
        return type;
    }

    public override string ToString()
        => Name + (Arguments.Length == 0 ? "" : "<" + string.Join(',', Arguments.Select((a, i) => ElementNames[i].Length > 0 ? a + " " + ElementNames[i] : a.ToString())) + ">") + (Nullable ? "?" : "");

    private static ReplyType ParseType(string text, ref int position)
    {
        int start = position;
        while (position < text.Length && char.IsAsciiLetterLower(text[position])) position++;
        string name = text[start..position];
        if (!Arity.TryGetValue(name, out int arity)) throw new FormatException($"reply type '{text}': unknown type '{name}' at {start}");
        var arguments = new List<ReplyType>();
        var names = new List<string>();
        if (position < text.Length && text[position] == '<')
        {
            do
            {
                position++;
                arguments.Add(ParseType(text, ref position));
                string element = "";
                if (position < text.Length && text[position] == ' ')
                {
                    int nameStart = ++position;
                    while (position < text.Length && (char.IsAsciiLetterLower(text[position]) || text[position] == '_')) position++;
                    element = text[nameStart..position];
                    if (element.Length == 0 || name is not ("pairs" or "tuple")) throw new FormatException($"reply type '{text}': an element name (lower_snake_case) of pairs or tuple expected at {nameStart}");
                }
                names.Add(element);
            }
            while (position < text.Length && text[position] == ',');
            if (position >= text.Length || text[position] != '>') throw new FormatException($"reply type '{text}': '>' expected at {position}");
            position++;
        }
        if (arity >= 0 ? arguments.Count != arity : arguments.Count == 0)
        {
            throw new FormatException($"reply type '{text}': {name} takes {(arity < 0 ? "one or more" : arity.ToString(CultureInfo.InvariantCulture))} type arguments, not {arguments.Count}");
        }
        bool nullable = position < text.Length && text[position] == '?';
        if (nullable) position++;
        return new ReplyType(name, [.. arguments], [.. names], nullable);
    }
}
