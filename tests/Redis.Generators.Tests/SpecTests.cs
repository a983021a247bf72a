using Microsoft.CodeAnalysis;
using Redis.Generators.Json;
using Redis.Generators.Spec;

namespace Redis.Generators.Tests;

/// <summary>The JSON reader, the spec parser, the reply vocabulary and the method-name rule.</summary>
public class SpecTests
{
    private static CommandSpec Mini()
        => CommandSpec.Merge([SpecParser.Parse("/proj/commands.json", Microsoft.CodeAnalysis.Text.SourceText.From(GeneratorHarness.MiniSpec))]);

    [Fact]
    public void JsonReader_ReadsEveryKindOfValue_WithPositions()
    {
        JsonNode root = JsonReader.Parse("{ \"a\": [1, -2.5e3, true, false, null], \"b\": \"x\\n\\u00e9\\\"\" }");
        Assert.Equal(JsonKind.Object, root.Kind);
        JsonNode a = root["a"]!;
        Assert.Equal([JsonKind.Number, JsonKind.Number, JsonKind.True, JsonKind.False, JsonKind.Null], a.Items.Select(i => i.Kind));
        Assert.Equal("-2.5e3", a.Items[1].Text);
        Assert.Equal("x\né\"", root["b"]!.Text);
        Assert.Equal(7, a.Start);
    }

