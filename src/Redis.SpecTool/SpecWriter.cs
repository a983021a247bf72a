using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Redis.SpecTool;

/// <summary>
/// Writes a <see cref="SpecDocument"/> as <c>commands.json</c>: UTF-8, 2-space indentation, <c>\n</c> line
/// ends, a final newline, fields in a fixed order, commands in ordinal order, and every field that would be
/// empty, false or null left out (except <c>docs</c>, which is always written). The same document always
/// gives the same bytes.
/// </summary>
public static class SpecWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        IndentCharacter = ' ',
        IndentSize = 2,
        NewLine = "\n",
        // Summaries are full of backquotes and quotes; keep them readable. JSON stays valid.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The file's bytes.</summary>
    public static byte[] ToUtf8(SpecDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            Write(writer, document);
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>The file's text.</summary>
    public static string ToJson(SpecDocument document) => Encoding.UTF8.GetString(ToUtf8(document));

    private static void Write(Utf8JsonWriter writer, SpecDocument document)
    {
        writer.WriteStartObject();
        writer.WriteNumber("format_version", document.FormatVersion);
        writer.WriteStartObject("generated");
        writer.WriteString("by", SpecDocument.GeneratorName);
        writer.WriteString("server", document.Server);
        writer.WriteNumber("protocol", document.Protocol);
        if (document.Module is not null) writer.WriteString("module", document.Module);
        writer.WriteEndObject();
        writer.WriteStartObject("commands");
        foreach (var (name, command) in document.Commands)
        {
            writer.WritePropertyName(name);
            WriteCommand(writer, command);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteCommand(Utf8JsonWriter writer, CommandSpec command)
    {
        writer.WriteStartObject();
        writer.WriteString("name", command.Name);
        WriteStrings(writer, "wire", command.Wire);
        WriteString(writer, "container", command.Container);
        WriteStrings(writer, "subcommands", command.Subcommands);
        WriteString(writer, "summary", command.Summary);
        WriteString(writer, "since", command.Since);
        WriteString(writer, "group", command.Group);
        WriteString(writer, "complexity", command.Complexity);
        WriteString(writer, "module", command.Module);
        WriteStrings(writer, "doc_flags", command.DocFlags);
        WriteString(writer, "deprecated_since", command.DeprecatedSince);
        WriteString(writer, "replaced_by", command.ReplacedBy);
        if (command.History.Count > 0)
        {
            writer.WriteStartArray("history");
            foreach (HistoryEntry entry in command.History)
            {
                writer.WriteStartObject();
                writer.WriteString("version", entry.Version);
                writer.WriteString("change", entry.Change);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        writer.WriteNumber("arity", command.Arity);
        WriteStrings(writer, "flags", command.Flags);
        WriteStrings(writer, "acl_categories", command.AclCategories);
        WriteStrings(writer, "tips", command.Tips);
        if (command.KeySpecs.Count > 0)
        {
            writer.WriteStartArray("key_specs");
            foreach (KeySpec keySpec in command.KeySpecs) WriteKeySpec(writer, keySpec);
            writer.WriteEndArray();
        }
        writer.WriteBoolean("docs", command.Docs);
        WriteArguments(writer, command.Arguments);
        if (command.Reply is not null)
        {
            writer.WritePropertyName("reply");
            command.Reply.WriteTo(writer);
        }
        writer.WriteEndObject();
    }

    private static void WriteKeySpec(Utf8JsonWriter writer, KeySpec keySpec)
    {
        writer.WriteStartObject();
        WriteStrings(writer, "flags", keySpec.Flags);
        WriteKeySearch(writer, "begin_search", keySpec.BeginSearch);
        WriteKeySearch(writer, "find_keys", keySpec.FindKeys);
        WriteString(writer, "notes", keySpec.Notes);
        writer.WriteEndObject();
    }

    private static void WriteKeySearch(Utf8JsonWriter writer, string name, KeySearch search)
    {
        writer.WriteStartObject(name);
        writer.WriteString("type", search.Type);
        foreach (var (field, value) in search.Fields)
        {
            if (value is long number) writer.WriteNumber(field, number);
            else writer.WriteString(field, (string)value);
        }
        writer.WriteEndObject();
    }

    private static void WriteArguments(Utf8JsonWriter writer, List<ArgumentSpec> arguments)
    {
        if (arguments.Count == 0) return;
        writer.WriteStartArray("arguments");
        foreach (ArgumentSpec argument in arguments)
        {
            writer.WriteStartObject();
            writer.WriteString("name", argument.Name);
            writer.WriteString("type", argument.Type);
            // MIGRATE's empty_string has the token "" (an empty key): written although empty.
            if (argument.Token is not null) writer.WriteString("token", argument.Token);
            if (argument.Optional) writer.WriteBoolean("optional", true);
            if (argument.Multiple) writer.WriteBoolean("multiple", true);
            if (argument.MultipleToken) writer.WriteBoolean("multiple_token", true);
            if (argument.KeySpecIndex is { } index) writer.WriteNumber("key_spec_index", index);
            WriteString(writer, "since", argument.Since);
            WriteString(writer, "deprecated_since", argument.DeprecatedSince);
            WriteString(writer, "summary", argument.Summary);
            WriteString(writer, "display", argument.Display);
            WriteArguments(writer, argument.Arguments);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) writer.WriteString(name, value);
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, List<string> values)
    {
        if (values.Count == 0) return;
        writer.WriteStartArray(name);
        foreach (string value in values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    }
}
