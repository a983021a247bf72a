using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Redis.Generators.Json;

namespace Redis.Generators.Spec;

/// <summary>
/// Turns the text of a commands.json into a <see cref="SpecFile"/>. JSON syntax errors and values of
/// the wrong kind become RDS0010 diagnostics located in the file (line and column); unknown fields
/// are ignored so newer spec files still load.
/// </summary>
internal sealed class SpecParser
{
    private readonly string _path;
    private readonly SourceText _text;
    private readonly List<DiagnosticInfo> _diagnostics = new();
    private readonly CancellationToken _cancellationToken;

    private SpecParser(string path, SourceText text, CancellationToken cancellationToken)
    {
        _path = path;
        _text = text;
        _cancellationToken = cancellationToken;
    }

    public static bool IsSpecFileName(string path)
    {
        string name = System.IO.Path.GetFileName(path);
        return string.Equals(name, "commands.json", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".commands.json", StringComparison.OrdinalIgnoreCase);
    }

    public static SpecFile Parse(string path, SourceText? text, CancellationToken cancellationToken = default)
    {
        if (text is null)
        {
            var missing = DiagnosticInfo.Create(DiagnosticDescriptors.MalformedCommandSpec, Location.Create(path, default, default), System.IO.Path.GetFileName(path), "the file could not be read");
            return new SpecFile(path, EquatableArray<SpecCommand>.Empty, EquatableArray.Create(missing), true);
        }
        return new SpecParser(path, text, cancellationToken).Run();
    }