    [Theory]
    [InlineData("", 0, "empty")]
    [InlineData("{\"a\" 1}", 5, "Expected ':'")]
    [InlineData("[1, 2,]", 6, "Trailing comma")]
    [InlineData("{\"a\": tru}", 6, "Unexpected character")]
    [InlineData("\"abc", 0, "Unterminated string")]
    [InlineData("{} x", 3, "after the end")]
    [InlineData("01", 1, "after the end")]
    public void JsonReader_ReportsTheFirstError_WithItsPosition(string json, int position, string message)
    {
        var error = Assert.Throws<JsonReaderException>(() => JsonReader.Parse(json));
        Assert.Equal(position, error.Position);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void JsonReader_LimitsNesting_InsteadOfOverflowingTheStack()
    {
        var error = Assert.Throws<JsonReaderException>(() => JsonReader.Parse(new string('[', 1_000_000)));
        Assert.Contains("Nesting", error.Message);
    }

    [Fact]
    public void SpecParser_ReadsTheMiniSpec()
    {
        CommandSpec spec = Mini();
        Assert.False(spec.HasErrors);
        Assert.Equal(20, spec.Commands.Count);
        SpecCommand set = spec.Find("set")!;
        Assert.Equal(["SET"], set.Wire);
        Assert.Equal(-3, set.Arity);
        Assert.Equal(["key", "value", "condition", "get", "expiration"], set.Arguments.Select(a => a.Name));
        Assert.Equal(ArgumentType.OneOf, set.Arguments[4].Type);
        Assert.Equal("KEEPTTL", set.Arguments[4].Arguments[4].Token);
        Assert.Equal(3, set.Reply!.Cases.Count);
        Assert.Equal("Get", set.Reply.Cases[0].Variant);
        Assert.Equal(["get"], set.Reply.Cases[0].Present);
        Assert.True(spec.Find("GET")!.Reply!.Verified);
        Assert.True(spec.Find("GETSET")!.IsDeprecated);
        Assert.True(spec.Find("CLIENT")!.IsContainer);
        Assert.Equal("CLIENT", spec.Find("client|setname")!.Container);
        Assert.False(spec.Find("MYMODULE.ECHO")!.Docs);
        Assert.True(spec.HasGroup("sorted-set"));
        Assert.Single(spec.Find("SCAN")!.Tips, t => t == "nondeterministic_output");
    }

    [Fact]
    public void SpecParser_AcceptsTheServersFlagsSpelling()
    {
        string json = "{\"commands\": {\"X\": {\"arguments\": [{\"name\": \"a\", \"type\": \"string\", \"flags\": [\"optional\", \"multiple\"]}]}}}";
        SpecFile file = SpecParser.Parse("/p/commands.json", Microsoft.CodeAnalysis.Text.SourceText.From(json));
        SpecArgument argument = file.Commands.Single().Arguments.Single();
        Assert.True(argument.Optional);
        Assert.True(argument.Multiple);
        Assert.True(file.Commands.Single().Docs);
    }

    [Theory]
    [InlineData("ok", "Ok", false, "ok")]
    [InlineData("bulk?", "Bulk", true, "bulk?")]
    [InlineData("map<bulk, array<bulk?>>?", "Map", true, "map<bulk,array<bulk?>>?")]
    [InlineData("tuple<cursor,array<bulk>>", "Tuple", false, "tuple<cursor,array<bulk>>")]
    [InlineData("record", "Unknown", false, "record")]
    [InlineData("map<bulk", "Unknown", false, "map<bulk")]
    [InlineData("array<bulk,bulk>", "Unknown", false, "array<bulk,bulk>")]
    public void ReplyTypes_Parse(string text, string kind, bool nullable, string canonical)
    {
        ReplyType type = ReplyTypeParser.Parse(text);
        Assert.Equal(kind, type.Kind.ToString());
        Assert.Equal(nullable, type.Nullable);
        Assert.Equal(canonical, type.Text);
    }

    [Theory]
    [InlineData("Get", "GET", null)]
    [InlineData("GetAsync", "GET", null)]
    [InlineData("HGetAll", "HGETALL", null)]
    [InlineData("HGetAllAsync", "HGETALL", null)]
    [InlineData("ClientSetName", "CLIENT SETNAME", null)]
    [InlineData("ClientGetNameAsync", "CLIENT GETNAME", null)]
    [InlineData("ZRangeWithScores", "ZRANGE", "WithScores")]
    [InlineData("SetGet", "SET", "Get")]
    [InlineData("GetSet", "GETSET", null)]
    [InlineData("ZAddIncr", "ZADD", "Incr")]
    [InlineData("BLPop", "BLPOP", null)]
    [InlineData("MGet", "MGET", null)]
    [InlineData("IncrBy", "INCRBY", null)]
    [InlineData("MyModuleEcho", "MYMODULE.ECHO", null)]
    [InlineData("Client", "CLIENT", null)]
    [InlineData("GetValue", null, null)]
    [InlineData("Frobnicate", null, null)]
    public void MethodNames_MapToCommands(string method, string? command, string? variant)
    {
        CommandMatch match = CommandNameMatcher.Match(method, Mini());
        Assert.Equal(command, match.Command?.Name);
        Assert.Equal(variant, match.Variant);
    }

    [Theory]
    [InlineData("HGetAll", "H,Get,All")]
    [InlineData("BLPop", "BL,Pop")]
    [InlineData("ClientSetName", "Client,Set,Name")]
    [InlineData("XMLHttpGet", "XML,Http,Get")]
    [InlineData("Get2Keys", "Get2,Keys")]
    [InlineData("get_all", "get,all")]
    public void PascalCase_SplitsIntoWords(string name, string words)
        => Assert.Equal(words.Split(','), CommandNameMatcher.SplitWords(name));

    [Fact]
    public void SeveralSpecFiles_Merge_FirstDefinitionWins()
    {
        var first = SpecParser.Parse("/a/commands.json", Microsoft.CodeAnalysis.Text.SourceText.From("{\"commands\": {\"X\": {\"summary\": \"first\"}, \"Y\": {}}}"));
        var second = SpecParser.Parse("/b/x.commands.json", Microsoft.CodeAnalysis.Text.SourceText.From("{\"commands\": {\"X\": {\"summary\": \"second\"}, \"Z\": {}}}"));
        CommandSpec merged = CommandSpec.Merge([first, second]);
        Assert.Equal(["X", "Y", "Z"], merged.Commands.Select(c => c.Name));
        Assert.Equal("first", merged.Find("X")!.Summary);
        Assert.Single(merged.Diagnostics, d => d.Descriptor.Id == "RDS0016");
    }

    [Theory]
    [InlineData("/proj/commands.json", true)]
    [InlineData("/proj/Commands.JSON", true)]
    [InlineData("/proj/redis7.commands.json", true)]
    [InlineData("/proj/mycommands.json", false)]
    [InlineData("/proj/commands.json.bak", false)]
    public void SpecFiles_AreChosenByName(string path, bool chosen) => Assert.Equal(chosen, SpecParser.IsSpecFileName(path));

    [Fact]
    public void AFileMarkedRedisCommandSpec_IsReadWhateverItsName()
    {
        AdditionalText spec = GeneratorHarness.Spec(path: "/pkg/buildTransitive/Redis.Runtime.spec.json");
        var options = new TestOptionsProvider(new() { [spec.Path] = new() { [RedisCommandsGenerator.SpecMetadata] = "true" } });
        GeneratorRun marked = GeneratorHarness.Run(GeneratorHarness.CreateDriver([spec], options), GeneratorHarness.CreateCompilation(TestSources.Shop));
        GeneratorHarness.AssertCleanCompile(marked);
        Assert.Single(marked.Result.GeneratedSources);

        GeneratorRun unmarked = GeneratorHarness.Run(TestSources.Shop, spec);
        Assert.Contains(unmarked.Diagnostics, d => d.Id == "RDS0009");
        Assert.Empty(unmarked.Result.GeneratedSources);
    }
}
