using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redis.Tests;

/// <summary>A command's <c>reply</c>: a type string, <c>{"type": ...}</c> or <c>{"cases": [...]}</c>.</summary>
internal sealed class DeclaredReply
{
    private static readonly HashSet<string> ReplyFields = ["type", "cases", "verified"];
    private static readonly HashSet<string> CaseFields = ["when", "type", "variant"];

    private DeclaredReply(List<ReplyCase> cases) => Cases = cases;

    /// <summary>The cases; one without <c>Present</c> for a plain type.</summary>
    public List<ReplyCase> Cases { get; }

    public string Summary => Cases.Count == 1 ? Cases[0].Type.ToString() : "cases: " + string.Join(" | ", Cases.Select(c => c.Type));

    public static DeclaredReply Parse(JsonNode node)
    {
        if (node is JsonValue value) return new([new([], ReplyType.Parse(value.GetValue<string>()), null)]);
        if (node is not JsonObject obj) throw new FormatException("reply must be a string or an object");
        foreach (var (field, _) in obj)
        {
            if (!ReplyFields.Contains(field)) throw new FormatException($"reply has an unknown field '{field}'");
        }
        if (obj["verified"] is { } verified && verified.GetValueKind() != JsonValueKind.True) throw new FormatException("verified must be true when present");
        if (obj["type"] is { } type)
        {
            if (obj["cases"] is not null) throw new FormatException("reply has both type and cases");
            return new([new([], ReplyType.Parse(type.GetValue<string>()), null)]);
        }
        if (obj["cases"] is not JsonArray cases || cases.Count < 2) throw new FormatException("reply needs a type or two or more cases");
        var result = new List<ReplyCase>();
        for (int i = 0; i < cases.Count; i++)
        {
            JsonObject @case = cases[i] as JsonObject ?? throw new FormatException("a case must be an object");
            foreach (var (field, _) in @case)
            {
                if (!CaseFields.Contains(field)) throw new FormatException($"case has an unknown field '{field}'");
            }
            var present = new List<string>();
            if (@case["when"] is JsonObject when)
            {
                if (when.Count != 1 || when["present"] is not JsonArray paths || paths.Count == 0) throw new FormatException("when must be {\"present\": [paths]}");
                present.AddRange(paths.Select(p => p!.GetValue<string>()));
            }
            bool last = i == cases.Count - 1;
            if (last != (present.Count == 0)) throw new FormatException("exactly the last case has no when");
            string? variant = @case["variant"]?.GetValue<string>();
            result.Add(new(present, ReplyType.Parse(@case["type"]?.GetValue<string>() ?? throw new FormatException("case without type")), variant));
        }
        return new(result);
    }

    /// <summary>The first case whose paths are all present, else the default (the last).</summary>
    public int Select(IReadOnlyCollection<string> present)
    {
        for (int i = 0; i < Cases.Count - 1; i++)
        {
            if (Cases[i].Present.All(present.Contains)) return i;
        }
        return Cases.Count - 1;
    }
}
