using System.Globalization;

namespace Redis.SpecTool;

/// <summary>
/// Reads <c>COMMAND DOCS</c> and <c>COMMAND INFO</c> from a connection (RESP2 or RESP3) and builds the
/// <see cref="SpecDocument"/> of docs/commands-json.md, without reply annotations.
/// </summary>
public sealed class SpecReader
{
    private readonly IConn _conn;

    /// <summary>Creates a reader over an open connection.</summary>
    public SpecReader(IConn conn)
    {
        ArgumentNullException.ThrowIfNull(conn);
        _conn = conn;
    }

    /// <summary>Things the reader skipped or could not place (unknown fields, docs without info).</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>
    /// Reads every command, or only those of <paramref name="module"/> (<c>COMMAND LIST FILTERBY MODULE</c>).
    /// </summary>
    public SpecDocument Read(string? module = null)
    {
        var document = new SpecDocument
        {
            Server = "redis " + ReadServerVersion(),
            Protocol = _conn is Conn conn ? conn.Protocol : 2,
            Module = module,
        };

        object? docsReply;
        object? infoReply;
        if (module is null)
        {
            docsReply = _conn.Do("COMMAND", "DOCS");
            infoReply = _conn.Do("COMMAND", "INFO");
        }
        else
        {
            List<string> names = RespValue.Texts(_conn.Do("COMMAND", "LIST", "FILTERBY", "MODULE", module), "COMMAND LIST");
            var tops = new HashSet<string>(names.Where(n => !n.Contains('|', StringComparison.Ordinal)), StringComparer.OrdinalIgnoreCase);
            // A subcommand whose container is not listed is asked for by its full name.
            var wanted = names.Where(n => !n.Contains('|', StringComparison.Ordinal) || !tops.Contains(n[..n.IndexOf('|', StringComparison.Ordinal)]))
                .Order(StringComparer.Ordinal).ToArray();
            if (wanted.Length == 0)
            {
                Warnings.Add($"the server lists no commands of module '{module}'");
                return document;
            }
            docsReply = _conn.Do("COMMAND", ["DOCS", .. wanted]);
            infoReply = _conn.Do("COMMAND", ["INFO", .. wanted]);
        }

        var docs = new Dictionary<string, List<KeyValuePair<string, object?>>>(StringComparer.OrdinalIgnoreCase);
        CollectDocs(docsReply, docs);

        var infos = new List<(object?[] Entry, string? Container)>();
        foreach (object? entry in RespValue.List(infoReply, "COMMAND INFO"))
        {
            if (entry is null) continue; // a name the server does not know
            object?[] fields = RespValue.List(entry, "COMMAND INFO entry");
            // A subcommand asked for by its full name (--module, container not listed) still has a container.
            string topName = fields.Length > 0 ? RespValue.Text(fields[0], "COMMAND INFO name") : "";
            int bar = topName.IndexOf('|', StringComparison.Ordinal);
            CollectInfo(fields, bar > 0 ? DisplayName(topName[..bar]) : null, infos);
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (entry, container) in infos)
        {
            CommandSpec command = BuildCommand(entry, container, docs);
            string fullName = RespValue.Text(entry[0], "COMMAND INFO name");
            seen.Add(fullName);
            if (!document.Commands.TryAdd(command.Name, command))
            {
                Warnings.Add($"{command.Name}: reported twice; the first entry is kept");
            }
        }
        foreach (string name in docs.Keys.Where(n => !seen.Contains(n)).Order(StringComparer.Ordinal))
        {
            Warnings.Add($"{DisplayName(name)}: COMMAND DOCS has an entry but COMMAND INFO does not; left out");
        }
        return document;
    }

    /// <summary>The display name of a server command name: <c>client|kill</c> becomes <c>CLIENT KILL</c>.</summary>
    public static string DisplayName(string serverName) => serverName.Replace('|', ' ').ToUpperInvariant();

