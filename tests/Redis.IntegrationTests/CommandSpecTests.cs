using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redis.Tests;

/// <summary>
/// commands.json (repository root) against itself and against a live redis-server: its structure, that
/// <c>src/Redis.SpecTool</c> still reads the same thing from the server, and that the declared reply types
/// are what the server sends, over RESP2 and RESP3. Replies marked <c>"verified": true</c> are exactly the
/// commands the probe table below calls.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class CommandSpecTests(ITestOutputHelper output)
{
    private static readonly Lazy<JsonObject> Spec = new(LoadSpec);

    // ------------------------------------------------------------------ structure (no server)

    [Fact]
    public void CommandsJson_HasTheFormatsInvariants()
    {
        JsonObject root = Spec.Value;
        Assert.Equal(1, root["format_version"]!.GetValue<int>());
        Assert.Equal("Redis.SpecTool", root["generated"]!["by"]!.GetValue<string>());
        JsonObject commands = root["commands"]!.AsObject();

        var names = commands.Select(c => c.Key).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(240, commands.Count(c => c.Value!["container"] is null));
        Assert.Equal(351, commands.Count(c => c.Value!["subcommands"] is null));

        var problems = new List<string>();
        int cases = 0, withCases = 0;
        foreach (var (name, node) in commands)
        {
            JsonObject command = node!.AsObject();
            if (command["name"]?.GetValue<string>() != name) problems.Add($"{name}: name differs from the key");
            string wire = string.Join(' ', command["wire"]!.AsArray().Select(w => w!.GetValue<string>()));
            if (wire != name) problems.Add($"{name}: wire is '{wire}'");
            if (command["docs"] is null) problems.Add($"{name}: no docs field");
            if (command["subcommands"] is JsonArray subs)
            {
                if (command["reply"] is not null) problems.Add($"{name}: a container has a reply");
                foreach (JsonNode? sub in subs)
                {
                    string subName = sub!.GetValue<string>();
                    if (commands[subName]?["container"]?.GetValue<string>() != name) problems.Add($"{name}: subcommand {subName} does not point back");
                }
                continue;
            }
            if (command["container"] is JsonValue container && commands[container.GetValue<string>()] is null)
            {
                problems.Add($"{name}: container {container} is missing");
            }
            if (command["reply"] is not { } reply)
            {
                problems.Add($"{name}: callable but has no reply");
                continue;
            }
            try
            {
                var declared = DeclaredReply.Parse(reply);
                if (declared.Cases.Count > 1)
                {
                    withCases++;
                    cases += declared.Cases.Count;
                }
                var variants = new HashSet<string>(StringComparer.Ordinal);
                foreach (var @case in declared.Cases)
                {
                    if (@case.Variant is { } variant && (!variants.Add(variant) || !IsPascalCase(variant)))
                    {
                        problems.Add($"{name}: variant '{variant}' is repeated or not a PascalCase identifier");
                    }
                    foreach (string path in @case.Present)
                    {
                        if (!PathExists(command["arguments"] as JsonArray, path)) problems.Add($"{name}: when.present path '{path}' names no argument");
                    }
                }
            }
            catch (FormatException ex)
            {
                problems.Add($"{name}: {ex.Message}");
            }
        }
        Assert.True(problems.Count == 0, "commands.json problems:\n" + string.Join('\n', problems));

        // Every reply marked verified is called by the probe table, and the other way round.
        var verified = VerifiedCommands();
        var covered = ProbeTable.All.Select(p => p.Command).ToHashSet(StringComparer.Ordinal);
        var notCovered = verified.Where(v => !covered.Contains(v)).Order(StringComparer.Ordinal).ToList();
        var notMarked = covered.Where(c => !verified.Contains(c)).Order(StringComparer.Ordinal).ToList();
        Assert.True(notCovered.Count == 0, "marked verified but not in the probe table: " + string.Join(", ", notCovered));
        Assert.True(notMarked.Count == 0, "in the probe table but not marked verified: " + string.Join(", ", notMarked));
        var unknown = covered.Where(c => commands[c] is null).ToList();
        Assert.True(unknown.Count == 0, "the probe table names commands commands.json lacks: " + string.Join(", ", unknown));
        var badPaths = ProbeTable.All.SelectMany(p => p.Present.Where(path => !PathExists(commands[p.Command]!["arguments"] as JsonArray, path)).Select(path => $"{p}: {path}")).ToList();
        Assert.True(badPaths.Count == 0, "probe paths that name no argument: " + string.Join(", ", badPaths));

        output.WriteLine($"{commands.Count} entries, 240 top-level, 351 callable, {withCases} commands with {cases} reply cases, {verified.Count} replies verified");
        foreach (var group in commands.Where(c => c.Value!["reply"] is not null)
                     .GroupBy(c => DeclaredReply.Parse(c.Value!["reply"]!).Summary)
                     .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{group.Count(),4}  {group.Key}");
        }
    }

    [Fact]
    public void ReplyTypeGrammar_AcceptsTheVocabularyAndRejectsTheRest()
    {
        foreach (string good in new[] { "ok", "ok?", "bulk?", "array<bulk?>", "map<bulk,array<tuple<bulk,pairs<bulk,bulk>?>>>?", "tuple<cursor,array<bulk>>", "pairs<bulk,double>", "pairs<bulk member,double score>", "tuple<cursor cursor,array<bulk> keys>?" })
        {
            Assert.Equal(good, ReplyType.Parse(good).ToString());
        }
        foreach (string bad in new[] { "", "record", "array", "array<bulk,bulk>", "map<bulk>", "tuple<>", "bulk??", "array<bulk> ", "pairs<bulk,...any>", "Bulk", "array<bulk name>", "pairs<bulk ,double>", "pairs<bulk Member,double>" })
        {
            Assert.Throws<FormatException>(() => ReplyType.Parse(bad));
        }
        Assert.Null(ReplyChecker.Check(new object?[] { "1".U8(), "2".U8() }, ReplyType.Parse("pairs<bulk,double>")));
        Assert.Null(ReplyChecker.Check(new object?[] { new object?[] { "a".U8(), 2.0 } }, ReplyType.Parse("pairs<bulk,double>")));
        Assert.NotNull(ReplyChecker.Check(new object?[] { "a".U8(), "x".U8() }, ReplyType.Parse("pairs<bulk,double>")));
        Assert.NotNull(ReplyChecker.Check(null, ReplyType.Parse("bulk")));
        Assert.NotNull(ReplyChecker.Check(2L, ReplyType.Parse("bool")));
        Assert.NotNull(ReplyChecker.Check("QUEUED", ReplyType.Parse("ok")));
    }

    // ------------------------------------------------------------------ the tool against the server

    [SkippableFact]
    [Trait("Server", "RedisOnly")]
    public async Task SpecTool_ReadsWhatCommandsJsonSays()
    {
        string expected = File.ReadAllText(Path.Combine(RepositoryRoot(), "commands.json"));
        string version = Spec.Value["generated"]!["server"]!.GetValue<string>();
        await using TestServer server = await DedicatedServer.StartAsync(new TestServerOptions { Reason = "commands.json comes from a local redis-server" });
        Skip.If("redis " + server.ServerVersion != version, $"commands.json describes {version}; the local server is {server.ServerVersion}");

        foreach (int protocol in new[] { 3, 2 })
        {
            await using IConn conn = Conn.Dial("tcp", server.Address, new DialOptions { Protocol = protocol, ReadTimeout = TimeSpan.FromSeconds(30) });
            string actual = Redis.SpecTool.SpecGeneration.GenerateJson(conn, null, null);
            var differences = JsonDifferences(Strip(JsonNode.Parse(expected)!, protocol), Strip(JsonNode.Parse(actual)!, protocol));
            Assert.True(differences.Count == 0,
                $"RESP{protocol}: the server no longer matches commands.json (regenerate it, see docs/commands-json.md); first differences:\n" +
                string.Join('\n', differences.Take(25)) + (differences.Count > 25 ? $"\n... and {differences.Count - 25} more" : ""));

            if (protocol == 3)
            {
                // With the checked-in file as the overlay the tool writes the checked-in file again, byte for byte.
                string regenerated = Redis.SpecTool.SpecGeneration.GenerateJson(conn, null, expected);
                var (line, was, now) = FirstDifferentLine(expected, regenerated);
                Assert.True(line == 0, $"regenerating commands.json changes line {line}:\n  file: {was}\n  tool: {now}");
            }
        }

        // --module: only that module's commands (COMMAND LIST FILTERBY MODULE); a core server has none.
        await using (IConn conn = Conn.Dial("tcp", server.Address, new DialOptions { Protocol = 3 }))
        {
            var moduleOnly = JsonNode.Parse(Redis.SpecTool.SpecGeneration.GenerateJson(conn, "nosuchmodule", expected))!;
            Assert.Equal("nosuchmodule", moduleOnly["generated"]!["module"]!.GetValue<string>());
            Assert.Empty(moduleOnly["commands"]!.AsObject());
        }
        output.WriteLine($"{server.Description}: matches commands.json over RESP3 and RESP2");
    }

    // ------------------------------------------------------------------ replies against the server

    [SkippableFact]
    [Trait("Server", "RedisOnly")]
    public async Task DeclaredReplies_MatchTheLiveServer()
    {
        JsonObject commands = Spec.Value["commands"]!.AsObject();
        var failures = new List<string>();
        var hitCases = new HashSet<(string, int)>();
        int checks = 0;
        // COMMAND_SPEC_LOG=file records every probe and its reply tree, for reviewing a reply type.
        string? logPath = Environment.GetEnvironmentVariable("COMMAND_SPEC_LOG");
        using StreamWriter? logFile = string.IsNullOrEmpty(logPath) ? null : new StreamWriter(logPath, append: false);
        Action<string>? log = logFile is null ? null : logFile.WriteLine;

        await using (TestServer server = await DedicatedServer.StartAsync(new TestServerOptions
        {
            Reason = "replies of CONFIG, ACL, DEBUG, FLUSHALL, SAVE on a private server",
            ExtraArgsFactory = directory =>
            {
                File.WriteAllText(Path.Combine(directory, "users.acl"), "user default on nopass sanitize-payload ~* &* +@all\n");
                return ["--aclfile", Path.Combine(directory, "users.acl"), "--enable-debug-command", "yes", "--enable-module-command", "yes"];
            },
        }))
        {
            foreach (int protocol in new[] { 2, 3 })
            {
                checks += RunProbes(server, protocol, ProbeTable.Standalone, commands, failures, hitCases, log);
            }
        }

        await using (TestServer cluster = await DedicatedServer.StartAsync(new TestServerOptions
        {
            Reason = "CLUSTER replies need a cluster-enabled node",
            ExtraArgs = ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"],
        }))
        {
            foreach (int protocol in new[] { 2, 3 })
            {
                checks += RunProbes(cluster, protocol, ProbeTable.Cluster, commands, failures, hitCases, log);
            }
        }

        // Every case of every probed command was exercised at least once.
        foreach (string name in ProbeTable.All.Select(p => p.Command).Distinct().Order(StringComparer.Ordinal))
        {
            var declared = DeclaredReply.Parse(commands[name]!["reply"]!);
            for (int i = 0; i < declared.Cases.Count; i++)
            {
                if (!hitCases.Contains((name, i))) failures.Add($"{name}: case {declared.Cases[i]} is never exercised by the probe table");
            }
        }

        var verified = VerifiedCommands();
        var callable = commands.Where(c => c.Value!["subcommands"] is null).Select(c => c.Key).ToList();
        output.WriteLine($"{checks} replies checked; {verified.Count} of {callable.Count} callable commands verified over RESP2 and RESP3");
        output.WriteLine("unverified: " + string.Join(", ", callable.Where(c => !verified.Contains(c)).Order(StringComparer.Ordinal)));
        Assert.True(failures.Count == 0, $"{failures.Count} replies contradict commands.json:\n" + string.Join('\n', failures));
    }

    private static int RunProbes(TestServer server, int protocol, IReadOnlyList<Probe> probes, JsonObject commands,
        List<string> failures, HashSet<(string, int)> hitCases, Action<string>? log)
    {
        var options = new DialOptions { Protocol = protocol, ReadTimeout = TimeSpan.FromSeconds(20) };
        using IConn main = Conn.Dial("tcp", server.Address, options);
        var extras = new List<IConn>();
        int checks = 0;
        try
        {
            foreach (Probe probe in probes)
            {
                IConn conn = main;
                if (probe.OwnConnection)
                {
                    conn = Conn.Dial("tcp", server.Address, options);
                    extras.Add(conn);
                }
                var context = new ProbeContext(conn, protocol, () =>
                {
                    IConn extra = Conn.Dial("tcp", server.Address, options);
                    extras.Add(extra);
                    return extra;
                });
                string label = $"RESP{protocol} {probe}";
                object? reply;
                try
                {
                    foreach (object?[] step in probe.Setup)
                    {
                        conn.Do((string)step[0]!, step[1..]);
                    }
                    probe.Before?.Invoke(context);
                    object?[] args = probe.ArgsFactory?.Invoke(context) ?? probe.Args;
                    string[] words = probe.Command.Split(' ');
                    reply = conn.Do(words[0], [.. words[1..], .. args]);
                }
                catch (RedisException ex)
                {
                    failures.Add($"{label}: {ex.GetType().Name}: {ex.Message}");
                    if (conn == main && main.Err is not null) throw;
                    continue;
                }
                checks++;
                log?.Invoke($"{label} -> {ReplyChecker.Describe(reply, 4)}");
                if (commands[probe.Command]?["reply"] is not { } node)
                {
                    failures.Add($"{label}: commands.json has no reply for {probe.Command}");
                    continue;
                }
                var declared = DeclaredReply.Parse(node);
                int index = declared.Select(probe.Present);
                hitCases.Add((probe.Command, index));
                ReplyCase chosen = declared.Cases[index];
                if (ReplyChecker.Check(reply, chosen.Type) is { } problem)
                {
                    failures.Add($"{label}: declared {chosen}; {problem}; whole reply {ReplyChecker.Describe(reply, 3)}");
                }
                else if (probe.Expect is { } expect && !expect(reply))
                {
                    failures.Add($"{label}: the reply {ReplyChecker.Describe(reply, 3)} is not the case this probe is meant to produce");
                }
                if (probe.OwnConnection) conn.Close();
            }
        }
        finally
        {
            foreach (IConn extra in extras) extra.Dispose();
        }
        return checks;
    }

    // ------------------------------------------------------------------ helpers

    private static HashSet<string> VerifiedCommands()
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, command) in Spec.Value["commands"]!.AsObject())
        {
            if (command!["reply"] is JsonObject reply && reply["verified"] is JsonValue mark && mark.GetValue<bool>()) result.Add(name);
        }
        return result;
    }

    private static bool IsPascalCase(string name) => name.Length > 0 && char.IsAsciiLetterUpper(name[0]) && name.All(char.IsAsciiLetterOrDigit);

    /// <summary>Path segments are argument names; <c>name[TOKEN]</c> picks among siblings of the same name.</summary>
    private static bool PathExists(JsonArray? arguments, string path)
    {
        JsonArray? level = arguments;
        foreach (string segment in path.Split('/'))
        {
            if (level is null) return false;
            string name = segment;
            string? token = null;
            int open = segment.IndexOf('[', StringComparison.Ordinal);
            if (open > 0 && segment.EndsWith(']'))
            {
                name = segment[..open];
                token = segment[(open + 1)..^1];
            }
            JsonNode? match = level.FirstOrDefault(a => a!["name"]!.GetValue<string>() == name
                && (token is null || a["token"]?.GetValue<string>() == token));
            if (match is null) return false;
            level = match["arguments"] as JsonArray;
        }
        return true;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Redis.sln")) && File.Exists(Path.Combine(dir.FullName, "commands.json"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no Redis.sln with a commands.json above {AppContext.BaseDirectory}");
    }

    private static JsonObject LoadSpec() => JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "commands.json")))!.AsObject();

    /// <summary>Drops what the server does not say (reply annotations) and, for RESP2, the protocol stamp.</summary>
    private static JsonNode Strip(JsonNode root, int protocol)
    {
        foreach (var (_, command) in root["commands"]!.AsObject()) command!.AsObject().Remove("reply");
        if (protocol != 3) root["generated"]!.AsObject().Remove("protocol");
        return root;
    }

    private static List<string> JsonDifferences(JsonNode expected, JsonNode actual)
    {
        var left = new List<KeyValuePair<string, string>>();
        var right = new List<KeyValuePair<string, string>>();
        Flatten(expected, "$", left);
        Flatten(actual, "$", right);
        var rightByPath = right.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var leftPaths = left.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var (path, value) in left)
        {
            if (!rightByPath.TryGetValue(path, out string? other)) result.Add($"  {path}: file {value}, server has nothing");
            else if (other != value) result.Add($"  {path}: file {value}, server {other}");
        }
        foreach (var (path, value) in right)
        {
            if (!leftPaths.Contains(path)) result.Add($"  {path}: file has nothing, server {value}");
        }
        return result;
    }

    private static void Flatten(JsonNode? node, string path, List<KeyValuePair<string, string>> into)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj.Count == 0) into.Add(new(path, "{}"));
                foreach (var (key, value) in obj) Flatten(value, $"{path}.{key}", into);
                break;
            case JsonArray array:
                if (array.Count == 0) into.Add(new(path, "[]"));
                for (int i = 0; i < array.Count; i++) Flatten(array[i], $"{path}[{i}]", into);
                break;
            default:
                into.Add(new(path, node?.ToJsonString() ?? "null"));
                break;
        }
    }

    private static (int Line, string Was, string Now) FirstDifferentLine(string expected, string actual)
    {
        string[] a = expected.Split('\n'), b = actual.Split('\n');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            string x = i < a.Length ? a[i] : "<end of file>", y = i < b.Length ? b[i] : "<end of file>";
            if (x != y) return (i + 1, x, y);
        }
        return (0, "", "");
    }
}

