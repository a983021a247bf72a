using System;
using System.Collections.Generic;
using System.Linq;

namespace Redis.Generators.Spec;

/// <summary>A hand-written runtime type that stands for one valued <c>oneof</c>: the tokens it can send.</summary>
internal sealed record OptionType(string MetadataName, string Role, EquatableArray<string> Tokens)
{
    /// <summary>The fully qualified name to paste into generated code.</summary>
    public string Display => "global::" + MetadataName;

    /// <summary>The short name for messages.</summary>
    public string ShortName => MetadataName.Substring(MetadataName.LastIndexOf('.') + 1);
}

/// <summary>
/// The runtime's hand-written option types (namespace <c>Redis</c>, implementing <c>Redis.IRespArguments</c>),
/// each the one parameter for a <c>oneof</c> whose alternatives carry values. A choice is matched by the set
/// of its alternatives' tokens, order-insensitive, like the enum names of <c>EnumNames</c>: SET's
/// <c>EX|PX|EXAT|PXAT|KEEPTTL</c> is <c>Expiration</c>, GETEX's <c>EX|PX|EXAT|PXAT|PERSIST</c> is
/// <c>ExpirationUpdate</c>. Two types rather than one with a runtime check, so that SET cannot be given
/// PERSIST nor GETEX KEEPTTL: the invalid call does not compile.
/// </summary>
internal static class OptionTypes
{
    /// <summary>The runtime interface every option type implements (its metadata name).</summary>
    public const string InterfaceName = "Redis.IRespArguments";

    private static readonly OptionType[] Table =
    {
        new("Redis.Expiration", "the expiration of SET", EquatableArray.Create("EX", "PX", "EXAT", "PXAT", "KEEPTTL")),
        new("Redis.ExpirationUpdate", "the expiration change of GETEX", EquatableArray.Create("EX", "PX", "EXAT", "PXAT", "PERSIST")),
    };

    /// <summary>Every entry (for tests and docs).</summary>
    public static IReadOnlyList<OptionType> All => Table;

    /// <summary>True for a oneof with at least one alternative that carries a value (not a pure token).</summary>
    public static bool IsValuedChoice(SpecArgument argument)
        => argument.Type == ArgumentType.OneOf && argument.Arguments.Any(a => a.Type != ArgumentType.PureToken);

    /// <summary>The hand-written type for a valued oneof, when its alternatives' token set is in the table.</summary>
    public static OptionType? ForChoice(SpecArgument argument)
    {
        if (!IsValuedChoice(argument) || argument.Arguments.Any(a => a.Token is null)) return null;
        string key = KeyOf(argument.Arguments.Select(a => a.Token!));
        return Table.FirstOrDefault(t => KeyOf(t.Tokens) == key);
    }

    /// <summary>The entry for a C# type (by metadata name), if it is one of the table's types.</summary>
    public static OptionType? ForType(string metadataName) => Table.FirstOrDefault(t => t.MetadataName == metadataName);

    private static string KeyOf(IEnumerable<string> tokens)
        => string.Join("|", tokens.Select(t => t.ToUpperInvariant()).Distinct(StringComparer.Ordinal).OrderBy(t => t, StringComparer.Ordinal));
}
