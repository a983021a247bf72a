using System;
using System.Collections.Generic;
using System.Linq;
using Redis.Generators.Model;
using Redis.Generators.Spec;
using static Redis.Generators.Planning.WriteSteps;

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
    private int _variables;

    private sealed record Param(string Name, string Type, ParameterDefault Default, string Doc, bool ParamsCandidate, bool NullCheck, bool RequiredChoice = false, TypeDesc? Desc = null);

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
        if (Proposable(_command.Arguments) && BindProposal(variant) is { } bound) return (bound, UsedRaw);
        UsedRaw = false;
        var output = new List<WriteNode>();
        List(_command.Arguments, output, forceOptional: false);
        return (Sequence(output), UsedRaw);
    }

    private WriteNode RawCommand()
    {
        UsedRaw = true;
        var raw = new SpecArgument("args", ArgumentType.String, "string", null, true, true, false, -1, null, null, null, null, EquatableArray<SpecArgument>.Empty);
        var output = new List<WriteNode>();
        Raw(raw, output, required: true, "The command's arguments, as sent.");
        return Sequence(output);
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

    private void List(EquatableArray<SpecArgument> arguments, List<WriteNode> output, bool forceOptional)
    {
        for (int k = 0; k < arguments.Count; k++)
        {
            SpecArgument argument = arguments[k];
            if (_excluded.Contains(argument)) continue;
            if (IsCount(arguments, k))
            {
                // numkeys is written from the length of the list that follows by ArgumentBinder alone (BindCounted).
                throw new PlanningException($"the count '{argument.Name}' is written from the length of '{arguments[k + 1].Name}' by ArgumentBinder only, and the rest of {_command.Name} cannot be proposed to it yet");
            }
            Argument(argument, arguments, output, forceOptional);
        }
    }

    private bool IsCount(EquatableArray<SpecArgument> arguments, int k)
    {
        SpecArgument argument = arguments[k];
        if (argument.Type != ArgumentType.Integer || argument.Optional || argument.Multiple || k + 1 >= arguments.Count) return false;
        SpecArgument next = arguments[k + 1];
        return argument.Name.StartsWith("num", StringComparison.OrdinalIgnoreCase) && next.Multiple && next.IsScalar && !_excluded.Contains(next);
    }

    private Param? Argument(SpecArgument argument, EquatableArray<SpecArgument> siblings, List<WriteNode> output, bool forceOptional)
    {
        bool optional = (argument.Optional || forceOptional) && !_pinned.Contains(argument) && !_forced.Contains(argument);
        switch (argument.Type)
        {
            case ArgumentType.PureToken:
            {
                if (!optional)
                {
                    output.Add(new TokenNode(argument.Token!));
                    return null;
                }
                Param p = ProposeToken(argument, siblings);
                string f = Field(p);
                output.Add(new IfNode(new TrueCondition(f, false), new TokenNode(argument.Token!)));
                return p;
            }
            case ArgumentType.OneOf:
                return OneOf(argument, siblings, output, optional);
            case ArgumentType.Block:
                return Block(argument, siblings, output, optional);
            default:
                return Scalar(argument, siblings, output, optional);
        }
    }

    private Param Scalar(SpecArgument argument, EquatableArray<SpecArgument> siblings, List<WriteNode> output, bool optional)
    {
        if (argument.Multiple) throw new PlanningException($"the repeated '{argument.Name}' is planned by ArgumentBinder only");
        Param proposed = ProposeScalar(argument, siblings, optional);
        if (!optional)
        {
            AddWithToken(output, argument.Token, ValueOf(argument, Field(proposed)));
            return proposed;
        }
        Param o = proposed;
        string v = Variable("v");
        output.Add(new IfNode(new NotNullCondition(Field(o), v), WithToken(argument.Token, ValueOf(argument, v))));
        return o;
    }

    private Param? OneOf(SpecArgument argument, EquatableArray<SpecArgument> siblings, List<WriteNode> output, bool optional)
    {
        SpecArgument? chosen = argument.Arguments.FirstOrDefault(c => _pinned.Contains(c) || _forced.Contains(c));
        if (chosen is not null)
        {
            var inner = new List<WriteNode>();
            Param? p = Argument(chosen, argument.Arguments, inner, forceOptional: false);
            AddWithToken(output, argument.Token, Sequence(inner));
            return p;
        }
        var alternatives = argument.Arguments.Where(a => !_excluded.Contains(a)).ToList();
        if (alternatives.Count == 0) return null;
        // A valued choice with a hand-written runtime type (SET's expiration → Expiration) is written by ArgumentBinder alone (BindOption).
        if (!argument.Multiple && alternatives.Count == argument.Arguments.Count && OptionTypes.ForChoice(argument) is not null)
        {
            throw new PlanningException($"the choice '{argument.Name}' takes an option type, written by ArgumentBinder only, and the rest of {_command.Name} cannot be proposed to it yet");
        }
        if (argument.Multiple)
        {
            // Repeated choices (CLIENT KILL's filters): each simple alternative once, as an optional parameter (raw words are ArgumentBinder's).
            if (argument.Token is not null || !alternatives.All(Simple)) throw new PlanningException($"the repeated choice '{argument.Name}' is planned by ArgumentBinder only");
            Param? last = null;
            foreach (SpecArgument alternative in alternatives) last = Argument(alternative, argument.Arguments, output, forceOptional: true) ?? last;
            return last;
        }
        if (EnumTable.IsTokenChoice(argument) && alternatives.Count == argument.Arguments.Count && _enums.Find(argument) is { } generated)
        {
            string enumType = KnownTypes.Qualify(KnownTypes.EnumNamespace + "." + generated.Name);
            Param p = ProposeEnum(argument, siblings, optional, generated);
            var tokens = generated.Members.Select(m => new EnumToken(m.Name, m.Token)).ToEquatableArray();
            if (!optional)
            {
                AddWithToken(output, argument.Token, new EnumTokenNode(Field(p), enumType, p.Name, tokens));
                return p;
            }
            string v = Variable("v");
            output.Add(new IfNode(new NotNullCondition(Field(p), v), WithToken(argument.Token, new EnumTokenNode(v, enumType, p.Name, tokens))));
            return p;
        }
        // Values to choose from: one optional parameter per alternative (pass one when the choice is required).
        Param? any = null;
        foreach (SpecArgument alternative in alternatives)
        {
            var inner = new List<WriteNode>();
            Param? p = Argument(alternative, argument.Arguments, inner, forceOptional: true);
            any = p ?? any;
            if (argument.Token is null)
            {
                output.AddRange(inner);
                continue;
            }
            WriteNode node = Sequence(inner);
            if (node is not IfNode conditional) throw new PlanningException($"the alternative '{alternative.Name}' of '{argument.Name}' ({argument.Token}) is written as more than one conditional part, so the choice's token cannot guard it");
            output.Add(conditional with { Body = WithToken(argument.Token, conditional.Body), CountBody = conditional.CountBody is null ? null : WithToken(argument.Token, conditional.CountBody) });
        }
        return any;
    }

    private static bool Simple(SpecArgument argument)
        => argument.Type == ArgumentType.PureToken || (argument.IsScalar && !argument.Multiple) || (EnumTable.IsTokenChoice(argument) && !argument.Multiple);

    // A required block (XTRIM's trim), or one a reply variant forces: one parameter per part. Other blocks are planned by ArgumentBinder only.
    private Param? Block(SpecArgument argument, EquatableArray<SpecArgument> siblings, List<WriteNode> output, bool optional)
    {
        if (argument.Multiple || optional || SpecMemberBuilder.IsColumns(argument)) throw new PlanningException($"the block '{argument.Name}' is planned by ArgumentBinder only");
        if (argument.Token is not null) output.Add(new TokenNode(argument.Token));
        List(argument.Arguments, output, forceOptional: false);
        return null;
    }

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
        return KnownTypes.Qualify(KnownTypes.EnumNamespace + "." + generated.Name);
    }

    // An argument too irregular for a typed parameter: its words as RedisValue[] (tokens included).
    private Param Raw(SpecArgument argument, EquatableArray<SpecArgument> siblings, List<WriteNode> output, bool required, string? doc = null)
    {
        UsedRaw = true;
        doc ??= $"{ArgumentDoc(argument)} Passed as raw words, tokens included: <c>{Xml(ArgumentSyntax.Describe(argument))}</c>.";
        Param list = Add(argument, siblings, Value + "[]" + (required ? "" : "?"), required ? ParameterDefault.None : ParameterDefault.Null, doc, optional: !required, plural: true, paramsCandidate: required, nullCheck: required);
        string item = Variable("item");
        output.Add(new RepeatNode(Field(list), CollectionKind.Array, !required, Value, item, Variable("i"), new ValueNode(item, true), 1, null));
        return list;
    }

    private void Raw(SpecArgument argument, List<WriteNode> output, bool required, string doc)
        => Raw(argument, EquatableArray<SpecArgument>.Empty, output, required, doc);

    // ---- helpers ----------------------------------------------------------------------------

    private Param Add(SpecArgument argument, EquatableArray<SpecArgument> siblings, string type, ParameterDefault @default, string doc, bool optional,
        bool plural = false, bool paramsCandidate = false, bool nullCheck = false, string? name = null, TypeDesc? desc = null)
    {
        name = name is null ? SpecNaming.Camel(BaseName(argument, siblings)) : char.ToLowerInvariant(name[0]) + name.Substring(1);
        if (plural && !name.EndsWith("s", StringComparison.Ordinal)) name += "s";
        string unique = name;
        for (int i = 2; !_names.Add(unique); i++) unique = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var p = new Param(DeclarationReader.Escape(unique), type, @default, doc, paramsCandidate, nullCheck, Desc: desc);
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

    // Written by the same rules as a user-declared parameter of the proposed type (ScalarWriters).
    private static WriteNode ValueOf(SpecArgument argument, ValueRef expression)
    {
        var writer = ScalarWriters.For(argument, ScalarWriters.ProposedType(argument), isAsync: false, out string reason)
            ?? throw new PlanningException($"the proposed type of '{argument.Name}' cannot be written: {reason}");
        return writer(expression);
    }

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

    private string Variable(string prefix) => prefix + _variables++.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Xml(string text) => DocText.Escape(text);

    private sealed class ReferenceComparer : IEqualityComparer<SpecArgument>
    {
        public static readonly ReferenceComparer Instance = new();

        public bool Equals(SpecArgument? x, SpecArgument? y) => ReferenceEquals(x, y);

        public int GetHashCode(SpecArgument obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }
}
