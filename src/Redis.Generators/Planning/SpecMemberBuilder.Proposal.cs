using System;
using System.Collections.Generic;
using System.Linq;
using Redis.Generators.Model;
using Redis.Generators.Spec;

namespace Redis.Generators.Planning;

// Spec-driven members as proposals: the builder proposes a signature (names, types, docs, defaults)
// and ArgumentBinder plans it exactly as it plans a user's declaration. There is no other planner:
// a shape no proposal covers is a PlanningException (RDS0018) and the member takes raw words.
internal sealed partial class SpecMemberBuilder
{
    // Whether every argument has a proposal for this reply variant (its pinned and left-out arguments included).
    private bool Proposable(EquatableArray<SpecArgument> arguments)
    {
        // Reply variants that pin or leave out a top-level argument only (SET's GET, LPOP's count, ZRANGE's WITHSCORES).
        // A choice forced by a pinned token of its own (ACL LOG's RESET for AclLogReset) sends that token, with no parameter.
        // A block forced by a pinned part (HRANDFIELD's WITHVALUES for HRandFieldWithValues) is sent, flattened.
        // A choice forced by a pinned value of its own (CLIENT KILL's ip:port for ClientKillOldFormat) takes that value, required.
        if (_forced.Any(f => !arguments.Any(a => ReferenceEquals(a, f)) || (PinnedToken(f) is null && PinnedValue(f) is null && !(f.Type == ArgumentType.Block && !f.Multiple)))) return false;
        // Left out: a top-level argument, an alternative of a flat choice (ACL LOG's RESET for AclLog), anything inside
        // a left-out argument, or an optional part of a block sent flattened (HRANDFIELD's WITHVALUES for HRandFieldCount).
        if (_excluded.Any(e => !arguments.Any(a => ReferenceEquals(a, e) || ((IsFlatChoice(a) || SoleAlternative(a) is not null) && a.Arguments.Any(x => ReferenceEquals(x, e)))
            || (_excluded.Contains(a) && Within(a, e)) || (a.Type == ArgumentType.Block && Flattened(a) && e.Optional && a.Arguments.Any(x => ReferenceEquals(x, e)))))) return false;
        return ProposableList(arguments);
    }

    private static bool Within(SpecArgument container, SpecArgument argument)
        => container.Arguments.Any(a => ReferenceEquals(a, argument) || Within(a, argument));

    // A block sent as one parameter per part: required, or pinned or forced by a reply variant.
    private bool Flattened(SpecArgument block)
        => !block.Multiple && (!block.Optional || _pinned.Contains(block) || _forced.Contains(block));

    // The pinned pure token among a choice's alternatives, or null.
    private SpecArgument? PinnedToken(SpecArgument choice)
        => choice.Type != ArgumentType.OneOf || choice.Multiple ? null
            : choice.Arguments.FirstOrDefault(a => a.Type == ArgumentType.PureToken && _pinned.Contains(a) && !a.Arguments.Any());

    // The pinned single value among a forced choice's alternatives, or null.
    private SpecArgument? PinnedValue(SpecArgument choice)
        => choice.Type != ArgumentType.OneOf || choice.Multiple || !_forced.Contains(choice) ? null
            : choice.Arguments.FirstOrDefault(a => a.IsScalar && !a.Multiple && _pinned.Contains(a));

    // A required choice left with one alternative by a reply variant (CLIENT KILL's filter without the old ip:port
    // form, kept for ClientKillOldFormat), when that one is a repeated choice of simple alternatives without a token:
    // each of them once, as an optional parameter (clientId, clientKillType, username, addr, laddr, skipme).
    private SpecArgument? SoleAlternative(SpecArgument choice)
    {
        if (choice.Type != ArgumentType.OneOf || choice.Multiple || choice.Optional || choice.Token is not null || _pinned.Contains(choice) || _forced.Contains(choice)) return null;
        var left = choice.Arguments.Where(a => !_excluded.Contains(a)).ToList();
        if (left.Count != 1 || left.Count == choice.Arguments.Count) return null;
        SpecArgument sole = left[0];
        return sole.Type == ArgumentType.OneOf && sole.Multiple && sole.Token is null && sole.Arguments.All(Simple)
            && !_pinned.Any(p => Within(sole, p)) && !_excluded.Any(e => Within(sole, e)) ? sole : null;
    }