/// <summary>
/// A reply type of the vocabulary in docs/commands-json.md: <c>name</c>, <c>name&lt;T,...&gt;</c>, optionally
/// followed by <c>?</c>; an element of <c>pairs</c> or <c>tuple</c> may be followed by a space and an element name.
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

/// <summary>One case of a reply: the argument paths that select it, its type and its variant.</summary>
internal sealed record ReplyCase(IReadOnlyList<string> Present, ReplyType Type, string? Variant)
{
    public override string ToString()
        => (Present.Count == 0 ? "" : $"[{string.Join(' ', Present)}] ") + Type + (Variant is null ? "" : $" ({Variant})");
}

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

/// <summary>What a probe can use besides its arguments: its connection, the protocol, extra connections.</summary>
internal sealed record ProbeContext(IConn Conn, int Protocol, Func<IConn> DialExtra);

/// <summary>One call of the reply-verification table.</summary>
internal sealed record Probe(string Command, object?[] Args)
{
    /// <summary>Argument paths the call sends that select a reply case (see when.present).</summary>
    public IReadOnlyList<string> Present { get; init; } = [];

    /// <summary>Commands run first on the same connection; their replies are ignored, errors fail the probe.</summary>
    public IReadOnlyList<object?[]> Setup { get; init; } = [];

