using System;
using System.Collections.Generic;
using System.Linq;
using Redis.Generators.Model;
using Redis.Generators.Spec;

namespace Redis.Generators.Planning;

/// <summary>A spec-driven member: its declaration in the partial interface (doc lines included) and its implementation.</summary>
internal sealed record SpecMember(MemberDeclaration Declaration, GeneratedMethod Implementation);

/// <summary>What the spec-driven members of one interface came to (also written as a comment in the generated file).</summary>
internal sealed record SpecMemberStats(int Commands, int Methods, int TypedReplies, int Skipped, EquatableArray<string> RawCommands);

/// <summary>
/// Builds the members for <c>[RedisCommands(Commands = ..., Groups = ...)]</c> from the argument tree
/// and the reply of each command. See README.md ("Spec-driven members") for the rules.
/// </summary>
internal sealed partial class SpecMemberBuilder
{
    private const string Key = KnownTypes.RedisKey;
    private const string Value = KnownTypes.RedisValue;

    private readonly SpecCommand _command;
    private readonly EnumTable _enums;
    private readonly HashSet<SpecArgument> _pinned = new(ReferenceComparer.Instance);
    private readonly HashSet<SpecArgument> _forced = new(ReferenceComparer.Instance);
    private readonly HashSet<SpecArgument> _excluded = new(ReferenceComparer.Instance);
    private readonly List<Param> _required = new();
    private readonly List<Param> _optional = new();
    private const string CancellationTokenName = "cancellationToken";
    private readonly HashSet<string> _names = new(StringComparer.Ordinal) { CancellationTokenName };
    private readonly HashSet<string> _enumsUsed = new(StringComparer.Ordinal);

    // NullCheck and RequiredChoice are what ArgumentBinder decided for the proposal (BindProposal).
    private sealed record Param(string Name, string Type, ParameterDefault Default, string Doc, bool ParamsCandidate, bool NullCheck = false, bool RequiredChoice = false, TypeDesc? Desc = null);

    private SpecMemberBuilder(SpecCommand command, EnumTable enums)
    {
        _command = command;
        _enums = enums;
    }

    /// <summary>True when some argument was passed through as raw words (<c>RedisValue[]</c>).</summary>
    public bool UsedRaw { get; private set; }

    // ---- entry point ------------------------------------------------------------------------

