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

    // The reply vocabulary itself is checked on the generator's parser (Redis.Generators.Tests, RepositorySpecReplyTests);
    // this checks the oracle the live tests below rely on.
    [Fact]
    public void ReplyChecker_AcceptsFittingRepliesAndRejectsTheOthers()
    {
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