    /// <summary>Run after <see cref="Setup"/>, before the call.</summary>
    public Action<ProbeContext>? Before { get; init; }

    /// <summary>Computes the arguments at run time (ids, payloads).</summary>
    public Func<ProbeContext, object?[]>? ArgsFactory { get; init; }

    /// <summary>Runs on a connection of its own, closed afterwards (MULTI, AUTH, QUIT, SUBSCRIBE, ...).</summary>
    public bool OwnConnection { get; init; }

    /// <summary>An extra condition on the reply, to make sure the probe produced the case it is meant to (nil, ...).</summary>
    public Func<object?, bool>? Expect { get; init; }

    public Probe When(params string[] paths) => this with { Present = paths };

    public Probe After(params object?[][] steps) => this with { Setup = steps };

    public Probe Own() => this with { OwnConnection = true };

    public Probe Nil() => this with { Expect = static r => r is null };

    public Probe NotNil() => this with { Expect = static r => r is not null };

    public override string ToString() => Command + (Args.Length == 0 ? "" : " " + string.Join(' ', Args.Select(a => a is string s ? (s.Length > 24 ? s[..24] + "..." : s) : Convert.ToString(a, CultureInfo.InvariantCulture))));
}

internal static class ProbeText
{
    public static byte[] U8(this string text) => Encoding.UTF8.GetBytes(text);
}