    // An optional choice of single values and tokens with no token of its own, proposed as one optional
    // parameter per alternative (ACL LOG's count | RESET: long? count, bool reset). A choice of tokens only
    // is an enum unless an alternative is left out for a reply variant.
    private bool IsFlatChoice(SpecArgument argument)
        => argument.Type == ArgumentType.OneOf && argument.Optional && !argument.Multiple && argument.Token is null
            && !_pinned.Contains(argument) && !_forced.Contains(argument) && !argument.Arguments.Any(_pinned.Contains)
            && OptionTypes.ForChoice(argument) is null
            && argument.Arguments.All(a => a.Type == ArgumentType.PureToken || (a.IsScalar && !a.Multiple))
            && (!IsEnumChoice(argument) || argument.Arguments.Any(_excluded.Contains));

    private bool ProposableList(EquatableArray<SpecArgument> arguments)
    {
        for (int k = 0; k < arguments.Count; k++)
        {
            SpecArgument argument = arguments[k];
            // A pinned block or choice (XPENDING's filters for XPendingMessages) is not pinned by the binder, which pins tokens only.
            if (_pinned.Contains(argument) && (argument.Type == ArgumentType.OneOf || (argument.Type == ArgumentType.Block && argument.Multiple))) return false;
            if (argument.Type == ArgumentType.Block && !ProposableBlock(argument)) return false;
            if (argument.Type == ArgumentType.OneOf && _forced.Contains(argument)) continue;
            if (argument.Type == ArgumentType.OneOf && SoleAlternative(argument) is not null) continue;
            if (argument.Type == ArgumentType.OneOf && IsRawChoice(argument)) continue;
            if (argument.Type == ArgumentType.OneOf && !IsFlatChoice(argument) && !IsEnumChoice(argument) && !IsOptionChoice(argument) && !IsTokenOrValue(argument)) return false;
        }
        return true;
    }

