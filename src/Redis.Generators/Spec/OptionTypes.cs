using System;
using System.Collections.Generic;
using System.Linq;

namespace Redis.Generators.Spec;

/// <summary>A hand-written runtime type that stands for one valued <c>oneof</c>: the tokens it can send.</summary>
/// <remarks><see cref="ParameterName"/> replaces a spec name that says nothing (REPLICAOF's <c>args</c>, CLUSTER SETSLOT's <c>subcommand</c>).</remarks>
internal sealed record OptionType(string MetadataName, string Role, EquatableArray<string> Tokens, string? ParameterName = null)
{
    /// <summary>The fully qualified name to paste into generated code.</summary>
    public string Display => KnownTypes.Qualify(MetadataName);

    /// <summary>The short name for messages.</summary>
    public string ShortName => MetadataName.Substring(MetadataName.LastIndexOf('.') + 1);
}

/// <summary>
/// The runtime's hand-written option types (namespace <c>Redis</c>, implementing <c>Redis.IRespArguments</c>),
/// each the one parameter for a <c>oneof</c> whose alternatives carry values. A choice is matched by the set
/// of its alternatives' signatures (<see cref="Signature"/>), order-insensitive, like the enum names of <c>EnumNames</c>: SET's
/// <c>EX|PX|EXAT|PXAT|KEEPTTL</c> is <c>Expiration</c>, GETEX's <c>EX|PX|EXAT|PXAT|PERSIST</c> is
/// <c>ExpirationUpdate</c>. Two types rather than one with a runtime check, so that SET cannot be given
/// PERSIST nor GETEX KEEPTTL: the invalid call does not compile.
/// </summary>
internal static class OptionTypes
{
    /// <summary>The runtime interface every option type implements (its metadata name).</summary>
    public const string InterfaceName = KnownTypes.IRespArgumentsName;

    private static readonly OptionType[] Table =
    {
        new(KnownTypes.ExpirationName, "the expiration of SET", EquatableArray.Create("EX", "PX", "EXAT", "PXAT", "KEEPTTL")),
        new(KnownTypes.ExpirationUpdateName, "the expiration change of GETEX", EquatableArray.Create("EX", "PX", "EXAT", "PXAT", "PERSIST")),
        new(KnownTypes.GeoSearchOriginName, "the centre of GEOSEARCH and GEOSEARCHSTORE", EquatableArray.Create("FROMMEMBER", "FROMLONLAT"), "origin"),
        new(KnownTypes.GeoSearchShapeName, "the area of GEOSEARCH and GEOSEARCHSTORE", EquatableArray.Create("BYRADIUS", "BYBOX"), "shape"),
        new(KnownTypes.MigrateAuthenticationName, "the credentials MIGRATE passes to the target", EquatableArray.Create("AUTH", "AUTH2")),
        new(KnownTypes.ReplicationSourceName, "the primary REPLICAOF and SLAVEOF follow, or none", EquatableArray.Create("<host-port>", "NO"), "source"),
        new(KnownTypes.SlotStateName, "the state CLUSTER SETSLOT gives a slot", EquatableArray.Create("IMPORTING", "MIGRATING", "NODE", "STABLE"), "state"),
        new(KnownTypes.CommandFilterName, "the filter of COMMAND LIST", EquatableArray.Create("MODULE", "ACLCAT", "PATTERN"), "filter"),
    };

    /// <summary>Every entry (for tests and docs).</summary>
    public static IReadOnlyList<OptionType> All => Table;

    /// <summary>True for a oneof with at least one alternative that carries a value (not a pure token).</summary>
    public static bool IsValuedChoice(SpecArgument argument)
        => argument.Type == ArgumentType.OneOf && argument.Arguments.Any(a => a.Type != ArgumentType.PureToken);

    /// <summary>The hand-written type for a valued oneof, when its alternatives' signatures are in the table.</summary>
    public static OptionType? ForChoice(SpecArgument argument)
    {
        if (!IsValuedChoice(argument)) return null;
        string key = KeyOf(argument.Arguments.Select(Signature));
        return Table.FirstOrDefault(t => KeyOf(t.Tokens) == key);
    }

    /// <summary>
    /// What tells an alternative apart: its token, else the first token inside it (GEOSEARCH's circle block
    /// starts with BYRADIUS, REPLICAOF's no-one block with NO), else its name in angle brackets (<c>&lt;host-port&gt;</c>).
    /// </summary>
    public static string Signature(SpecArgument alternative)
        => alternative.Token ?? FirstToken(alternative.Arguments) ?? "<" + alternative.Name + ">";

    private static string? FirstToken(EquatableArray<SpecArgument> arguments)
    {
        foreach (SpecArgument child in arguments)
        {
            if (child.Token is not null) return child.Token;
            if (child.Type == ArgumentType.Block) return FirstToken(child.Arguments);
            return null;
        }
        return null;
    }

    /// <summary>The entry for a C# type (by metadata name), if it is one of the table's types.</summary>
    /// <remarks>A oneof whose alternatives' signatures match no entry stays flattened (one optional parameter per
    /// alternative); adding an entry here, with its runtime type, is how a choice becomes one parameter.</remarks>
    public static OptionType? ForType(string metadataName) => Table.FirstOrDefault(t => t.MetadataName == metadataName);

    private static string KeyOf(IEnumerable<string> tokens)
        => string.Join("|", tokens.Select(t => t.ToUpperInvariant()).Distinct(StringComparer.Ordinal).OrderBy(t => t, StringComparer.Ordinal));
}