    private string ReadServerVersion()
    {
        string info = RespValue.Text(_conn.Do("INFO", "server"), "INFO server");
        foreach (string line in info.Split('\n'))
        {
            string trimmed = line.TrimEnd('\r');
            if (trimmed.StartsWith("redis_version:", StringComparison.Ordinal)) return trimmed["redis_version:".Length..];
        }
        Warnings.Add("INFO server has no redis_version");
        return "unknown";
    }

    private void CollectDocs(object? reply, Dictionary<string, List<KeyValuePair<string, object?>>> into)
    {
        foreach (var (name, value) in RespValue.Map(reply, "COMMAND DOCS"))
        {
            var entry = RespValue.Map(value, $"COMMAND DOCS {name}");
            into[name] = entry;
            if (RespValue.Get(entry, "subcommands") is { } subcommands) CollectDocs(subcommands, into);
        }
    }

    private static void CollectInfo(object?[] entry, string? container, List<(object?[] Entry, string? Container)> into)
    {
        if (entry.Length < 10) throw new InvalidDataException($"COMMAND INFO entry with {entry.Length} fields (expected 10)");
        into.Add((entry, container));
        string name = RespValue.Text(entry[0], "COMMAND INFO name");
        foreach (object? sub in RespValue.List(entry[9], $"COMMAND INFO {name} subcommands"))
        {
            CollectInfo(RespValue.List(sub, $"COMMAND INFO {name} subcommand"), DisplayName(name), into);
        }
    }

    private CommandSpec BuildCommand(object?[] info, string? container, Dictionary<string, List<KeyValuePair<string, object?>>> docs)
    {
        string fullName = RespValue.Text(info[0], "COMMAND INFO name");
        string what = DisplayName(fullName);
        var command = new CommandSpec { Name = what, Container = container };
        command.Wire.AddRange(fullName.Split('|').Select(w => w.ToUpperInvariant()));

        foreach (object? sub in RespValue.List(info[9], $"{what} subcommands"))
        {
            command.Subcommands.Add(DisplayName(RespValue.Text(RespValue.List(sub, what)[0], $"{what} subcommand name")));
        }
        command.Subcommands.Sort(StringComparer.Ordinal);

        command.Arity = RespValue.Integer(info[1], $"{what} arity");
        command.Flags.AddRange(RespValue.Texts(info[2], $"{what} flags"));
        command.AclCategories.AddRange(RespValue.Texts(info[6], $"{what} ACL categories"));
        command.Tips.AddRange(RespValue.Texts(info[7], $"{what} tips"));
        foreach (object? keySpec in RespValue.List(info[8], $"{what} key specs"))
        {
            command.KeySpecs.Add(ReadKeySpec(RespValue.Map(keySpec, $"{what} key spec"), what));
        }

        if (docs.TryGetValue(fullName, out var doc)) ReadDocs(command, doc, what);
        return command;
    }

    private KeySpec ReadKeySpec(List<KeyValuePair<string, object?>> map, string what)
    {
        var keySpec = new KeySpec();
        foreach (var (field, value) in map)
        {
            switch (field)
            {
                case "notes": keySpec.Notes = RespValue.Text(value, $"{what} key spec notes"); break;
                case "flags": keySpec.Flags.AddRange(RespValue.Texts(value, $"{what} key spec flags")); break;
                case "begin_search": keySpec.BeginSearch = ReadKeySearch(value, $"{what} begin_search"); break;
                case "find_keys": keySpec.FindKeys = ReadKeySearch(value, $"{what} find_keys"); break;
                default: Warnings.Add($"{what}: key spec field '{field}' is not part of the format; left out"); break;
            }
        }
        return keySpec;
    }

    private static KeySearch ReadKeySearch(object? value, string what)
    {
        var map = RespValue.Map(value, what);
        var search = new KeySearch { Type = RespValue.OptionalText(map, "type", what) ?? "unknown" };
        if (RespValue.Get(map, "spec") is { } spec)
        {
            foreach (var (field, fieldValue) in RespValue.Map(spec, what))
            {
                object converted = fieldValue is long or byte[] or string && long.TryParse(RespValue.Text(fieldValue, what), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number)
                    ? number
                    : RespValue.Text(fieldValue, what);
                search.Fields.Add(new(field, converted));
            }
        }
        return search;
    }