    // The signature for the arguments, in spec order (required parameters first, optional ones named after their argument).
    private void Propose(EquatableArray<SpecArgument> arguments)
    {
        for (int k = 0; k < arguments.Count; k++)
        {
            SpecArgument argument = arguments[k];
            // Left out for this reply variant: no parameter, and the binder leaves out an optional argument with none.
            if (_excluded.Contains(argument)) continue;
            bool optional = argument.Optional && !_pinned.Contains(argument) && !_forced.Contains(argument);
            // A count (numkeys) has no parameter: the binder writes the length of the list's array.
            if (IsCount(arguments, k)) continue;
            if (argument.Type == ArgumentType.PureToken)
            {
                if (optional) ProposeToken(argument, arguments);
                continue;
            }
            if (argument.Type == ArgumentType.Block)
            {
                if (argument.Multiple) ProposeBlockList(argument, arguments, optional, argument.Arguments.ToList());
                else if (optional && !TupleAble(argument, allowOptional: true)) ProposeRaw(argument, arguments);
                else if (optional) ProposeOptionalBlock(argument, arguments, argument.Arguments.ToList());
                else if (ArgumentBinder.IsColumns(argument)) ProposeColumns(argument, arguments);
                else Propose(argument.Arguments);
                continue;
            }
            // The binder sends the pinned token itself; a pinned value takes a required parameter.
            if (argument.Type == ArgumentType.OneOf && _forced.Contains(argument))
            {
                if (PinnedValue(argument) is { } value) ProposeScalar(value, argument.Arguments, optional: false);
                continue;
            }
            if (argument.Type == ArgumentType.OneOf && SoleAlternative(argument) is { } sole)
            {
                foreach (SpecArgument alternative in sole.Arguments)
                {
                    if (alternative.Type == ArgumentType.PureToken) ProposeToken(alternative, sole.Arguments);
                    else if (alternative.Type == ArgumentType.OneOf) ProposeEnum(alternative, sole.Arguments, optional: true, _enums.Find(alternative)!);
                    else ProposeScalar(alternative, sole.Arguments, optional: true);
                }
                continue;
            }
            if (argument.Type == ArgumentType.OneOf && IsRawChoice(argument))
            {
                ProposeRaw(argument, arguments, required: !optional);
                continue;
            }
            if (argument.Type == ArgumentType.OneOf && IsFlatChoice(argument))
            {
                foreach (SpecArgument alternative in argument.Arguments)
                {
                    if (_excluded.Contains(alternative)) continue;
                    if (alternative.Type == ArgumentType.PureToken) ProposeToken(alternative, argument.Arguments);
                    else ProposeScalar(alternative, argument.Arguments, optional: true);
                }
                continue;
            }
            if (argument.Type == ArgumentType.OneOf && IsTokenOrValue(argument) && !optional)
            {
                var (token, value) = ArgumentBinder.TokenOrValue(argument);
                ProposeTokenOrValue(argument, token!, value!);
                continue;
            }
            if (argument.Type == ArgumentType.OneOf && OptionTypes.ForChoice(argument) is { } option)
            {
                ProposeOption(argument, arguments, optional, option);
                continue;
            }
            if (argument.Type == ArgumentType.OneOf)
            {
                ProposeEnum(argument, arguments, optional, _enums.Find(argument)!);
                continue;
            }
            ProposeScalar(argument, arguments, optional);
        }
    }

    // Blocks the binder writes as the builder did: a required block flattened (one parameter per part), and
    // a repeated block (collection of tuples) of required values and tokens, or an optional one (nullable
    // tuple of two or more parts) of values and tokens, required or not.
    private bool ProposableBlock(SpecArgument block)
    {
        if (Flattened(block))
        {
            if (block.Arguments.Any(c => _pinned.Contains(c) && c.Type != ArgumentType.PureToken)) return false;
            if (ArgumentBinder.IsColumns(block)) return !block.Arguments.Any(c => _pinned.Contains(c) || _excluded.Contains(c));
            return ProposableList(block.Arguments);
        }
        if (block.Arguments.Any(_pinned.Contains)) return false;
        // An optional block too irregular for a tuple (HELLO's arguments, XINFO STREAM's FULL [COUNT count]) is passed as raw words.
        if (!block.Multiple && !TupleAble(block, allowOptional: true)) return !block.Arguments.Any(c => _excluded.Contains(c) || _excluded.Any(e => Within(c, e)) || _pinned.Any(p => Within(c, p)));
        int components = 0;
        foreach (SpecArgument child in block.Arguments)
        {
            // A repeated block's parts are required; an optional block's may be optional (bool, nullable value).
            if (child.Multiple || (child.Optional && block.Multiple)) return false;
            if (child.Type == ArgumentType.PureToken)
            {
                if (child.Optional) components++;
                continue;
            }
            // A choice of tokens is an enum element (BITCOUNT's BYTE | BIT: BitUnit?).
            if (!child.IsScalar && !(child.Type == ArgumentType.OneOf && IsEnumChoice(child) && !_excluded.Contains(child))) return false;
            components++;
        }
        return components is >= 1 and <= 7 && (block.Multiple || components >= 2);
    }