    /// <summary>
    /// The members for one command: for each reply variant one method that always sends the
    /// variant's argument, and one method for the remaining cases; each with an Async twin.
    /// Returns null for commands that are not methods (containers, push replies).
    /// </summary>
    public static List<(string Name, SpecMember? Sync, SpecMember? Async, bool Raw, bool Typed)>? Build(
        SpecCommand command, EnumTable enums, NameAllocator structNames, ISet<string> reserved, ISet<string> enumsUsed,
        List<DiagnosticInfo> diagnostics, Microsoft.CodeAnalysis.Location? location)
    {
        if (command.IsContainer) return null;
        SpecReply? reply = command.Reply;
        if (reply is not null && reply.Cases.Any(c => c.Type.Kind == ReplyKind.Push)) return null;
        string baseName = SpecNaming.MethodName(command.Wire);
        var result = new List<(string, SpecMember?, SpecMember?, bool, bool)>();
        var variants = reply?.Cases.Where(c => c.Variant is not null).ToList() ?? new List<ReplyCase>();
        var shapes = new List<(string Name, ReplyCase? Variant)> { (baseName, null) };
        shapes.AddRange(variants.Select(v => (baseName + v.Variant, (ReplyCase?)v)));
        foreach (var (name, variant) in shapes)
        {
            if (reserved.Contains(name) && reserved.Contains(name + "Async")) continue;
            var builder = new SpecMemberBuilder(command, enums);
            (WriteNode Plan, bool Raw)? plan;
            try
            {
                plan = builder.Plan(variant, variants);
            }
            catch (PlanningException failure)
            {
                // Said, not hidden: the member still exists (untyped), and the diagnostic names the command and the rule that failed.
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SpecMemberNotPlanned, location, name, command.Name, failure.Message));
                plan = null;
            }
            ReplyType replyType = SpecResultTypes.ReplyFor(reply, variant);
            if (plan is null)
            {
                // The whole command as raw words: object? Name(params RedisValue[] args).
                builder = new SpecMemberBuilder(command, enums);
                plan = (builder.RawCommand(), true);
                if (variant is not null) continue;
                replyType = new ReplyType(ReplyKind.Any, true, EquatableArray<ReplyType>.Empty, "any");
            }
            foreach (string e in builder._enumsUsed) enumsUsed.Add(e);
            var (sync, async, typed) = builder.Members(name, variant, replyType, plan.Value.Plan, structNames, reserved);
            if (sync is null && async is null) continue;
            result.Add((name, sync, async, plan.Value.Raw, typed));
        }
        return result;
    }

    // ---- the argument plan ------------------------------------------------------------------

    private (WriteNode, bool)? Plan(ReplyCase? variant, List<ReplyCase> variants)
    {
        if (!_command.Docs) return (RawCommand(), true);
        if (variant is not null)
        {
            foreach (string path in variant.Present)
            {
                List<SpecArgument>? chain = Resolve(path);
                if (chain is null) return null;
                _pinned.Add(chain[chain.Count - 1]);
                for (int i = 0; i < chain.Count - 1; i++) _forced.Add(chain[i]);
            }
        }
        foreach (ReplyCase other in variants)
        {
            if (ReferenceEquals(other, variant)) continue;
            foreach (string path in other.Present)
            {
                List<SpecArgument>? chain = Resolve(path);
                if (chain is null) continue;
                SpecArgument target = chain[chain.Count - 1];
                if (!_pinned.Contains(target) && !_forced.Contains(target)) _excluded.Add(target);
            }
        }
        // The one planner: the proposed signature goes through ArgumentBinder, as a user's declaration would.
        if (!Proposable(_command.Arguments))
        {
            SpecArgument? blocking = _command.Arguments.FirstOrDefault(a => !ProposableList(new EquatableArray<SpecArgument>(new[] { a })));
            throw new PlanningException(blocking is null
                ? $"no signature can be proposed for {ArgumentSyntax.Describe(_command.Arguments)} with {variant?.Variant ?? "its reply"}'s arguments pinned or left out"
                : $"no typed parameter can be proposed for the argument '{blocking.Name}' ({ArgumentSyntax.Describe(blocking)})");
        }
        return (BindProposal(variant), UsedRaw);
    }

    // The whole command as raw words, bound by ArgumentBinder as a method of a command without documented arguments.
    private WriteNode RawCommand()
    {
        UsedRaw = true;
        Add(RawWord, EquatableArray<SpecArgument>.Empty, Value + "[]", ParameterDefault.None, "The command's arguments, as sent.", optional: false, plural: true,
            paramsCandidate: true, desc: ArrayOf(ScalarWriters.ProposedType(RawWord), nullable: false));
        return Bind(_command with { Docs = false }, variant: null);
    }

    // A when.present path: names joined by '/', a segment may carry [TOKEN]; a bare name is the first sibling of that name.
    private List<SpecArgument>? Resolve(string path)
    {
        var chain = new List<SpecArgument>();
        EquatableArray<SpecArgument> level = _command.Arguments;
        foreach (string segment in path.Split('/'))
        {
            string name = segment;
            string? token = null;
            int bracket = segment.IndexOf('[');
            if (bracket > 0 && segment.EndsWith("]", StringComparison.Ordinal))
            {
                name = segment.Substring(0, bracket);
                token = segment.Substring(bracket + 1, segment.Length - bracket - 2);
            }
            SpecArgument? found = level.FirstOrDefault(a => a.Name == name && (token is null || string.Equals(a.Token, token, StringComparison.OrdinalIgnoreCase)));
            if (found is null) return null;
            chain.Add(found);
            level = found.Arguments;
        }
        return chain.Count == 0 ? null : chain;
    }

    // A count (numkeys) of a list this reply variant sends: ArgumentBinder writes it from the list's length.
    private bool IsCount(EquatableArray<SpecArgument> arguments, int k)
        => ArgumentBinder.IsCount(arguments, k) && !_excluded.Contains(arguments[k + 1]);

    private static bool Simple(SpecArgument argument)
        => argument.Type == ArgumentType.PureToken || (argument.IsScalar && !argument.Multiple) || (EnumTable.IsTokenChoice(argument) && !argument.Multiple);

    // A block whose children can be tuple elements: scalars, tokens and token choices (optional ones only when allowed).
    private bool TupleAble(SpecArgument block, bool allowOptional)
    {
        int components = 0;
        foreach (SpecArgument child in block.Arguments)
        {
            if (_excluded.Contains(child)) continue;
            if (child.Optional && !allowOptional) return false;
            if (child.Type == ArgumentType.PureToken)
            {
                if (child.Optional) components++;
                continue;
            }
            if (child.Multiple || !(child.IsScalar || EnumTable.IsTokenChoice(child))) return false;
            components++;
        }
        if (components == 0) return false;
        // One element: a plain value, which must be required to be told apart from "no block".
        if (components == 1 && block.Arguments.Any(c => !_excluded.Contains(c) && c.Optional)) return false;
        return components <= 7;
    }

    private (string Type, List<string> Names) TupleType(List<SpecArgument> children)
    {
        var elements = new List<(string Type, string Name)>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (SpecArgument child in children)
        {
            if (child.Type == ArgumentType.PureToken && !child.Optional) continue;
            string type = child.Type switch
            {
                ArgumentType.PureToken => "bool",
                ArgumentType.OneOf => EnumType(child) + (child.Optional ? "?" : ""),
                _ => ScalarType(child) + (child.Optional ? "?" : ""),
            };
            string name = ElementName(child, new EquatableArray<SpecArgument>(children));
            string unique = name;
            for (int i = 2; !used.Add(unique); i++) unique = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            elements.Add((type, unique));
        }
        if (elements.Count == 1) return (elements[0].Type, new List<string> { elements[0].Name });
        return ("(" + string.Join(", ", elements.Select(e => e.Type + " " + e.Name)) + ")", elements.Select(e => e.Name).ToList());
    }

    // Reads each element by its name (the names TupleType gave), never by ItemN.
    // A tuple element name: the argument's name in PascalCase, kept clear of the names ValueTuple reserves.
    private static string ElementName(SpecArgument child, EquatableArray<SpecArgument> siblings)
    {
        string name = SpecNaming.Pascal(BaseName(child, siblings));
        if (name.Length == 0 || name.StartsWith("Item", StringComparison.Ordinal) || name is "Rest" or "ToString" or "GetHashCode" or "Equals" or "GetType" || char.IsDigit(name[0])) name = "Part" + name;
        return name;
    }

    private string EnumType(SpecArgument argument)
    {
        GeneratedEnum generated = _enums.Find(argument) ?? throw new PlanningException($"the token choice '{argument.Name}' has no enum");
        _enumsUsed.Add(generated.Name);
        return generated.QualifiedName;
    }

    // ---- helpers ----------------------------------------------------------------------------

    private Param Add(SpecArgument argument, EquatableArray<SpecArgument> siblings, string type, ParameterDefault @default, string doc, bool optional,
        bool plural = false, bool paramsCandidate = false, string? name = null, TypeDesc? desc = null)
    {
        name = name is null ? SpecNaming.Camel(BaseName(argument, siblings)) : char.ToLowerInvariant(name[0]) + name.Substring(1);
        if (plural && !name.EndsWith("s", StringComparison.Ordinal)) name += "s";
        string unique = name;
        for (int i = 2; !_names.Add(unique); i++) unique = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var p = new Param(DeclarationReader.Escape(unique), type, @default, doc, paramsCandidate, Desc: desc);
        (optional ? _optional : _required).Add(p);
        return p;
    }

    /// <summary>The name base for an argument: its name, or its token when the name is not a word or repeats a sibling's.</summary>
    internal static string BaseName(SpecArgument argument, EquatableArray<SpecArgument> siblings)
    {
        bool tokenUsable = SpecNaming.IsWordy(argument.Token);
        bool duplicate = siblings.Count(s => s.Name == argument.Name) > 1;
        if (tokenUsable && (!SpecNaming.IsWordy(argument.Name) || argument.Name.IndexOf('_') >= 0 || duplicate)) return argument.Token!;
        return argument.Name.Any(char.IsLetter) ? argument.Name : tokenUsable ? argument.Token! : "arg";
    }

    private static string ScalarType(SpecArgument argument) => ScalarWriters.ProposedType(argument).Display;

    private static string ArgumentDoc(SpecArgument argument)
    {
        string text = $"The <c>{Xml(argument.Name)}</c> argument" + (argument.Token is { Length: > 0 } token && argument.Type != ArgumentType.PureToken ? $" (<c>{Xml(token)}</c>)" : "") + ".";
        if (argument.Type == ArgumentType.UnixTime)
        {
            bool ms = (argument.Token?.StartsWith("P", StringComparison.OrdinalIgnoreCase) ?? false) || argument.Name.IndexOf("milli", StringComparison.OrdinalIgnoreCase) >= 0;
            text += ms ? " A Unix time in milliseconds." : " A Unix time in seconds.";
        }
        return text;
    }

    private static string Field(Param p) => "_" + Plain(p.Name);

    private static string Plain(string identifier) => identifier.TrimStart('@');

    private static string Xml(string text) => DocText.Escape(text);

    private sealed class ReferenceComparer : IEqualityComparer<SpecArgument>
    {
        public static readonly ReferenceComparer Instance = new();

        public bool Equals(SpecArgument? x, SpecArgument? y) => ReferenceEquals(x, y);

        public int GetHashCode(SpecArgument obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }
}