    private void ReadDocs(CommandSpec command, List<KeyValuePair<string, object?>> doc, string what)
    {
        // A module command without RedisModule_SetCommandInfo has a docs entry with only group/module.
        command.Docs = RespValue.Get(doc, "summary") is not null || RespValue.Get(doc, "arguments") is not null;
        foreach (var (field, value) in doc)
        {
            switch (field)
            {
                case "summary": command.Summary = RespValue.Text(value, $"{what} summary"); break;
                case "since": command.Since = RespValue.Text(value, $"{what} since"); break;
                case "group": command.Group = RespValue.Text(value, $"{what} group"); break;
                case "complexity": command.Complexity = RespValue.Text(value, $"{what} complexity"); break;
                case "module": command.Module = RespValue.Text(value, $"{what} module"); break;
                case "doc_flags": command.DocFlags.AddRange(RespValue.Texts(value, $"{what} doc_flags")); break;
                case "deprecated_since": command.DeprecatedSince = RespValue.Text(value, $"{what} deprecated_since"); break;
                case "replaced_by": command.ReplacedBy = RespValue.Text(value, $"{what} replaced_by"); break;
                case "history":
                    foreach (object? item in RespValue.List(value, $"{what} history"))
                    {
                        object?[] pair = RespValue.List(item, $"{what} history entry");
                        if (pair.Length != 2) throw new InvalidDataException($"{what}: history entry with {pair.Length} elements");
                        command.History.Add(new HistoryEntry(RespValue.Text(pair[0], $"{what} history"), RespValue.Text(pair[1], $"{what} history")));
                    }
                    break;
                case "arguments":
                    if (command.Docs) command.Arguments.AddRange(ReadArguments(value, what));
                    break;
                case "subcommands": break; // read through COMMAND INFO; their docs are collected separately
                default: Warnings.Add($"{what}: docs field '{field}' is not part of the format; left out"); break;
            }
        }
    }

    private List<ArgumentSpec> ReadArguments(object? value, string what)
    {
        var result = new List<ArgumentSpec>();
        foreach (object? item in RespValue.List(value, $"{what} arguments"))
        {
            var map = RespValue.Map(item, $"{what} argument");
            var argument = new ArgumentSpec();
            foreach (var (field, fieldValue) in map)
            {
                switch (field)
                {
                    case "name": argument.Name = RespValue.Text(fieldValue, $"{what} argument name"); break;
                    case "type": argument.Type = RespValue.Text(fieldValue, $"{what} argument type"); break;
                    case "token": argument.Token = RespValue.Text(fieldValue, $"{what} argument token"); break;
                    case "key_spec_index": argument.KeySpecIndex = RespValue.Integer(fieldValue, $"{what} key_spec_index"); break;
                    case "since": argument.Since = RespValue.Text(fieldValue, $"{what} argument since"); break;
                    case "deprecated_since": argument.DeprecatedSince = RespValue.Text(fieldValue, $"{what} argument deprecated_since"); break;
                    case "summary": argument.Summary = RespValue.Text(fieldValue, $"{what} argument summary"); break;
                    case "display_text": argument.Display = RespValue.Text(fieldValue, $"{what} argument display_text"); break;
                    case "flags":
                        foreach (string flag in RespValue.Texts(fieldValue, $"{what} argument flags"))
                        {
                            switch (flag)
                            {
                                case "optional": argument.Optional = true; break;
                                case "multiple": argument.Multiple = true; break;
                                case "multiple_token": argument.MultipleToken = true; break;
                                default: Warnings.Add($"{what}: argument flag '{flag}' is not part of the format; left out"); break;
                            }
                        }
                        break;
                    case "arguments": argument.Arguments.AddRange(ReadArguments(fieldValue, what)); break;
                    default: Warnings.Add($"{what}: argument field '{field}' is not part of the format; left out"); break;
                }
            }
            result.Add(argument);
        }
        return result;
    }
}