    private SpecFile Run()
    {
        var commands = new List<SpecCommand>();
        JsonNode root;
        try
        {
            root = JsonReader.Parse(_text.ToString());
        }
        catch (JsonReaderException error)
        {
            int at = Math.Min(Math.Max(error.Position, 0), _text.Length);
            Error(new TextSpan(at, at < _text.Length ? 1 : 0), error.Message);
            return Result(commands);
        }
        _cancellationToken.ThrowIfCancellationRequested();

        if (root.Kind != JsonKind.Object)
        {
            Error(root, $"the top level must be an object with a \"commands\" member, not {root.Describe()}");
            return Result(commands);
        }
        JsonNode? commandsNode = root["commands"];
        if (commandsNode is null)
        {
            Error(new TextSpan(root.Start, 1), "the top-level object has no \"commands\" member");
            return Result(commands);
        }
        if (commandsNode.Kind != JsonKind.Object)
        {
            Error(commandsNode, $"\"commands\" must be an object keyed by command name, not {commandsNode.Describe()}");
            return Result(commands);
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, JsonNode> entry in commandsNode.Properties)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (entry.Value.Kind != JsonKind.Object)
            {
                Error(entry.Value, $"command \"{entry.Key}\" must be an object, not {entry.Value.Describe()}");
                continue;
            }
            if (!seen.Add(entry.Key))
            {
                Error(entry.Value, $"command \"{entry.Key}\" appears twice");
                continue;
            }
            SpecCommand? command = ReadCommand(entry.Key, entry.Value);
            if (command is not null) commands.Add(command);
        }
        return Result(commands);
    }

    private SpecFile Result(List<SpecCommand> commands)
        => new(_path, commands.ToEquatableArray(), _diagnostics.ToEquatableArray(), _diagnostics.Count > 0);

    private SpecCommand? ReadCommand(string key, JsonNode node)
    {
        string name = Normalize(String(node, "name") ?? key);
        EquatableArray<string> wire = Strings(node, "wire");
        if (wire.IsEmpty) wire = name.Split(' ').ToEquatableArray();
        bool hasDocsField = node["docs"] is not null;
        EquatableArray<SpecArgument> arguments = Arguments(node["arguments"], 0);
        string? summary = String(node, "summary");
        bool docs = hasDocsField ? Bool(node, "docs") : (!arguments.IsEmpty || summary is not null);
        return new SpecCommand(
            name,
            wire,
            String(node, "container"),
            Strings(node, "subcommands"),
            summary,
            String(node, "since"),
            String(node, "group"),
            String(node, "complexity"),
            String(node, "module"),
            Strings(node, "doc_flags"),
            String(node, "deprecated_since"),
            String(node, "replaced_by"),
            History(node["history"]),
            Int(node, "arity", 0),
            Strings(node, "flags"),
            Strings(node, "acl_categories"),
            Strings(node, "tips"),
            KeySpecs(node["key_specs"]),
            docs,
            arguments,
            Reply(node["reply"]),
            LocationOf(node));
    }

    // "client|kill" and "client  kill" name the same command as "CLIENT KILL".
    public static string Normalize(string name)
    {
        var words = name.Replace('|', ' ').Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        return string.Join(" ", words).ToUpperInvariant();
    }

    private EquatableArray<SpecArgument> Arguments(JsonNode? node, int depth)
    {
        if (node is null) return EquatableArray<SpecArgument>.Empty;
        if (node.Kind != JsonKind.Array)
        {
            Error(node, $"\"arguments\" must be an array, not {node.Describe()}");
            return EquatableArray<SpecArgument>.Empty;
        }
        var list = new List<SpecArgument>();
        foreach (JsonNode item in node.Items)
        {
            if (item.Kind != JsonKind.Object)
            {
                Error(item, $"an argument must be an object, not {item.Describe()}");
                continue;
            }
            string? name = String(item, "name");
            string? type = String(item, "type");
            if (name is null || type is null)
            {
                Error(item, "an argument needs a \"name\" and a \"type\"");
                continue;
            }
            ArgumentType kind = type switch
            {
                "key" => ArgumentType.Key,
                "string" => ArgumentType.String,
                "integer" => ArgumentType.Integer,
                "double" => ArgumentType.Double,
                "pattern" => ArgumentType.Pattern,
                "unix-time" => ArgumentType.UnixTime,
                "pure-token" => ArgumentType.PureToken,
                "oneof" => ArgumentType.OneOf,
                "block" => ArgumentType.Block,
                _ => ArgumentType.Unknown,
            };
            EquatableArray<SpecArgument> children = depth < 32 ? Arguments(item["arguments"], depth + 1) : EquatableArray<SpecArgument>.Empty;
            if (kind is ArgumentType.OneOf or ArgumentType.Block && children.IsEmpty)
            {
                Error(item, $"the {type} argument \"{name}\" has no \"arguments\"");
                continue;
            }
            if (kind == ArgumentType.PureToken && String(item, "token") is null)
            {
                Error(item, $"the pure-token argument \"{name}\" has no \"token\"");
                continue;
            }
            list.Add(new SpecArgument(
                name,
                kind,
                type,
                String(item, "token"),
                Bool(item, "optional") || FlagsContain(item, "optional"),
                Bool(item, "multiple") || FlagsContain(item, "multiple"),
                Bool(item, "multiple_token") || FlagsContain(item, "multiple_token"),
                Int(item, "key_spec_index", -1),
                String(item, "since"),
                String(item, "deprecated_since"),
                String(item, "summary"),
                String(item, "display"),
                children));
        }
        return list.ToEquatableArray();
    }

    // COMMAND DOCS itself spells optional/multiple as "flags": ["optional"]; accept that too.
    private bool FlagsContain(JsonNode node, string flag)
    {
        JsonNode? flags = node["flags"];
        if (flags is null || flags.Kind != JsonKind.Array) return false;
        foreach (JsonNode item in flags.Items)
        {
            if (item.Kind == JsonKind.String && item.Text == flag) return true;
        }
        return false;
    }

    private SpecReply? Reply(JsonNode? node)
    {
        if (node is null || node.Kind == JsonKind.Null) return null;
        if (node.Kind == JsonKind.String)
        {
            return new SpecReply(EquatableArray.Create(new ReplyCase(EquatableArray<string>.Empty, ReplyTypeParser.Parse(node.Text!), null)), false);
        }
        if (node.Kind != JsonKind.Object)
        {
            Error(node, $"\"reply\" must be a type string or an object, not {node.Describe()}");
            return null;
        }
        bool verified = Bool(node, "verified");
        JsonNode? cases = node["cases"];
        if (cases is null)
        {
            string? type = String(node, "type");
            if (type is null)
            {
                Error(node, "a \"reply\" object needs a \"type\" or \"cases\"");
                return null;
            }
            return new SpecReply(EquatableArray.Create(new ReplyCase(EquatableArray<string>.Empty, ReplyTypeParser.Parse(type), String(node, "variant"))), verified);
        }
        if (cases.Kind != JsonKind.Array || cases.Items.Count == 0)
        {
            Error(cases, "\"cases\" must be a non-empty array");
            return null;
        }
        var list = new List<ReplyCase>();
        foreach (JsonNode item in cases.Items)
        {
            if (item.Kind != JsonKind.Object || String(item, "type") is not { } type)
            {
                Error(item, "a reply case must be an object with a \"type\"");
                continue;
            }
            EquatableArray<string> present = EquatableArray<string>.Empty;
            if (item["when"] is { } when)
            {
                if (when.Kind != JsonKind.Object)
                {
                    Error(when, "\"when\" must be an object");
                    continue;
                }
                present = Strings(when, "present");
            }
            list.Add(new ReplyCase(present, ReplyTypeParser.Parse(type), String(item, "variant")));
        }
        return list.Count == 0 ? null : new SpecReply(list.ToEquatableArray(), verified || Bool(node, "verified"));
    }

    private EquatableArray<SpecHistoryEntry> History(JsonNode? node)
    {
        if (node is null) return EquatableArray<SpecHistoryEntry>.Empty;
        if (node.Kind != JsonKind.Array)
        {
            Error(node, "\"history\" must be an array");
            return EquatableArray<SpecHistoryEntry>.Empty;
        }
        var list = new List<SpecHistoryEntry>();
        foreach (JsonNode item in node.Items)
        {
            if (item.Kind == JsonKind.Object)
            {
                list.Add(new SpecHistoryEntry(String(item, "version") ?? "", String(item, "change") ?? ""));
            }
            else if (item.Kind == JsonKind.Array && item.Items.Count == 2 && item.Items[0].Kind == JsonKind.String && item.Items[1].Kind == JsonKind.String)
            {
                list.Add(new SpecHistoryEntry(item.Items[0].Text!, item.Items[1].Text!));
            }
            else
            {
                Error(item, "a history entry must be {\"version\", \"change\"}");
            }
        }
        return list.ToEquatableArray();
    }

    private EquatableArray<SpecKeySpec> KeySpecs(JsonNode? node)
    {
        if (node is null) return EquatableArray<SpecKeySpec>.Empty;
        if (node.Kind != JsonKind.Array)
        {
            Error(node, "\"key_specs\" must be an array");
            return EquatableArray<SpecKeySpec>.Empty;
        }
        var list = new List<SpecKeySpec>();
        foreach (JsonNode item in node.Items)
        {
            if (item.Kind != JsonKind.Object)
            {
                Error(item, "a key spec must be an object");
                continue;
            }
            JsonNode? begin = item["begin_search"];
            JsonNode? find = item["find_keys"];
            list.Add(new SpecKeySpec(
                Strings(item, "flags"),
                begin is null ? "unknown" : String(begin, "type") ?? "unknown",
                begin is null ? 0 : Int(begin, "index", 0),
                begin is null ? null : String(begin, "keyword"),
                begin is null ? 0 : Int(begin, "startfrom", 0),
                find is null ? "unknown" : String(find, "type") ?? "unknown",
                find is null ? 0 : Int(find, "lastkey", 0),
                find is null ? 0 : Int(find, "keystep", 0),
                find is null ? 0 : Int(find, "limit", 0),
                find is null ? 0 : Int(find, "keynumidx", 0),
                find is null ? 0 : Int(find, "firstkey", 0),
                String(item, "notes")));
        }
        return list.ToEquatableArray();
    }

    private string? String(JsonNode node, string name)
    {
        JsonNode? value = node[name];
        if (value is null || value.Kind == JsonKind.Null) return null;
        if (value.Kind == JsonKind.String) return value.Text;
        Error(value, $"\"{name}\" must be a string, not {value.Describe()}");
        return null;
    }

    private bool Bool(JsonNode node, string name)
    {
        JsonNode? value = node[name];
        if (value is null || value.Kind == JsonKind.Null) return false;
        if (value.Kind is JsonKind.True or JsonKind.False) return value.Kind == JsonKind.True;
        Error(value, $"\"{name}\" must be true or false, not {value.Describe()}");
        return false;
    }

    private int Int(JsonNode node, string name, int fallback)
    {
        JsonNode? value = node[name];
        if (value is null || value.Kind == JsonKind.Null) return fallback;
        if (value.TryGetInt32(out int result)) return result;
        Error(value, $"\"{name}\" must be an integer, not {(value.Kind == JsonKind.Number ? value.Text : value.Describe())}");
        return fallback;
    }

    private EquatableArray<string> Strings(JsonNode node, string name)
    {
        JsonNode? value = node[name];
        if (value is null || value.Kind == JsonKind.Null) return EquatableArray<string>.Empty;
        if (value.Kind != JsonKind.Array)
        {
            Error(value, $"\"{name}\" must be an array of strings, not {value.Describe()}");
            return EquatableArray<string>.Empty;
        }
        var list = new List<string>(value.Items.Count);
        foreach (JsonNode item in value.Items)
        {
            if (item.Kind == JsonKind.String) list.Add(item.Text!);
            else Error(item, $"\"{name}\" must hold strings only, not {item.Describe()}");
        }
        return list.ToEquatableArray();
    }

    private Location LocationOf(JsonNode node) => LocationOf(new TextSpan(node.Start, 1));

    private Location LocationOf(TextSpan span) => Location.Create(_path, span, _text.Lines.GetLinePositionSpan(span));

    private void Error(JsonNode node, string message) => Error(new TextSpan(node.Start, Math.Min(node.End - node.Start, 1)), message);

    private void Error(TextSpan span, string message)
    {
        LinePosition start = _text.Lines.GetLinePosition(span.Start);
        string where = $" (line {start.Line + 1}, column {start.Character + 1})";
        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MalformedCommandSpec, LocationOf(span), System.IO.Path.GetFileName(_path), message + where));
    }
}
