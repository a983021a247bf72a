using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Redis.Generators.Spec;

namespace Redis.Generators.Tests;

/// <summary>
/// Every reply type the repository's commands.json declares, read by the generator's own
/// <see cref="ReplyTypeParser"/> (the parser that decides the generated return types): each is in the
/// vocabulary of docs/commands-json.md (no <see cref="ReplyKind.Unknown"/> anywhere in its tree, which the
/// lenient parser would otherwise turn into an untyped result), is spelled canonically, and names tuple and
/// pairs elements in lower_snake_case.
/// </summary>
public partial class RepositorySpecReplyTests
{
    private static readonly string RepositorySpec = Path.GetFullPath(Path.Combine(
        typeof(RepositorySpecReplyTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDirectory").Value!,
        "..", "..", "commands.json"));

    [GeneratedRegex("^[a-z][a-z_]*$")]
    private static partial Regex ElementName();

    [SkippableFact]
    public void TheRepositorySpec_DeclaresEveryReplyInTheVocabulary_SpelledCanonically()
    {
        Skip.IfNot(File.Exists(RepositorySpec), $"{RepositorySpec} does not exist yet");
        JsonObject commands = JsonNode.Parse(File.ReadAllText(RepositorySpec))!["commands"]!.AsObject();
        var problems = new List<string>();
        int checkedTypes = 0;
        foreach (var (name, command) in commands)
        {
            foreach (string text in DeclaredTypes(command?["reply"]))
            {
                checkedTypes++;
                ReplyType type = ReplyTypeParser.Parse(text);
                if (type.Text != text) problems.Add($"{name}: '{text}' is spelled '{type.Text}' canonically");
                if (FirstProblem(type) is { } problem) problems.Add($"{name}: '{text}': {problem}");
            }
        }
        Assert.True(checkedTypes > 300, $"only {checkedTypes} reply types found");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [InlineData("pairs<bulk member,double score>", null)]
    [InlineData("tuple<cursor cursor,array<bulk> keys>?", null)]
    [InlineData("Bulk", "Unknown")]
    [InlineData("array<bulk name>", "Unknown")]
    [InlineData("pairs<bulk Member,double>", "element name 'Member'")]
    public void FirstProblem_FindsWhatTheVocabularyLacks(string text, string? expected)
    {
        string? problem = FirstProblem(ReplyTypeParser.Parse(text));
        if (expected is null) Assert.Null(problem);
        else Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    // A reply is a type string, {"type": ...} or {"cases": [{"type": ...}, ...]}; commands without one have none.
    private static IEnumerable<string> DeclaredTypes(JsonNode? reply) => reply switch
    {
        null => [],
        JsonValue value => [value.GetValue<string>()],
        JsonObject { } obj when obj["type"] is { } type => [type.GetValue<string>()],
        JsonObject { } obj => obj["cases"]!.AsArray().Select(c => c!["type"]!.GetValue<string>()),
        _ => throw new InvalidOperationException("reply must be a string or an object"),
    };

    private static string? FirstProblem(ReplyType type)
    {
        if (type.Kind == ReplyKind.Unknown) return $"'{type.Text}' is Unknown to the parser";
        foreach (string name in type.Names)
        {
            if (name.Length > 0 && !ElementName().IsMatch(name)) return $"element name '{name}' is not lower_snake_case";
        }
        foreach (ReplyType argument in type.Arguments)
        {
            if (FirstProblem(argument) is { } problem) return problem;
        }
        return null;
    }
}
