using System.Linq;
using Microsoft.CodeAnalysis;

namespace Redis.Generators.Spec;

/// <summary>The argument types of COMMAND DOCS.</summary>
internal enum ArgumentType
{
    Unknown,
    Key,
    String,
    Integer,
    Double,
    Pattern,
    UnixTime,
    PureToken,
    OneOf,
    Block,
}

/// <summary>One node of a command's argument tree, as commands.json (and COMMAND DOCS) describe it.</summary>
internal sealed record SpecArgument(
    string Name,
    ArgumentType Type,
    string TypeName,
    string? Token,
    bool Optional,
    bool Multiple,
    bool MultipleToken,
    int KeySpecIndex,
    string? Since,
    string? DeprecatedSince,
    string? Summary,
    string? Display,
    EquatableArray<SpecArgument> Arguments)
{
    public bool IsScalar => Type is ArgumentType.Key or ArgumentType.String or ArgumentType.Integer or ArgumentType.Double
        or ArgumentType.Pattern or ArgumentType.UnixTime or ArgumentType.Unknown;
}

/// <summary>The reply vocabulary of commands.json.</summary>
internal enum ReplyKind
{
    Unknown,
    Ok,
    Status,
    Bulk,
    Int,
    Bool,
    Double,
    Cursor,
    Any,
    Push,
    Array,
    Map,
    Pairs,
    Tuple,
}

/// <summary>A parsed reply type such as <c>map&lt;bulk,array&lt;bulk?&gt;&gt;?</c>.</summary>
internal sealed record ReplyType(ReplyKind Kind, bool Nullable, EquatableArray<ReplyType> Arguments, string Text, EquatableArray<string> Names = default)
{
    /// <summary>The element name the spec gives type argument <paramref name="index"/> (<c>pairs&lt;bulk member,double score&gt;</c>), or null.</summary>
    public string? NameOf(int index) => index < Names.Count && Names[index].Length > 0 ? Names[index] : null;

    public override string ToString() => Text;
}

/// <summary>One reply case: the type when the arguments in <see cref="Present"/> are sent.</summary>
internal sealed record ReplyCase(EquatableArray<string> Present, ReplyType Type, string? Variant);

/// <summary>A command's reply: one case without a condition, or several cases (the last one the default).</summary>
internal sealed record SpecReply(EquatableArray<ReplyCase> Cases, bool Verified)
{
    /// <summary>The default case (the last one).</summary>
    public ReplyCase Default => Cases[Cases.Count - 1];
}

internal sealed record SpecHistoryEntry(string Version, string Change);

/// <summary>A key spec of COMMAND INFO (kept for cluster routing and the spec-driven members).</summary>
internal sealed record SpecKeySpec(
    EquatableArray<string> Flags,
    string BeginSearchType,
    int BeginSearchIndex,
    string? BeginSearchKeyword,
    int BeginSearchStartFrom,
    string FindKeysType,
    int LastKey,
    int KeyStep,
    int Limit,
    int KeyNumIndex,
    int FirstKey,
    string? Notes);

/// <summary>One entry of commands.json.</summary>
internal sealed record SpecCommand(
    string Name,
    EquatableArray<string> Wire,
    string? Container,
    EquatableArray<string> Subcommands,
    string? Summary,
    string? Since,
    string? Group,
    string? Complexity,
    string? Module,
    EquatableArray<string> DocFlags,
    string? DeprecatedSince,
    string? ReplacedBy,
    EquatableArray<SpecHistoryEntry> History,
    int Arity,
    EquatableArray<string> Flags,
    EquatableArray<string> AclCategories,
    EquatableArray<string> Tips,
    EquatableArray<SpecKeySpec> KeySpecs,
    bool Docs,
    EquatableArray<SpecArgument> Arguments,
    SpecReply? Reply,
    Location Location)
{
    public bool IsContainer => !Subcommands.IsEmpty;

    public bool IsDeprecated => DeprecatedSince is not null || DocFlags.Contains("deprecated");
}

/// <summary>One parsed spec file: its commands and what was wrong with it.</summary>
internal sealed record SpecFile(string Path, EquatableArray<SpecCommand> Commands, EquatableArray<DiagnosticInfo> Diagnostics, bool HasErrors);