    private Param ProposeColumns(SpecArgument argument, EquatableArray<SpecArgument> siblings)
    {
        var children = argument.Arguments.ToList();
        var columnNames = new List<string>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (SpecArgument c in children)
        {
            string n = ElementName(c, argument.Arguments), u = n;
            for (int i = 2; !taken.Add(u); i++) u = n + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            columnNames.Add(u);
        }
        string type = "(" + string.Join(", ", children.Select((c, i) => ScalarType(c) + " " + columnNames[i])) + ")";
        return Add(argument, siblings, type + "[]", ParameterDefault.None, $"{ArgumentDoc(argument)} Written column by column: {string.Join(", then ", children.Select(c => "every <c>" + Xml(c.Name) + "</c>"))}.",
            optional: false, plural: true, paramsCandidate: true, desc: ArrayOf(TupleDesc(children, type, columnNames), nullable: false));
    }

    // A repeated choice of blocks or with a token (BITFIELD's operations) is passed as raw words.
    private bool IsRawChoice(SpecArgument argument)
        => argument.Type == ArgumentType.OneOf && argument.Multiple && !(argument.Token is null && argument.Arguments.All(Simple))
            && !_pinned.Contains(argument) && !_forced.Contains(argument) && !_excluded.Any(e => Within(argument, e)) && !_pinned.Any(p => Within(argument, p));

    // An argument too irregular for a typed parameter: its words as RedisValue[] (tokens included).
    private Param ProposeRaw(SpecArgument argument, EquatableArray<SpecArgument> siblings, bool required = false)
    {
        UsedRaw = true;
        string doc = $"{ArgumentDoc(argument)} Passed as raw words, tokens included: <c>{Xml(ArgumentSyntax.Describe(argument))}</c>.";
        return Add(argument, siblings, Value + "[]" + (required ? "" : "?"), required ? ParameterDefault.None : ParameterDefault.Null, doc, optional: !required, plural: true,
            paramsCandidate: required, desc: ArrayOf(ScalarWriters.ProposedType(RawWord), nullable: !required));
    }

    private static readonly SpecArgument RawWord = new("args", ArgumentType.String, "string", null, true, true, false, -1, null, null, null, null, EquatableArray<SpecArgument>.Empty);

    private Param ProposeBlockList(SpecArgument argument, EquatableArray<SpecArgument> siblings, bool optional, List<SpecArgument> children)
    {
        var (elementType, names) = TupleType(children);
        return Add(argument, siblings, elementType + "[]" + (optional ? "?" : ""), optional ? ParameterDefault.Null : ParameterDefault.None,
            $"{ArgumentDoc(argument)} Each item is {string.Join(", ", names)}.", optional, plural: true, paramsCandidate: !optional,
            desc: ArrayOf(TupleDesc(children, elementType, names), optional));
    }

    private Param ProposeOptionalBlock(SpecArgument argument, EquatableArray<SpecArgument> siblings, List<SpecArgument> children)
    {
        var (tupleType, elementNames) = TupleType(children);
        bool single = elementNames.Count == 1;
        return Add(argument, siblings, tupleType + "?", ParameterDefault.Null,
            $"{ArgumentDoc(argument)}{(single ? "" : " As " + string.Join(", ", elementNames) + ".")} null sends nothing.", optional: true,
            desc: NullableOf(TupleDesc(children, tupleType, elementNames)));
    }

    // The tuple (or, with one part, the value) a block's required values make; only built for proposable blocks.
    private TypeDesc TupleDesc(List<SpecArgument> children, string display, List<string> names)
    {
        var parts = children.Where(c => c.Type != ArgumentType.PureToken || c.Optional)
            .Select(c => c.Type == ArgumentType.PureToken ? BoolType : c.Optional ? NullableOf(PartType(c)) : PartType(c)).ToList();
        if (parts.Count != names.Count) return new TypeDesc(TypeShape.Other, display, display, Nullability.NotAnnotated, true, EquatableArray<TypeDesc>.Empty, EquatableArray<string>.Empty);
        if (parts.Count == 1) return parts[0];
        return new TypeDesc(TypeShape.Tuple, display, display, Nullability.NotAnnotated, true, parts.ToEquatableArray(), names.ToEquatableArray());
    }