/// <summary>
/// The calls that verify the declared replies: a concrete argument list per command on prepared keys, in
/// order (each pass starts with FLUSHALL). Commands left out are unsafe or impossible here: SHUTDOWN,
/// FAILOVER, CLUSTER FAILOVER/FORGET/MEET/REPLICATE, SYNC, PSYNC, MONITOR, MODULE LOAD/LOADEX/UNLOAD (no
/// module file), CONFIG REWRITE (no config file).
/// </summary>
internal static class ProbeTable
{
    private const string Lib = "#!lua name=speclib\n" +
        "redis.register_function('specfn', function(keys, args) return 1 end)\n" +
        "redis.register_function{function_name='specro', callback=function(keys, args) return redis.call('GET', keys[1]) end, flags={'no-writes'}}";

    private const string BusyLib = "#!lua name=busylib\nredis.register_function('busy', function(keys, args) while true do end end)";

    public static IReadOnlyList<Probe> All => [.. Standalone, .. Cluster];

    /// <summary>The data most probes read; destructive probes bring their own keys.</summary>
    private static readonly object?[][] Dataset =
    [
        S("SET", "str", "hello world"), S("SET", "num", "10"), S("SET", "flt", "1.5"), S("SET", "bitstr", "foobar"),
        S("RPUSH", "list", "a", "b", "c", "a"),
        S("HSET", "hash", "f1", "v1", "f2", "2"),
        S("SADD", "set1", "a", "b", "c"), S("SADD", "set2", "b", "c", "d"),
        S("ZADD", "z1", "1", "a", "2", "b", "3", "c"), S("ZADD", "z2", "1", "b", "2", "c", "3", "d"),
        S("GEOADD", "geo", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"),
        S("XADD", "xs", "1-1", "f", "v1"), S("XADD", "xs", "2-1", "f", "v2"), S("XADD", "xs", "3-1", "f", "v3"),
        S("XGROUP", "CREATE", "xs", "grp", "0"), S("XREADGROUP", "GROUP", "grp", "alice", "STREAMS", "xs", ">"),
        S("XGROUP", "CREATE", "xs", "idle", "$"),
        S("PFADD", "hll", "a", "b", "c"),
    ];

    public static IReadOnlyList<Probe> Standalone { get; } =
    [
        P("FLUSHALL"),
        P("DBSIZE").After(Dataset),

        // connection
        P("PING"), P("PING", "hello").When("message"), P("ECHO", "hi"), P("SELECT", "0"),
        P("HELLO") with { ArgsFactory = c => [c.Protocol] },
        P("AUTH", "default", "any-password").Own(),
        P("RESET").Own(), P("QUIT").Own(),
        P("CLIENT ID"), P("CLIENT INFO"), P("CLIENT LIST"), P("CLIENT HELP"),
        P("CLIENT GETNAME").Own().Nil(),
        P("CLIENT SETNAME", "spec"), P("CLIENT GETNAME").NotNil(),
        P("CLIENT GETREDIR"),
        P("CLIENT TRACKING", "ON").Own(),
        P("CLIENT CACHING", "YES").Own().After(S("CLIENT", "TRACKING", "ON", "OPTIN")),
        P("CLIENT TRACKINGINFO"),
        P("CLIENT NO-EVICT", "ON").Own(),
        P("CLIENT REPLY", "ON"),
        P("CLIENT PAUSE", "1", "WRITE"), P("CLIENT UNPAUSE"),
        P("CLIENT UNBLOCK") with { ArgsFactory = c => [c.Conn.Do("CLIENT", "ID")] },
        P("CLIENT KILL", "ID", "999999"),
        P("CLIENT KILL") with { ArgsFactory = c => [ClientAddress(c.DialExtra())], Present = ["filter/ip:port"] },
        P("CLIENT KILL") with { ArgsFactory = c => ["ADDR", ClientAddress(c.DialExtra()), "SKIPME", "yes"] },

        // strings
        P("APPEND", "app", "x"), P("DECR", "cnt"), P("DECRBY", "cnt", "2"), P("INCR", "cnt"), P("INCRBY", "cnt", "5"),
        P("INCRBYFLOAT", "flt", "0.25"),
        P("GET", "str").NotNil(), P("GET", "nokey").Nil(),
        P("GETDEL", "gd").After(S("SET", "gd", "1")).NotNil(), P("GETDEL", "nokey").Nil(),
        P("GETEX", "str", "EX", "100").NotNil(), P("GETEX", "nokey").Nil(),
        P("GETRANGE", "str", "0", "4"), P("SUBSTR", "str", "0", "4"),
        P("GETSET", "gs", "new").Nil(), P("GETSET", "gs", "newer").NotNil(),
        P("LCS", "lcs1", "lcs2").After(S("SET", "lcs1", "ohmytext"), S("SET", "lcs2", "mynewtext")),
        P("LCS", "lcs1", "lcs2", "LEN").When("len[LEN]"),
        P("LCS", "lcs1", "lcs2", "IDX", "MINMATCHLEN", "2", "WITHMATCHLEN").When("idx", "len[MINMATCHLEN]", "withmatchlen"),
        P("MGET", "str", "nokey"), P("MSET", "m1", "1", "m2", "2"), P("MSETNX", "m3", "1", "m4", "2"),
        P("PSETEX", "ps", "100000", "v"), P("SETEX", "se", "100", "v"), P("SETNX", "str", "x"), P("SETRANGE", "sr", "0", "abc"),
        P("STRLEN", "str"),
        P("SET", "s1", "v"),
        P("SET", "s1", "v2", "GET").When("get").NotNil(), P("SET", "s9", "v", "GET").When("get").Nil(),
        P("SET", "s1", "v3", "NX").When("condition").Nil(), P("SET", "s1", "v4", "XX").When("condition").NotNil(),
        P("SET", "s1", "v5", "EX", "100").When("expiration"),

        // lists
        P("LPUSH", "l2", "x", "y"), P("LPUSHX", "l2", "z"), P("LPUSHX", "nokey", "z"), P("RPUSH", "l2", "w"), P("RPUSHX", "l2", "v"),
        P("LINDEX", "list", "0").NotNil(), P("LINDEX", "list", "100").Nil(),
        P("LINSERT", "l2", "BEFORE", "x", "q"), P("LLEN", "list"), P("LRANGE", "list", "0", "-1"),
        P("LPOS", "list", "a").NotNil(), P("LPOS", "list", "zz").Nil(), P("LPOS", "list", "a", "COUNT", "0").When("num-matches"),
        P("LREM", "l2", "1", "q"), P("LSET", "l2", "0", "s"), P("LTRIM", "l2", "0", "10"),
        P("LMOVE", "l2", "l3", "LEFT", "RIGHT").NotNil(), P("LMOVE", "nokey", "l3", "LEFT", "RIGHT").Nil(),
        P("RPOPLPUSH", "l2", "l3").NotNil(), P("RPOPLPUSH", "nokey", "l3").Nil(),
        P("LPOP", "lp").After(S("RPUSH", "lp", "a", "b", "c", "d", "e", "f")).NotNil(), P("LPOP", "nokey").Nil(),
        P("LPOP", "lp", "2").When("count").NotNil(), P("LPOP", "nokey", "2").When("count").Nil(),
        P("RPOP", "lp").NotNil(), P("RPOP", "lp", "2").When("count"), P("RPOP", "nokey").Nil(),
        P("LMPOP", "1", "lp2", "LEFT", "COUNT", "2").After(S("RPUSH", "lp2", "a", "b", "c", "d", "e", "f", "g", "h")).NotNil(),
        P("LMPOP", "1", "nokey", "LEFT").Nil(),
        P("BLMPOP", "0.01", "1", "lp2", "RIGHT").NotNil(), P("BLMPOP", "0.01", "1", "nokey", "RIGHT").Nil(),
        P("BLPOP", "lp2", "0.01").NotNil(), P("BLPOP", "nokey", "0.01").Nil(),
        P("BRPOP", "lp2", "0.01").NotNil(),
        P("BLMOVE", "lp2", "l3", "LEFT", "LEFT", "0.01").NotNil(), P("BLMOVE", "nokey", "l3", "LEFT", "LEFT", "0.01").Nil(),
        P("BRPOPLPUSH", "lp2", "l3", "0.01").NotNil(), P("BRPOPLPUSH", "nokey", "l3", "0.01").Nil(),

        // hashes
        P("HDEL", "hash", "nofield"), P("HEXISTS", "hash", "f1"), P("HGET", "hash", "f1").NotNil(), P("HGET", "hash", "nofield").Nil(),
        P("HGETALL", "hash"), P("HINCRBY", "hash", "f2", "1"), P("HINCRBYFLOAT", "hash", "f2", "0.5"), P("HKEYS", "hash"), P("HLEN", "hash"),
        P("HMGET", "hash", "f1", "nofield"), P("HMSET", "hash", "f3", "v3"), P("HSET", "hash", "f4", "v4"), P("HSETNX", "hash", "f1", "x"),
        P("HSTRLEN", "hash", "f1"), P("HVALS", "hash"), P("HSCAN", "hash", "0"),
        P("HRANDFIELD", "hash").NotNil(), P("HRANDFIELD", "nokey").Nil(),
        P("HRANDFIELD", "hash", "2").When("options"), P("HRANDFIELD", "hash", "2", "WITHVALUES").When("options", "options/withvalues"),

        // sets
        P("SADD", "s3", "a", "b"), P("SCARD", "set1"), P("SDIFF", "set1", "set2"), P("SDIFFSTORE", "sd", "set1", "set2"),
        P("SINTER", "set1", "set2"), P("SINTERCARD", "2", "set1", "set2"), P("SINTERSTORE", "si", "set1", "set2"),
        P("SISMEMBER", "set1", "a"), P("SMEMBERS", "set1"), P("SMISMEMBER", "set1", "a", "zz"), P("SMOVE", "s3", "s4", "a"),
        P("SREM", "set1", "zz"), P("SSCAN", "set1", "0"), P("SUNION", "set1", "set2"), P("SUNIONSTORE", "su", "set1", "set2"),
        P("SPOP", "sp").After(S("SADD", "sp", "a", "b", "c", "d")).NotNil(), P("SPOP", "nokey").Nil(), P("SPOP", "sp", "2").When("count"),
        P("SRANDMEMBER", "set1").NotNil(), P("SRANDMEMBER", "nokey").Nil(), P("SRANDMEMBER", "set1", "2").When("count"),

        // sorted sets
        P("ZADD", "z3", "1", "a", "2", "b"), P("ZADD", "z3", "INCR", "2", "a").When("increment").NotNil(),
        P("ZADD", "z3", "NX", "INCR", "2", "a").When("increment").Nil(),
        P("ZCARD", "z1"), P("ZCOUNT", "z1", "-inf", "+inf"), P("ZLEXCOUNT", "z1", "-", "+"), P("ZINCRBY", "z3", "1.5", "b"),
        P("ZDIFF", "2", "z1", "z2"), P("ZDIFF", "2", "z1", "z2", "WITHSCORES").When("withscores"), P("ZDIFFSTORE", "zd", "2", "z1", "z2"),
        P("ZINTER", "2", "z1", "z2"), P("ZINTER", "2", "z1", "z2", "WITHSCORES").When("withscores"), P("ZINTERCARD", "2", "z1", "z2"),
        P("ZINTERSTORE", "zi", "2", "z1", "z2"),
        P("ZUNION", "2", "z1", "z2"), P("ZUNION", "2", "z1", "z2", "WITHSCORES").When("withscores"), P("ZUNIONSTORE", "zu", "2", "z1", "z2"),
        P("ZMSCORE", "z1", "a", "zz"), P("ZSCORE", "z1", "a").NotNil(), P("ZSCORE", "z1", "zz").Nil(),
        P("ZRANK", "z1", "b").NotNil(), P("ZRANK", "z1", "zz").Nil(), P("ZREVRANK", "z1", "b").NotNil(),
        P("ZRANGE", "z1", "0", "-1"), P("ZRANGE", "z1", "0", "-1", "WITHSCORES").When("withscores"),
        P("ZRANGE", "z1", "(1", "+inf", "BYSCORE", "LIMIT", "0", "2", "WITHSCORES").When("sortby", "offset_count", "withscores"),
        P("ZRANGEBYLEX", "z1", "-", "+"), P("ZREVRANGEBYLEX", "z1", "+", "-"),
        P("ZRANGEBYSCORE", "z1", "-inf", "+inf"), P("ZRANGEBYSCORE", "z1", "-inf", "+inf", "WITHSCORES").When("withscores"),
        P("ZREVRANGE", "z1", "0", "-1"), P("ZREVRANGE", "z1", "0", "-1", "WITHSCORES").When("withscores"),
        P("ZREVRANGEBYSCORE", "z1", "+inf", "-inf"), P("ZREVRANGEBYSCORE", "z1", "+inf", "-inf", "WITHSCORES").When("withscores"),
        P("ZRANGESTORE", "zr", "z1", "0", "-1"), P("ZREM", "z1", "zz"), P("ZSCAN", "z1", "0"),
        P("ZREMRANGEBYLEX", "zrm", "-", "(b").After(S("ZADD", "zrm", "0", "a", "0", "b", "0", "c", "1", "d", "2", "e")),
        P("ZREMRANGEBYRANK", "zrm", "0", "0"), P("ZREMRANGEBYSCORE", "zrm", "-inf", "1"),
        P("ZRANDMEMBER", "z1").NotNil(), P("ZRANDMEMBER", "nokey").Nil(), P("ZRANDMEMBER", "z1", "2").When("options"),
        P("ZRANDMEMBER", "z1", "2", "WITHSCORES").When("options", "options/withscores"),
        P("ZPOPMIN", "zp").After(S("ZADD", "zp", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f", "7", "g", "8", "h", "9", "i", "10", "j", "11", "k", "12", "l")),
        P("ZPOPMIN", "zp", "2").When("count"), P("ZPOPMIN", "nokey"), P("ZPOPMAX", "zp"), P("ZPOPMAX", "zp", "2").When("count"),
        P("ZMPOP", "1", "zp", "MIN", "COUNT", "2").NotNil(), P("ZMPOP", "1", "nokey", "MIN").Nil(),
        P("BZMPOP", "0.01", "1", "zp", "MAX").NotNil(), P("BZMPOP", "0.01", "1", "nokey", "MAX").Nil(),
        P("BZPOPMIN", "zp", "0.01").NotNil(), P("BZPOPMIN", "nokey", "0.01").Nil(), P("BZPOPMAX", "zp", "0.01").NotNil(),

        // geo
        P("GEOADD", "geo2", "13.361389", "38.115556", "Palermo"),
        P("GEODIST", "geo", "Palermo", "Catania", "km").NotNil(), P("GEODIST", "geo", "Palermo", "Nowhere").Nil(),
        P("GEOHASH", "geo", "Palermo", "Nowhere"), P("GEOPOS", "geo", "Palermo", "Nowhere"),
        P("GEORADIUS", "geo", "15", "37", "200", "km"),
        P("GEORADIUS", "geo", "15", "37", "200", "km", "WITHCOORD").When("withcoord"),
        P("GEORADIUS", "geo", "15", "37", "200", "km", "WITHDIST").When("withdist"),
        P("GEORADIUS", "geo", "15", "37", "200", "km", "WITHHASH").When("withhash"),
        P("GEORADIUS", "geo", "15", "37", "200", "km", "STORE", "gs1").When("key[STORE]"),
        P("GEORADIUS", "geo", "15", "37", "200", "km", "STOREDIST", "gs2").When("key[STOREDIST]"),
        P("GEORADIUS_RO", "geo", "15", "37", "200", "km", "ASC"),
        P("GEORADIUS_RO", "geo", "15", "37", "200", "km", "WITHCOORD", "WITHDIST").When("withcoord", "withdist"),
        P("GEORADIUS_RO", "geo", "15", "37", "200", "km", "WITHDIST").When("withdist"),
        P("GEORADIUS_RO", "geo", "15", "37", "200", "km", "WITHHASH").When("withhash"),
        P("GEORADIUSBYMEMBER", "geo", "Palermo", "200", "km"),
        P("GEORADIUSBYMEMBER", "geo", "Palermo", "200", "km", "WITHCOORD").When("withcoord"),
        P("GEORADIUSBYMEMBER", "geo", "Palermo", "200", "km", "WITHDIST").When("withdist"),
        P("GEORADIUSBYMEMBER", "geo", "Palermo", "200", "km", "WITHHASH", "COUNT", "1").When("withhash", "count"),
        P("GEORADIUSBYMEMBER", "geo", "Palermo", "200", "km", "STORE", "gs3").When("key[STORE]"),
        P("GEORADIUSBYMEMBER", "geo", "Palermo", "200", "km", "STOREDIST", "gs4").When("key[STOREDIST]"),
        P("GEORADIUSBYMEMBER_RO", "geo", "Palermo", "200", "km"),
        P("GEORADIUSBYMEMBER_RO", "geo", "Palermo", "200", "km", "WITHCOORD").When("withcoord"),
        P("GEORADIUSBYMEMBER_RO", "geo", "Palermo", "200", "km", "WITHDIST").When("withdist"),
        P("GEORADIUSBYMEMBER_RO", "geo", "Palermo", "200", "km", "WITHHASH").When("withhash"),
        P("GEOSEARCH", "geo", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km"),
        P("GEOSEARCH", "geo", "FROMMEMBER", "Palermo", "BYBOX", "400", "400", "km", "WITHCOORD").When("withcoord"),
        P("GEOSEARCH", "geo", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km", "WITHDIST").When("withdist"),
        P("GEOSEARCH", "geo", "FROMMEMBER", "Palermo", "BYRADIUS", "200", "km", "WITHHASH").When("withhash"),
        P("GEOSEARCHSTORE", "gs5", "geo", "FROMMEMBER", "Palermo", "BYBOX", "400", "400", "km"),

        // bitmaps, hyperloglog
        P("BITCOUNT", "bitstr"), P("BITPOS", "bitstr", "1"), P("GETBIT", "bitstr", "1"), P("SETBIT", "bits", "7", "1"),
        P("BITOP", "AND", "bitdest", "bitstr", "bitstr"),
        P("BITFIELD", "bf", "INCRBY", "i5", "100", "1", "GET", "u4", "0"), P("BITFIELD", "bf", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "5"),
        P("BITFIELD_RO", "bitstr", "GET", "u8", "0"),
        P("PFADD", "hll", "d"), P("PFCOUNT", "hll"), P("PFMERGE", "hll2", "hll"), P("PFDEBUG", "GETREG", "hll"), P("PFSELFTEST"),

        // generic
        P("EXISTS", "str", "nokey"), P("TYPE", "str"), P("TYPE", "nokey"), P("TOUCH", "str"), P("TTL", "str"), P("PTTL", "str"),
        P("EXPIRE", "ex", "100").After(S("SET", "ex", "1")), P("PEXPIRE", "ex", "100000"), P("EXPIREAT", "ex", "33177117420"),
        P("PEXPIREAT", "ex", "33177117420000"), P("EXPIRETIME", "ex"), P("PEXPIRETIME", "ex"), P("PERSIST", "ex"),
        P("COPY", "str", "strcopy"), P("DEL", "strcopy", "nokey"), P("UNLINK", "nokey"),
        P("DUMP", "str").NotNil(), P("DUMP", "nokey").Nil(),
        P("RESTORE") with { ArgsFactory = c => ["restored", "0", c.Conn.Do("DUMP", "str"), "REPLACE"] },
        P("RESTORE-ASKING") with { ArgsFactory = c => ["restored2", "0", c.Conn.Do("DUMP", "str"), "REPLACE"] },
        P("KEYS", "str*"), P("RANDOMKEY").NotNil(), P("SCAN", "0"), P("SCAN", "0", "MATCH", "s*", "COUNT", "100", "TYPE", "string"),
        P("RENAME", "rn1", "rn2").After(S("SET", "rn1", "1")), P("RENAMENX", "rn2", "str"),
        P("MOVE", "mv", "1").After(S("SET", "mv", "1")), P("SWAPDB", "1", "2"),
        P("MIGRATE", "127.0.0.1", "1", "nokey", "0", "100"),
        P("OBJECT ENCODING", "str").NotNil(), P("OBJECT ENCODING", "nokey").Nil(), P("OBJECT REFCOUNT", "str").NotNil(),
        P("OBJECT REFCOUNT", "nokey").Nil(), P("OBJECT IDLETIME", "str").NotNil(), P("OBJECT IDLETIME", "nokey").Nil(),
        P("OBJECT FREQ", "str").After(S("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu")).NotNil(), P("OBJECT FREQ", "nokey").Nil(),
        P("OBJECT HELP").After(S("CONFIG", "SET", "maxmemory-policy", "noeviction")),
        P("SORT", "sl").After(S("RPUSH", "sl", "3", "1", "2")), P("SORT", "sl", "BY", "nosort", "GET", "#", "GET", "nokey*").When("pattern[GET]"),
        P("SORT", "sl", "STORE", "sld").When("destination"), P("SORT_RO", "sl", "DESC"),
        P("WAIT", "0", "0"),

        // streams
        P("XADD", "xs2", "*", "f", "v").NotNil(), P("XADD", "nokey", "NOMKSTREAM", "*", "f", "v").Nil(),
        P("XLEN", "xs"), P("XRANGE", "xs", "-", "+"), P("XREVRANGE", "xs", "+", "-", "COUNT", "2"),
        P("XREAD", "STREAMS", "xs", "0").NotNil(), P("XREAD", "COUNT", "1", "STREAMS", "xs", "xs2", "0", "0").NotNil(),
        P("XREAD", "STREAMS", "xs", "$").Nil(),
        P("XREADGROUP", "GROUP", "grp", "alice", "STREAMS", "xs", "0").NotNil(),
        P("XREADGROUP", "GROUP", "grp", "alice", "STREAMS", "xs", ">").Nil(),
        P("XREADGROUP", "GROUP", "g", "c", "STREAMS", "xd", "0").After(
            S("XADD", "xd", "1-1", "f", "v"), S("XGROUP", "CREATE", "xd", "g", "0"),
            S("XREADGROUP", "GROUP", "g", "c", "STREAMS", "xd", ">"), S("XDEL", "xd", "1-1")).NotNil(),
        P("XPENDING", "xs", "grp"), P("XPENDING", "xs", "idle"), P("XPENDING", "xs", "grp", "-", "+", "10").When("filters"),
        P("XPENDING", "xs", "grp", "IDLE", "0", "-", "+", "10", "alice").When("filters"),
        P("XCLAIM", "xs", "grp", "bob", "0", "1-1"), P("XCLAIM", "xs", "grp", "bob", "0", "2-1", "JUSTID").When("justid"),
        P("XAUTOCLAIM", "xs", "grp", "carol", "0", "0-0", "COUNT", "1"),
        P("XAUTOCLAIM", "xs", "grp", "carol", "0", "0-0", "JUSTID").When("justid"),
        P("XACK", "xs", "grp", "1-1"), P("XDEL", "xs2", "0-1"),
        P("XGROUP CREATE", "xs", "grp2", "$"), P("XGROUP CREATECONSUMER", "xs", "grp2", "dave"), P("XGROUP DELCONSUMER", "xs", "grp2", "dave"),
        P("XGROUP SETID", "xs", "grp2", "0"), P("XGROUP DESTROY", "xs", "grp2"), P("XGROUP HELP"),
        P("XINFO STREAM", "xs"), P("XINFO STREAM", "xs", "FULL").When("full"), P("XINFO GROUPS", "xs"), P("XINFO CONSUMERS", "xs", "grp"),
        P("XINFO HELP"),
        P("XSETID", "xs", "10-1"), P("XTRIM", "xs", "MAXLEN", "100"),

        // scripting and functions
        P("EVAL", "return 1", "0"), P("EVAL_RO", "return redis.call('GET', KEYS[1])", "1", "str"),
        P("EVALSHA") with { ArgsFactory = c => [c.Conn.Do("SCRIPT", "LOAD", "return 1"), "0"] },
        P("EVALSHA_RO") with { ArgsFactory = c => [c.Conn.Do("SCRIPT", "LOAD", "return redis.call('GET', KEYS[1])"), "1", "str"] },
        P("SCRIPT LOAD", "return 2"), P("SCRIPT EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0000000000000000000000000000000000000000"),
        P("SCRIPT DEBUG", "NO"), P("SCRIPT HELP"),
        P("SCRIPT KILL") with { Before = c => StartBusy(c, "EVAL", "while true do end", "0") },
        P("SCRIPT FLUSH") with { Before = static c => WaitUntilNotBusy(c) },
        P("FUNCTION LOAD", Lib), P("FCALL", "specfn", "0"), P("FCALL_RO", "specro", "1", "str"),
        P("FUNCTION LIST"), P("FUNCTION STATS"), P("FUNCTION DUMP"),
        P("FUNCTION RESTORE") with { ArgsFactory = c => [c.Conn.Do("FUNCTION", "DUMP"), "REPLACE"] },
        P("FUNCTION KILL") with { Before = c => { c.Conn.Do("FUNCTION", "LOAD", "REPLACE", BusyLib); StartBusy(c, "FCALL", "busy", "0"); } },
        P("FUNCTION DELETE", "speclib") with { Before = static c => WaitUntilNotBusy(c) },
        P("FUNCTION FLUSH"), P("FUNCTION HELP"),

        // pub/sub
        P("PUBLISH", "chan", "msg"), P("SPUBLISH", "chan", "msg"),
        P("PUBSUB CHANNELS"), P("PUBSUB NUMPAT"), P("PUBSUB NUMSUB", "chan", "other"), P("PUBSUB SHARDCHANNELS"),
        P("PUBSUB SHARDNUMSUB", "chan"), P("PUBSUB HELP"),
        P("SUBSCRIBE", "chan").Own(), P("PSUBSCRIBE", "ch*").Own(), P("SSUBSCRIBE", "chan").Own(),
        P("UNSUBSCRIBE", "chan").Own().After(S("SUBSCRIBE", "chan")), P("PUNSUBSCRIBE", "ch*").Own().After(S("PSUBSCRIBE", "ch*")),
        P("SUNSUBSCRIBE", "chan").Own().After(S("SSUBSCRIBE", "chan")),

        // transactions
        P("MULTI").Own(), P("DISCARD").Own().After(S("MULTI")),
        // Pipelined: MULTI and the queued commands are only sent; Do("EXEC") flushes them and returns EXEC's reply.
        P("EXEC").Own().NotNil() with { Before = static c => { c.Conn.Send("MULTI"); c.Conn.Send("SET", "tx", "1"); c.Conn.Send("INCR", "tx"); } },
        P("EXEC").Own().After(S("WATCH", "tx")) with
        {
            Before = c => { c.DialExtra().Do("SET", "tx", "changed"); c.Conn.Do("MULTI"); c.Conn.Do("SET", "tx", "mine"); },
            Expect = static r => r is null,
        },
        P("WATCH", "tx"), P("UNWATCH"),

        // server
        P("INFO"), P("INFO", "server"), P("TIME"), P("LASTSAVE"), P("ROLE"), P("LOLWUT"), P("DEBUG", "SLEEP", "0"),
        P("REPLICAOF", "NO", "ONE"), P("SLAVEOF", "NO", "ONE"), P("REPLCONF", "listening-port", "0").Own(),
        P("CONFIG GET", "maxmemory"), P("CONFIG GET", "maxmemory", "save"), P("CONFIG SET", "maxmemory", "0"), P("CONFIG RESETSTAT"),
        P("CONFIG HELP"),
        P("COMMAND COUNT"), P("COMMAND DOCS", "get", "client|kill"), P("COMMAND GETKEYS", "SET", "k", "v"),
        P("COMMAND GETKEYSANDFLAGS", "LMOVE", "a", "b", "LEFT", "RIGHT"), P("COMMAND HELP"), P("COMMAND INFO", "get", "nocommand", "config|get"),
        P("COMMAND LIST"), P("COMMAND LIST", "FILTERBY", "ACLCAT", "hyperloglog"),
        P("MEMORY USAGE", "str").NotNil(), P("MEMORY USAGE", "nokey").Nil(), P("MEMORY DOCTOR"), P("MEMORY MALLOC-STATS"), P("MEMORY PURGE"),
        P("MEMORY STATS"), P("MEMORY HELP"),
        P("MODULE LIST"), P("MODULE HELP"),
        P("SLOWLOG GET", "10").After(S("CONFIG", "SET", "slowlog-log-slower-than", "0"), S("PING")), P("SLOWLOG LEN"), P("SLOWLOG RESET"),
        P("SLOWLOG HELP").After(S("CONFIG", "SET", "slowlog-log-slower-than", "10000")),
        P("LATENCY GRAPH", "command").After(S("CONFIG", "SET", "latency-monitor-threshold", "1"), S("DEBUG", "SLEEP", "0.01")),
        P("LATENCY HISTORY", "command"), P("LATENCY LATEST"), P("LATENCY DOCTOR"), P("LATENCY HISTOGRAM", "set", "get").After(S("SET", "lh", "1"), S("GET", "lh")), P("LATENCY RESET"),
        P("LATENCY HELP").After(S("CONFIG", "SET", "latency-monitor-threshold", "0")),
        P("ACL CAT"), P("ACL CAT", "string"), P("ACL SETUSER", "u1", "on", ">pw", "~*", "+@all"), P("ACL SETUSER", "u2", "on", "nopass", "-@all"),
        P("ACL GETUSER", "u1").NotNil(), P("ACL GETUSER", "nouser").Nil(),
        P("ACL DRYRUN", "u1", "GET", "k"), P("ACL DRYRUN", "u2", "GET", "k"),
        P("ACL LOG") with { Before = static c => Denied(c.DialExtra()) },
        P("ACL LOG", "1").When("operation"), P("ACL LOG", "RESET").When("operation/reset"),
        P("ACL GENPASS"), P("ACL GENPASS", "64"), P("ACL LIST"), P("ACL USERS"), P("ACL WHOAMI"), P("ACL HELP"),
        P("ACL SAVE"), P("ACL DELUSER", "u2", "nouser"), P("ACL LOAD"),
        P("SAVE") with { Before = static c => WaitForPersistence(c.Conn) },
        P("BGSAVE") with { Before = static c => WaitForPersistence(c.Conn) },
        P("BGREWRITEAOF") with { Before = static c => WaitForPersistence(c.Conn) },
        P("FLUSHDB") with { Before = static c => WaitForPersistence(c.Conn) },
    ];

    public static IReadOnlyList<Probe> Cluster { get; } =
    [
        P("CLUSTER RESET", "HARD"), P("CLUSTER SET-CONFIG-EPOCH", "1"), P("CLUSTER BUMPEPOCH"), P("CLUSTER MYID"),
        P("CLUSTER ADDSLOTS", "1", "2", "3"), P("CLUSTER ADDSLOTSRANGE", "100", "200", "300", "400"), P("CLUSTER DELSLOTS", "3"),
        P("CLUSTER DELSLOTSRANGE", "150", "160"), P("CLUSTER SETSLOT", "1", "STABLE"),
        P("CLUSTER INFO"), P("CLUSTER NODES"), P("CLUSTER SLOTS"), P("CLUSTER SHARDS"), P("CLUSTER LINKS"), P("CLUSTER HELP"),
        P("CLUSTER KEYSLOT", "foo"), P("CLUSTER COUNTKEYSINSLOT", "1"), P("CLUSTER GETKEYSINSLOT", "1", "10"),
        P("CLUSTER COUNT-FAILURE-REPORTS") with { ArgsFactory = static c => [c.Conn.Do("CLUSTER", "MYID")] },
        P("CLUSTER REPLICAS") with { ArgsFactory = static c => [c.Conn.Do("CLUSTER", "MYID")] },
        P("CLUSTER SLAVES") with { ArgsFactory = static c => [c.Conn.Do("CLUSTER", "MYID")] },
        P("CLUSTER SAVECONFIG"), P("CLUSTER FLUSHSLOTS"),
        P("READONLY"), P("READWRITE"), P("ASKING"),
    ];

    private static Probe P(string command, params object?[] args) => new(command, args);

    private static object?[] S(params object?[] command) => command;

    private static string ClientAddress(IConn conn)
    {
        string info = Exec.Text(conn.Do("CLIENT", "INFO"));
        return info.Split(' ').Single(f => f.StartsWith("addr=", StringComparison.Ordinal))["addr=".Length..];
    }

    /// <summary>Starts an endless script on another connection and waits until the server reports it busy.</summary>
    private static void StartBusy(ProbeContext context, string command, params object?[] args)
    {
        context.Conn.Do("CONFIG", "SET", "busy-reply-threshold", "10");
        IConn busy = context.DialExtra();
        busy.Send(command, args);
        busy.Flush();
        IConn watcher = context.DialExtra();
        for (int i = 0; i < 200; i++)
        {
            Thread.Sleep(10);
            try
            {
                watcher.Do("GET", "str");
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("BUSY", StringComparison.Ordinal))
            {
                return;
            }
        }
        throw new InvalidOperationException("the server never became busy");
    }

    /// <summary>A killed script stops at its next interrupt check; until then the server still answers BUSY.</summary>
    private static void WaitUntilNotBusy(ProbeContext context)
    {
        IConn watcher = context.DialExtra();
        for (int i = 0; i < 200; i++)
        {
            try
            {
                watcher.Do("GET", "str");
                context.Conn.Do("CONFIG", "SET", "busy-reply-threshold", "5000");
                return;
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("BUSY", StringComparison.Ordinal))
            {
                Thread.Sleep(10);
            }
        }
        throw new InvalidOperationException("the server stayed busy after the kill");
    }

    /// <summary>Makes the ACL log non-empty: user u2 may run nothing.</summary>
    private static void Denied(IConn conn)
    {
        conn.Do("AUTH", "u2", "x");
        try
        {
            conn.Do("GET", "k");
        }
        catch (RedisServerException)
        {
            // NOPERM: logged, which is the point
        }
    }

    /// <summary>SAVE, BGSAVE, BGREWRITEAOF and FLUSHDB refuse or cancel while a child process runs.</summary>
    private static void WaitForPersistence(IConn conn)
    {
        for (int i = 0; i < 500; i++)
        {
            string info = Exec.Text(conn.Do("INFO", "persistence"));
            if (info.Contains("rdb_bgsave_in_progress:0", StringComparison.Ordinal)
                && info.Contains("aof_rewrite_in_progress:0", StringComparison.Ordinal)
                && info.Contains("aof_rewrite_scheduled:0", StringComparison.Ordinal))
            {
                return;
            }
            Thread.Sleep(20);
        }
        throw new InvalidOperationException("a persistence child process is still running");
    }
}
