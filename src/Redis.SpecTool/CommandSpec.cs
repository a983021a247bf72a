using System.Text.Json.Nodes;

namespace Redis.SpecTool;

/// <summary>One entry of <c>commands</c>: a plain command, a container or a subcommand.</summary>
public sealed class CommandSpec
{
    /// <summary>The display name: upper case, words separated by one space (<c>CLIENT KILL</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>The words sent on the wire: <c>["CLIENT", "KILL"]</c>.</summary>
    public List<string> Wire { get; } = [];

    /// <summary>For a subcommand: the container's display name.</summary>
    public string? Container { get; set; }

    /// <summary>For a container: the display names of its subcommands, in ordinal order.</summary>
    public List<string> Subcommands { get; } = [];

    /// <summary>COMMAND DOCS <c>summary</c>.</summary>
    public string? Summary { get; set; }

    /// <summary>COMMAND DOCS <c>since</c>.</summary>
    public string? Since { get; set; }

    /// <summary>COMMAND DOCS <c>group</c> (<c>module</c> for module commands).</summary>
    public string? Group { get; set; }

    /// <summary>COMMAND DOCS <c>complexity</c>.</summary>
    public string? Complexity { get; set; }

    /// <summary>COMMAND DOCS <c>module</c>.</summary>
    public string? Module { get; set; }

    /// <summary>COMMAND DOCS <c>doc_flags</c>: <c>deprecated</c>, <c>syscmd</c>.</summary>
    public List<string> DocFlags { get; } = [];

    /// <summary>COMMAND DOCS <c>deprecated_since</c>.</summary>
    public string? DeprecatedSince { get; set; }

    /// <summary>COMMAND DOCS <c>replaced_by</c>.</summary>
    public string? ReplacedBy { get; set; }

    /// <summary>COMMAND DOCS <c>history</c>, in server order.</summary>
    public List<HistoryEntry> History { get; } = [];

    /// <summary>COMMAND INFO arity (counts the command words; negative means "at least").</summary>
    public long Arity { get; set; }

    /// <summary>COMMAND INFO flags, in server order.</summary>
    public List<string> Flags { get; } = [];

    /// <summary>COMMAND INFO ACL categories, in server order.</summary>
    public List<string> AclCategories { get; } = [];

    /// <summary>COMMAND INFO tips, in server order.</summary>
    public List<string> Tips { get; } = [];

    /// <summary>COMMAND INFO key specs.</summary>
    public List<KeySpec> KeySpecs { get; } = [];

    /// <summary>False when the server gave no usable COMMAND DOCS entry: no arguments, callers fall back to arity.</summary>
    public bool Docs { get; set; }

    /// <summary>The argument tree (COMMAND DOCS <c>arguments</c>).</summary>
    public List<ArgumentSpec> Arguments { get; } = [];

    /// <summary>The reply annotation, kept as written in the previous file (a type string or an object).</summary>
    public JsonNode? Reply { get; set; }

    /// <summary>True for a container (it has subcommands).</summary>
    public bool IsContainer => Subcommands.Count > 0;

    /// <summary>True for everything but containers.</summary>
    public bool IsCallable => !IsContainer;
}
