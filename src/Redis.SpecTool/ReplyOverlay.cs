using System.Text.Json;
using System.Text.Json.Nodes;

namespace Redis.SpecTool;

/// <summary>
/// The reply annotations (<c>reply</c>, with its <c>verified</c> marks) of an earlier <c>commands.json</c>,
/// carried over to a freshly read document for the commands that still exist.
/// </summary>
public sealed class ReplyOverlay
{
    private readonly Dictionary<string, JsonNode> _replies;
    private readonly HashSet<string> _commands;

    private ReplyOverlay(Dictionary<string, JsonNode> replies, HashSet<string> commands)
    {
        _replies = replies;
        _commands = commands;
    }

    /// <summary>An overlay with no commands (nothing is reported as added).</summary>
    public static ReplyOverlay Empty { get; } = new(new(StringComparer.Ordinal), new(StringComparer.Ordinal));

    /// <summary>The command names of the earlier file.</summary>
    public IReadOnlyCollection<string> Commands => _commands;

    /// <summary>The replies of the earlier file by command name.</summary>
    public IReadOnlyDictionary<string, JsonNode> Replies => _replies;

    /// <summary>Reads the overlay from the text of an earlier <c>commands.json</c>.</summary>
    public static ReplyOverlay Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })
            ?? throw new InvalidDataException("the file is empty");
        if (root["commands"] is not JsonObject commands) throw new InvalidDataException("the file has no \"commands\" object");
        var replies = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, command) in commands)
        {
            names.Add(name);
            if (command?["reply"] is { } reply) replies[name] = reply.DeepClone();
        }
        return new ReplyOverlay(replies, names);
    }

    /// <summary>Reads the overlay from a file.</summary>
    public static ReplyOverlay Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>Sets the replies of <paramref name="document"/> and reports what changed.</summary>
    public OverlayReport Apply(SpecDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var report = new OverlayReport();
        foreach (var (name, command) in document.Commands)
        {
            if (_commands.Count > 0 && !_commands.Contains(name)) report.Added.Add(name);
            if (_replies.TryGetValue(name, out JsonNode? reply))
            {
                if (command.IsContainer)
                {
                    report.Warnings.Add($"{name}: is a container now; its reply is dropped");
                    continue;
                }
                command.Reply = reply.DeepClone();
                report.RepliesKept++;
                CheckPaths(command, reply, report);
            }
            else if (command.IsCallable)
            {
                report.WithoutReply.Add(name);
            }
        }
        foreach (string name in _commands.Where(n => !document.Commands.ContainsKey(n)).Order(StringComparer.Ordinal))
        {
            report.Removed.Add(name);
        }
        return report;
    }

    private static void CheckPaths(CommandSpec command, JsonNode reply, OverlayReport report)
    {
        if (reply is not JsonObject obj || obj["cases"] is not JsonArray cases) return;
        foreach (JsonNode? @case in cases)
        {
            if (@case?["when"]?["present"] is not JsonArray present) continue;
            foreach (JsonNode? path in present)
            {
                string text = path?.GetValue<string>() ?? "";
                if (command.Docs && ArgumentPath.Resolve(command.Arguments, text) is null)
                {
                    report.Warnings.Add($"{command.Name}: reply case path '{text}' does not name an argument");
                }
            }
        }
    }
}