    private TypeDesc PartType(SpecArgument part)
        => part.Type == ArgumentType.OneOf && _enums.Find(part) is { } generated ? EnumDesc(generated) : ScalarWriters.ProposedType(part);

    private static TypeDesc EnumDesc(GeneratedEnum generated)
    {
        string enumType = generated.QualifiedName;
        return new TypeDesc(TypeShape.Enum, enumType, enumType, Nullability.NotAnnotated, true, EquatableArray<TypeDesc>.Empty,
            generated.Members.Select(m => m.Name).ToEquatableArray(),
            generated.Members.Select((m, i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToEquatableArray());
    }

    // A required choice between a token and one value (XADD's * | id, XGROUP CREATE's id | $): a nullable value, null sends the token.
    private bool IsTokenOrValue(SpecArgument argument)
        => !argument.Optional && !_pinned.Contains(argument) && !argument.Arguments.Any(a => _pinned.Contains(a) || _excluded.Contains(a))
            && ArgumentBinder.TokenOrValue(argument).Value is not null && !IsEnumChoice(argument) && !IsOptionChoice(argument);

    private Param ProposeTokenOrValue(SpecArgument argument, SpecArgument token, SpecArgument scalar)
    {
        TypeDesc type = ScalarWriters.ProposedType(scalar);
        return Add(scalar, argument.Arguments, type.Display + "?", ParameterDefault.Null, $"{ArgumentDoc(scalar)} null sends <c>{Xml(token.Token!)}</c>.", optional: true,
            desc: NullableOf(type));
    }

    // A choice among tokens only, proposed as a generated enum (not a valued choice with a runtime option type).
    private bool IsEnumChoice(SpecArgument argument)
        => !argument.Multiple && OptionTypes.ForChoice(argument) is null && _enums.Find(argument) is not null;

    // A valued choice with a hand-written runtime type (SET's expiration: Expiration). A required one with a
    // token of its own is still planned by the builder (it writes the token unconditionally, the binder does not).
    private bool IsOptionChoice(SpecArgument argument)
        => !argument.Multiple && OptionTypes.ForChoice(argument) is not null && !_excluded.Overlaps(argument.Arguments)
            && (argument.Optional || argument.Token is null) && !_pinned.Contains(argument) && !argument.Arguments.Any(_pinned.Contains);

    private Param ProposeOption(SpecArgument argument, EquatableArray<SpecArgument> siblings, bool optional, OptionType option)
    {
        string doc = $"{ArgumentDoc(argument)} One of <c>{Xml(ArgumentSyntax.Describe(argument.Arguments))}</c> (see <see cref=\"{option.Display}\"/>){(optional ? "; <c>default</c> sends none" : "")}.";
        var desc = new TypeDesc(TypeShape.Arguments, option.Display, option.Display, Nullability.NotAnnotated, true, EquatableArray<TypeDesc>.Empty, EquatableArray<string>.Empty);
        return Add(argument, siblings, option.Display, optional ? ParameterDefault.Default : ParameterDefault.None, doc, optional, name: option.ParameterName, desc: desc);
    }

    private Param ProposeEnum(SpecArgument argument, EquatableArray<SpecArgument> siblings, bool optional, GeneratedEnum generated)
    {
        _enumsUsed.Add(generated.Name);
        string enumType = generated.QualifiedName;
        string doc = $"{ArgumentDoc(argument)} One of {string.Join(", ", generated.Members.Select(m => "<c>" + Xml(m.Token) + "</c>"))}{(optional ? "; null sends none" : "")}.";
        // A choice named after its own tokens (FLUSHDB's "async" for ASYNC|SYNC, SHUTDOWN's "nosave_save")
        // says nothing: the parameter is named after the enum's role instead (flushMode, shutdownSaveMode).
        bool meaningless = argument.Name.IndexOf('_') >= 0 || argument.Arguments.Any(a => string.Equals(a.Name, argument.Name, System.StringComparison.OrdinalIgnoreCase));
        TypeDesc desc = EnumDesc(generated);
        return Add(argument, siblings, enumType + (optional ? "?" : ""), optional ? ParameterDefault.Null : ParameterDefault.None, doc, optional,
            name: meaningless ? generated.Name : null, desc: optional ? NullableOf(desc) : desc);
    }

    // The plan of the proposed signature, bound by ArgumentBinder as a user's declaration is.
    private WriteNode BindProposal(ReplyCase? variant)
    {
        Propose(_command.Arguments);
        return Bind(_command, variant);
    }

    private WriteNode Bind(SpecCommand command, ReplyCase? variant)
    {
        var ordered = _required.Concat(_optional).ToList();
        var declared = ordered.Select(p => new ParameterDeclaration(Plain(p.Name), p.Name, p.Desc!, Microsoft.CodeAnalysis.RefKind.None, false, false, null)).ToList();
        var diagnostics = new List<DiagnosticInfo>();
        var binder = new ArgumentBinder(command, declared, isAsync: false, SpecNaming.MethodName(_command.Wire), null, variant?.Present ?? Enumerable.Empty<string>(), diagnostics, _enums);
        WriteNode plan = binder.Bind()
            ?? throw new PlanningException("the proposed signature does not bind: " + string.Join("; ", diagnostics.Select(d => d.ToDiagnostic().GetMessage(System.Globalization.CultureInfo.InvariantCulture))));
        // What the binder checks for null is what the member checks.
        var checks = new HashSet<string>(binder.NullChecks, System.StringComparer.Ordinal);
        var choices = new HashSet<string>(binder.RequiredChoices, System.StringComparer.Ordinal);
        for (int i = 0; i < _required.Count; i++) _required[i] = _required[i] with { NullCheck = checks.Contains(_required[i].Name), RequiredChoice = choices.Contains(_required[i].Name) };
        for (int i = 0; i < _optional.Count; i++) _optional[i] = _optional[i] with { NullCheck = checks.Contains(_optional[i].Name) };
        return plan;
    }

    private Param ProposeToken(SpecArgument argument, EquatableArray<SpecArgument> siblings)
        => Add(argument, siblings, "bool", ParameterDefault.False, $"Sends <c>{Xml(argument.Token!)}</c> when true.", optional: true, desc: BoolType);

    private Param ProposeScalar(SpecArgument argument, EquatableArray<SpecArgument> siblings, bool optional)
    {
        TypeDesc scalar = ScalarWriters.ProposedType(argument);
        string type = scalar.Display;
        string doc = ArgumentDoc(argument);
        if (argument.Multiple)
        {
            return Add(argument, siblings, type + "[]" + (optional ? "?" : ""), optional ? ParameterDefault.Null : ParameterDefault.None, doc, optional,
                plural: true, paramsCandidate: !optional, desc: ArrayOf(scalar, optional));
        }
        if (!optional) return Add(argument, siblings, type, ParameterDefault.None, doc, optional: false, desc: scalar);
        return Add(argument, siblings, type + "?", ParameterDefault.Null, doc, optional: true, desc: NullableOf(scalar));
    }

    private static readonly TypeDesc BoolType = new(TypeShape.Boolean, "bool", "bool", Nullability.NotAnnotated, true, EquatableArray<TypeDesc>.Empty, EquatableArray<string>.Empty);

    private static TypeDesc NullableOf(TypeDesc value)
        => new(TypeShape.Nullable, value.Display + "?", value.Display, Nullability.Annotated, true, new EquatableArray<TypeDesc>(new[] { value }), EquatableArray<string>.Empty);

    private static TypeDesc ArrayOf(TypeDesc element, bool nullable)
        => new(TypeShape.Array, element.Display + "[]" + (nullable ? "?" : ""), element.Display + "[]", nullable ? Nullability.Annotated : Nullability.NotAnnotated, false,
            new EquatableArray<TypeDesc>(new[] { element }), EquatableArray<string>.Empty);
}
