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
internal sealed class SpecMemberBuilder
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

    private sealed record Param(string Name, string Type, ParameterDefault Default, string Doc, bool ParamsCandidate, bool NullCheck, bool RequiredChoice = false);

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
            ReplyType replyType = ReplyFor(reply, variant);
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

    private static ReplyType ReplyFor(SpecReply? reply, ReplyCase? variant)
    {
        if (reply is null) return new ReplyType(ReplyKind.Any, true, EquatableArray<ReplyType>.Empty, "any");
        if (variant is not null) return variant.Type;
        var rest = reply.Cases.Where(c => c.Variant is null).Select(c => c.Type).ToList();
        if (rest.Count == 0) return new ReplyType(ReplyKind.Any, true, EquatableArray<ReplyType>.Empty, "any");
        bool nullable = rest.Any(t => t.Nullable);
        string Bare(ReplyType t) => t.Text.TrimEnd('?');
        if (rest.All(t => Bare(t) == Bare(rest[0]))) return rest[0] with { Nullable = nullable };
        return new ReplyType(ReplyKind.Any, true, EquatableArray<ReplyType>.Empty, "any");
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
        var output = new List<WriteNode>();
        List(_command.Arguments, output, forceOptional: false);
        return (ArgumentBinder.Sequence(output), UsedRaw);
    }

    private WriteNode RawCommand()
    {
        UsedRaw = true;
        var raw = new SpecArgument("args", ArgumentType.String, "string", null, true, true, false, -1, null, null, null, null, EquatableArray<SpecArgument>.Empty);
        var output = new List<WriteNode>();
        Raw(raw, output, required: true, "The command's arguments, as sent.");
        return ArgumentBinder.Sequence(output);
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
                // numkeys: written from the length of the list that follows; no parameter.
                var inner = new List<WriteNode>();
                Param? list = Argument(arguments[k + 1], arguments, inner, forceOptional);
                if (list is null) throw new PlanningException($"the count '{argument.Name}' is followed by '{arguments[k + 1].Name}', which takes no parameter");
                string length = list.Default == ParameterDefault.None ? $"_{Plain(list.Name)}.Length" : $"(_{Plain(list.Name)}?.Length ?? 0)";
                AddWithToken(output, argument.Token, new ValueNode("(long)" + length, false));
                output.AddRange(inner);
                k++;
                continue;
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
                Param p = Add(argument, siblings, "bool", ParameterDefault.False, $"Sends <c>{Xml(argument.Token!)}</c> when true.", optional: true);
                string f = Field(p);
                output.Add(new IfNode(f, f, new TokenNode(argument.Token!)));
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
        string type = ScalarType(argument);
        string doc = ArgumentDoc(argument);
        if (argument.Multiple)
        {
            Param list = Add(argument, siblings, type + "[]" + (optional ? "?" : ""), optional ? ParameterDefault.Null : ParameterDefault.None, doc, optional, plural: true, paramsCandidate: !optional, nullCheck: !optional);
            string item = Variable("item");
            WriteNode value = ValueOf(argument, item);
            WriteNode body = argument.MultipleToken && argument.Token is not null ? ArgumentBinder.Sequence(new List<WriteNode> { new TokenNode(argument.Token), value }) : value;
            output.Add(new RepeatNode(Field(list), CollectionKind.Array, optional, type, item, Variable("i"), body,
                argument.MultipleToken && argument.Token is not null ? 2 : 1, argument.MultipleToken ? null : argument.Token));
            return list;
        }
        if (!optional)
        {
            Param p = Add(argument, siblings, type, ParameterDefault.None, doc, optional: false);
            AddWithToken(output, argument.Token, ValueOf(argument, Field(p)));
            return p;
        }
        Param o = Add(argument, siblings, type + "?", ParameterDefault.Null, doc, optional: true);
        string v = Variable("v");
        output.Add(new IfNode($"{Field(o)} is not null", $"{Field(o)} is {{ }} {v}", WithToken(argument.Token, ValueOf(argument, v))));
        return o;
    }

    private Param? OneOf(SpecArgument argument, EquatableArray<SpecArgument> siblings, List<WriteNode> output, bool optional)
    {
        SpecArgument? chosen = argument.Arguments.FirstOrDefault(c => _pinned.Contains(c) || _forced.Contains(c));
        if (chosen is not null)
        {
            var inner = new List<WriteNode>();
            Param? p = Argument(chosen, argument.Arguments, inner, forceOptional: false);
            AddWithToken(output, argument.Token, ArgumentBinder.Sequence(inner));
            return p;
        }
        var alternatives = argument.Arguments.Where(a => !_excluded.Contains(a)).ToList();
        if (alternatives.Count == 0) return null;
        // A valued choice with a hand-written runtime type (SET's expiration → Expiration): one parameter
        // whose default sends nothing, so two alternatives cannot be written together.
        if (!argument.Multiple && alternatives.Count == argument.Arguments.Count && OptionTypes.ForChoice(argument) is { } option)
        {
            string doc = $"{ArgumentDoc(argument)} One of <c>{Xml(ArgumentSyntax.Describe(argument.Arguments))}</c> (see <see cref=\"{option.Display}\"/>){(optional ? "; <c>default</c> sends none" : "")}.";
            Param p = Add(argument, siblings, option.Display, optional ? ParameterDefault.Default : ParameterDefault.None, doc, optional, name: option.ParameterName);
            string f = Field(p);
            if (argument.Token is not null && optional)
            {
                // The choice's own token (COMMAND LIST's FILTERBY) goes out only with an alternative.
                output.Add(new IfNode($"{f}.ArgumentCount > 0", $"{f}.ArgumentCount > 0", WithToken(argument.Token, new ArgumentsNode(f))));
                return p;
            }
            AddWithToken(output, argument.Token, new ArgumentsNode(f));
            if (optional) return p;
            Param required = p with { RequiredChoice = true };
            _required[_required.IndexOf(p)] = required;
            return required;
        }
        if (argument.Multiple)
        {
            // Repeated choices (CLIENT KILL's filters): each simple alternative once, as an optional parameter; else raw words.
            if (argument.Token is null && alternatives.All(Simple))
            {
                Param? last = null;
                foreach (SpecArgument alternative in alternatives) last = Argument(alternative, argument.Arguments, output, forceOptional: true) ?? last;
                return last;
            }
            return Raw(argument, siblings, output, !optional);
        }
        if (EnumTable.IsTokenChoice(argument) && alternatives.Count == argument.Arguments.Count && _enums.Find(argument) is { } generated)
        {
            _enumsUsed.Add(generated.Name);
            string enumType = KnownTypes.Qualify(KnownTypes.EnumNamespace + "." + generated.Name);
            string doc = $"{ArgumentDoc(argument)} One of {string.Join(", ", generated.Members.Select(m => "<c>" + Xml(m.Token) + "</c>"))}{(optional ? "; null sends none" : "")}.";
            // A choice named after its own tokens (FLUSHDB's "async" for ASYNC|SYNC, SHUTDOWN's "nosave_save")
            // says nothing: the parameter is named after the enum's role instead (flushMode, shutdownSaveMode).
            bool meaningless = argument.Name.IndexOf('_') >= 0 || argument.Arguments.Any(a => string.Equals(a.Name, argument.Name, StringComparison.OrdinalIgnoreCase));
            Param p = Add(argument, siblings, enumType + (optional ? "?" : ""), optional ? ParameterDefault.Null : ParameterDefault.None, doc, optional, name: meaningless ? generated.Name : null);
            var tokens = generated.Members.Select(m => new EnumToken(m.Name, m.Token)).ToEquatableArray();
            if (!optional)
            {
                AddWithToken(output, argument.Token, new EnumTokenNode(Field(p), enumType, p.Name, tokens));
                return p;
            }
            string v = Variable("v");
            output.Add(new IfNode($"{Field(p)} is not null", $"{Field(p)} is {{ }} {v}", WithToken(argument.Token, new EnumTokenNode(v, enumType, p.Name, tokens))));
            return p;
        }
        // A required choice between a token and one value (XADD's * | id): the value, or the token when null.
        if (!optional && alternatives.Count == 2
            && alternatives.Count(a => a.Type == ArgumentType.PureToken) == 1
            && alternatives.FirstOrDefault(a => a.Type != ArgumentType.PureToken) is { } scalar && scalar.IsScalar && !scalar.Multiple)
        {
            SpecArgument token = alternatives.First(a => a.Type == ArgumentType.PureToken);
            string type = ScalarType(scalar);
            Param p = Add(scalar, argument.Arguments, type + "?", ParameterDefault.Null, $"{ArgumentDoc(scalar)} null sends <c>{Xml(token.Token!)}</c>.", optional: true);
            string v = Variable("v");
            var node = new IfElseNode($"{Field(p)} is {{ }} {v}", WithToken(scalar.Token, ValueOf(scalar, v)), new TokenNode(token.Token!));
            AddWithToken(output, argument.Token, node);
            return p;
        }
        // Values to choose from: one optional parameter per alternative (pass one when the choice is required).
        if (argument.Token is not null && alternatives.Any(a => a.Multiple || a.Type == ArgumentType.Block && !TupleAble(a, allowOptional: true)))
        {
            return Raw(argument, siblings, output, !optional);
        }
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
            WriteNode node = ArgumentBinder.Sequence(inner);
            if (node is not IfNode conditional) throw new PlanningException($"the alternative '{alternative.Name}' of '{argument.Name}' ({argument.Token}) is written as more than one conditional part, so the choice's token cannot guard it");
            output.Add(conditional with { Body = WithToken(argument.Token, conditional.Body), CountBody = conditional.CountBody is null ? null : WithToken(argument.Token, conditional.CountBody) });
        }
        return any;
    }

    private static bool Simple(SpecArgument argument)
        => argument.Type == ArgumentType.PureToken || (argument.IsScalar && !argument.Multiple) || (EnumTable.IsTokenChoice(argument) && !argument.Multiple);

    private Param? Block(SpecArgument argument, EquatableArray<SpecArgument> siblings, List<WriteNode> output, bool optional)
    {
        var children = argument.Arguments.Where(c => !_excluded.Contains(c)).ToList();
        if (argument.Multiple)
        {
            if (!TupleAble(argument, allowOptional: false)) return Raw(argument, siblings, output, !optional);
            var (elementType, names) = TupleType(children);
            Param list = Add(argument, siblings, elementType + "[]" + (optional ? "?" : ""), optional ? ParameterDefault.Null : ParameterDefault.None,
                $"{ArgumentDoc(argument)} Each item is {string.Join(", ", names)}.", optional, plural: true, paramsCandidate: !optional, nullCheck: !optional);
            string item = Variable("item");
            var body = TupleWrites(children, item, names);
            if (argument.MultipleToken && argument.Token is not null) body.Insert(0, new TokenNode(argument.Token));
            output.Add(new RepeatNode(Field(list), CollectionKind.Array, optional, elementType, item, Variable("i"), ArgumentBinder.Sequence(body), body.Count,
                argument.MultipleToken ? null : argument.Token));
            return list;
        }
        if (!optional)
        {
            // Columns (XREAD's STREAMS key [key ...] id [id ...]): one array of tuples, written column by column.
            if (children.Count >= 2 && children.All(c => c.IsScalar && c.Multiple && !c.Optional))
            {
                var columnNames = new List<string>();
                var taken = new HashSet<string>(StringComparer.Ordinal);
                foreach (SpecArgument c in children)
                {
                    string n = ElementName(c, argument.Arguments), u = n;
                    for (int i = 2; !taken.Add(u); i++) u = n + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    columnNames.Add(u);
                }
                string type = "(" + string.Join(", ", children.Select((c, i) => ScalarType(c) + " " + columnNames[i])) + ")";
                Param list = Add(argument, siblings, type + "[]", ParameterDefault.None, $"{ArgumentDoc(argument)} Written column by column: {string.Join(", then ", children.Select(c => "every <c>" + Xml(c.Name) + "</c>"))}.",
                    optional: false, plural: true, paramsCandidate: true, nullCheck: true);
                if (argument.Token is not null) output.Add(new TokenNode(argument.Token));
                for (int i = 0; i < children.Count; i++)
                {
                    string item = Variable("item");
                    output.Add(new RepeatNode(Field(list), CollectionKind.Array, false, type, item, Variable("i"), ValueOf(children[i], item + "." + columnNames[i]), 1, null));
                }
                return list;
            }
            if (argument.Token is not null) output.Add(new TokenNode(argument.Token));
            List(argument.Arguments, output, forceOptional: false);
            return null;
        }
        if (!TupleAble(argument, allowOptional: true)) return Raw(argument, siblings, output, required: false);
        var (tupleType, elementNames) = TupleType(children);
        bool single = elementNames.Count == 1;
        Param p = Add(argument, siblings, tupleType + "?", ParameterDefault.Null,
            $"{ArgumentDoc(argument)}{(single ? "" : " As " + string.Join(", ", elementNames) + ".")} null sends nothing.", optional: true);
        string v = Variable("v");
        var writes = TupleWrites(children, v, elementNames);
        // The header count cannot see the pattern variable: it reads the same parts through GetValueOrDefault().
        var counted = TupleWrites(children, Field(p) + ".GetValueOrDefault()", elementNames);
        output.Add(new IfNode($"{Field(p)} is not null", $"{Field(p)} is {{ }} {v}", WithToken(argument.Token, ArgumentBinder.Sequence(writes)),
            WithToken(argument.Token, ArgumentBinder.Sequence(counted))));
        return p;
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

    private List<WriteNode> TupleWrites(List<SpecArgument> children, string source, List<string> names)
    {
        bool single = names.Count == 1;
        var writes = new List<WriteNode>();
        int index = 0;
        foreach (SpecArgument child in children)
        {
            if (child.Type == ArgumentType.PureToken && !child.Optional)
            {
                writes.Add(new TokenNode(child.Token!));
                continue;
            }
            string expression = single ? source : $"{source}.{names[index++]}";
            if (child.Type == ArgumentType.PureToken)
            {
                writes.Add(new IfNode(expression, expression, new TokenNode(child.Token!)));
                continue;
            }
            if (child.Type == ArgumentType.OneOf)
            {
                GeneratedEnum generated = _enums.Find(child) ?? throw new PlanningException($"the token choice '{child.Name}' has no enum");
                _enumsUsed.Add(generated.Name);
                var tokens = generated.Members.Select(m => new EnumToken(m.Name, m.Token)).ToEquatableArray();
                string enumType = EnumType(child);
                if (child.Optional)
                {
                    string ev = Variable("v");
                    writes.Add(new IfNode($"{expression} is not null", $"{expression} is {{ }} {ev}", WithToken(child.Token, new EnumTokenNode(ev, enumType, child.Name, tokens))));
                }
                else
                {
                    writes.Add(WithToken(child.Token, new EnumTokenNode(expression, enumType, child.Name, tokens)));
                }
                continue;
            }
            if (child.Optional)
            {
                string v = Variable("v");
                writes.Add(new IfNode($"{expression} is not null", $"{expression} is {{ }} {v}", WithToken(child.Token, ValueOf(child, v))));
                continue;
            }
            writes.Add(WithToken(child.Token, ValueOf(child, expression)));
        }
        return writes;
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

    // ---- members ----------------------------------------------------------------------------

    private (SpecMember? Sync, SpecMember? Async, bool Typed) Members(string name, ReplyCase? variant, ReplyType reply, WriteNode plan, NameAllocator structNames, ISet<string> reserved)
    {
        var (resultType, typed) = ResultType(reply);
        ParserChoice? parser = ReturnBinder.Choose(resultType, reply, topLevel: true, out _);
        if (parser is null)
        {
            resultType = Object;
            typed = false;
            parser = ReturnBinder.Choose(resultType, reply, topLevel: true, out _)!;
        }
        var ordered = _required.Concat(_optional).ToList();
        var fields = ordered.Select(p => new CommandField(Field(p), p.Type, p.Name)).ToEquatableArray();
        var command = new CommandStruct(structNames.Allocate(name + "Command"), false, fields, _command.Wire, plan);
        string syntax = ArgumentSyntax.Command(_command);
        string? deprecation = _command.IsDeprecated ? $"Deprecated since {_command.DeprecatedSince ?? "?"}" + (_command.ReplacedBy is { } by ? $"; replaced by {Clean(by)}" : "") + "." : null;
        var nullChecks = ordered.Where(p => p.NullCheck).Select(p => p.Name).ToEquatableArray();
        var requiredChoices = ordered.Where(p => p.RequiredChoice).Select(p => p.Name).ToEquatableArray();
        bool isVoid = resultType.Shape == TypeShape.Void;

        SpecMember? sync = null, async = null;
        if (!reserved.Contains(name))
        {
            bool useParams = _optional.Count == 0 && _required.Count > 0 && _required[_required.Count - 1].ParamsCandidate;
            var parameters = ordered.Select((p, i) => new GeneratedParameter(useParams && i == ordered.Count - 1 ? "params " : "", p.Type, p.Name)).ToEquatableArray();
            var method = new GeneratedMethod(name, resultType.Display, parameters, isVoid ? BodyKind.SyncVoid : BodyKind.Sync, null, _command.Name, syntax,
                _command.Summary, _command.Since, deprecation, command, parser.Parser, parser.Result, null, nullChecks, false, Helpers: parser.Helpers, RequiredChoices: requiredChoices);
            sync = new SpecMember(Declaration(name, resultType.Display, parameters, variant, reply, syntax), method);
        }
        if (!reserved.Contains(name + "Async"))
        {
            string returnType = isVoid ? KnownTypes.ValueTask : $"{KnownTypes.ValueTask}<{resultType.Display}>";
            var parameters = ordered.Select(p => new GeneratedParameter("", p.Type, p.Name))
                .Append(new GeneratedParameter("", KnownTypes.CancellationToken, CancellationTokenName)).ToEquatableArray();
            var method = new GeneratedMethod(name + "Async", returnType, parameters, isVoid ? BodyKind.ValueTask : BodyKind.ValueTaskOfT, null, _command.Name, syntax,
                _command.Summary, _command.Since, deprecation, command, parser.Parser, parser.Result, CancellationTokenName, nullChecks, false,
                SharesCommand: sync is not null, Helpers: isVoid ? parser.Helpers with { DiscardValueTask = true } : parser.Helpers, RequiredChoices: requiredChoices);
            async = new SpecMember(Declaration(name + "Async", returnType, parameters, variant, reply, syntax), method);
        }
        return (sync, async, typed);
    }

    // The declaration in the partial interface, as a model: the emitter writes its doc comment and signature.
    private MemberDeclaration Declaration(string name, string returnType, EquatableArray<GeneratedParameter> parameters, ReplyCase? variant, ReplyType reply, string syntax)
    {
        string summary = _command.Summary is { Length: > 0 } s ? Xml(s.TrimEnd('.')) + "." : $"Sends <c>{Xml(_command.Name)}</c>.";
        // The command's syntax (tokens, optional parts, repeats) as redis.io writes it.
        var remarks = new List<string> { $"Sends <c>{Xml(syntax)}</c>" + (variant is null ? "." : $" with <c>{Xml(string.Join(", ", variant.Present))}</c> always sent.") };
        if (_command.Complexity is { Length: > 0 } complexity) remarks.Add("Complexity: " + Xml(complexity.TrimEnd('.')) + ".");
        if (_command.Since is not null) remarks.Add("Since Redis " + Xml(_command.Since) + ".");
        if (_command.IsDeprecated) remarks.Add($"Deprecated since {Xml(_command.DeprecatedSince ?? "?")}" + (_command.ReplacedBy is { } by ? "; use " + Xml(Clean(by)) : "") + ".");
        if (UsedRaw) remarks.Add("Some arguments are passed as raw words.");
        var declared = _required.Concat(_optional).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var list = new List<DeclaredParameter>();
        foreach (GeneratedParameter parameter in parameters)
        {
            if (parameter.Identifier == CancellationTokenName)
            {
                list.Add(new DeclaredParameter(parameter, "Cancels the wait for the reply.", ParameterDefault.Default));
                continue;
            }
            Param p = declared[parameter.Identifier];
            list.Add(new DeclaredParameter(parameter, p.Doc, p.Default));
        }
        string? returns = returnType != "void" && returnType != KnownTypes.ValueTask
            ? $"The reply, <c>{Xml(reply.Text)}</c>{(reply.Kind == ReplyKind.Bulk && !reply.Nullable ? " (nil throws RedisNilException)" : "")}."
            : null;
        string? obsolete = _command.IsDeprecated
            ? $"{_command.Name} is deprecated since Redis {_command.DeprecatedSince ?? "?"}" + (_command.ReplacedBy is { } replacement ? "; use " + Clean(replacement) : "") + "."
            : null;
        return new MemberDeclaration(name, returnType, list.ToEquatableArray(), summary, string.Join(" ", remarks), returns, obsolete);
    }

    private static string Clean(string text) => text.Replace("`", "");

    // ---- reply → result type ----------------------------------------------------------------

    private static readonly TypeDesc Object = Ref(TypeShape.Object, "object", nullable: true);

    private static (TypeDesc Type, bool Typed) ResultType(ReplyType reply)
    {
        if (reply.Kind is ReplyKind.Any or ReplyKind.Unknown) return (Object, false);
        if (reply.Kind == ReplyKind.Ok) return reply.Nullable ? (Simple(TypeShape.Boolean, "bool"), true) : (Simple(TypeShape.Void, "void"), true);
        TypeDesc? type = Describe(reply, topLevel: true);
        return type is null ? (Object, false) : (type, true);
    }

    private static TypeDesc? Describe(ReplyType reply, bool topLevel)
    {
        TypeDesc? Inner(int i) => Describe(reply.Arguments[i], false);
        TypeDesc? result;
        switch (reply.Kind)
        {
            case ReplyKind.Ok:
            case ReplyKind.Status:
                return Ref(TypeShape.String, "string", reply.Nullable);
            case ReplyKind.Bulk:
                return Ref(TypeShape.Array, "byte[]", reply.Nullable, Simple(TypeShape.Byte, "byte"));
            case ReplyKind.Any:
            case ReplyKind.Unknown:
                return Object;
            case ReplyKind.Int: result = Simple(TypeShape.Int64, "long"); break;
            case ReplyKind.Bool: result = Simple(TypeShape.Boolean, "bool"); break;
            case ReplyKind.Double: result = Simple(TypeShape.Double, "double"); break;
            case ReplyKind.Cursor: result = Simple(TypeShape.UInt64, "ulong"); break;
            case ReplyKind.Array:
            {
                TypeDesc element = Inner(0) ?? Object;
                return Ref(TypeShape.Array, element.Display + "[]", reply.Nullable, element);
            }
            case ReplyKind.Map:
            {
                ReplyType keyReply = reply.Arguments[0];
                TypeDesc key = keyReply.Kind is ReplyKind.Bulk or ReplyKind.Status ? Ref(TypeShape.String, "string", false) : (Describe(keyReply with { Nullable = false }, false) ?? Ref(TypeShape.String, "string", false));
                if (key.IsNullable || key.Shape == TypeShape.Object) key = Ref(TypeShape.String, "string", false);
                TypeDesc value = Inner(1) ?? Object;
                return Ref(TypeShape.Dictionary, $"{KnownTypes.Dictionary}<{key.Display}, {value.Display}>", reply.Nullable, key, value);
            }
            case ReplyKind.Pairs:
            {
                TypeDesc first = Inner(0) ?? Object, second = Inner(1) ?? Object;
                TypeDesc tuple = Tuple(new[] { first, second }, ElementNames(reply));
                return Ref(TypeShape.Array, tuple.Display + "[]", reply.Nullable, tuple);
            }
            case ReplyKind.Tuple when reply.Arguments.Count is 2 or 3:
            {
                var elements = new List<TypeDesc>();
                for (int i = 0; i < reply.Arguments.Count; i++) elements.Add(Inner(i) ?? Object);
                result = Tuple(elements.ToArray(), ElementNames(reply));
                break;
            }
            case ReplyKind.Tuple:
                return Object;
            default:
                return null;
        }
        return reply.Nullable ? new TypeDesc(TypeShape.Nullable, result.Display + "?", result.Display + "?", Nullability.NotAnnotated, true, EquatableArray.Create(result), EquatableArray<string>.Empty) : result;
    }

    private static TypeDesc Simple(TypeShape shape, string display)
        => new(shape, display, display, Nullability.NotAnnotated, true, EquatableArray<TypeDesc>.Empty, EquatableArray<string>.Empty);

    private static TypeDesc Ref(TypeShape shape, string display, bool nullable, params TypeDesc[] args)
        => new(shape, display + (nullable ? "?" : ""), display, nullable ? Nullability.Annotated : Nullability.NotAnnotated, false, args.ToEquatableArray(), EquatableArray<string>.Empty);

    // A value tuple; its elements are named when the spec names them all (pairs<bulk member,double score>
    // → (byte[] Member, double Score)), so callers and generated code never need ItemN.
    private static TypeDesc Tuple(TypeDesc[] elements, List<string>? names)
    {
        string display = "(" + string.Join(", ", elements.Select((e, i) => names is null ? e.Display : e.Display + " " + names[i])) + ")";
        return new TypeDesc(TypeShape.Tuple, display, display, Nullability.NotAnnotated, true, elements.ToEquatableArray(),
            elements.Select((_, i) => names is null ? "" : names[i]).ToEquatableArray());
    }

    private static List<string>? ElementNames(ReplyType reply)
    {
        var names = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < reply.Arguments.Count; i++)
        {
            if (reply.NameOf(i) is not { } name) return null;
            string pascal = SpecNaming.Pascal(name);
            if (pascal.Length == 0 || pascal.StartsWith("Item", StringComparison.Ordinal) || pascal is "Rest" or "ToString" or "GetHashCode" or "Equals" or "GetType" || char.IsDigit(pascal[0])) pascal = "Part" + pascal;
            if (!used.Add(pascal)) return null;
            names.Add(pascal);
        }
        return names;
    }

    // ---- helpers ----------------------------------------------------------------------------

    private Param Add(SpecArgument argument, EquatableArray<SpecArgument> siblings, string type, ParameterDefault @default, string doc, bool optional,
        bool plural = false, bool paramsCandidate = false, bool nullCheck = false, string? name = null)
    {
        name = name is null ? SpecNaming.Camel(BaseName(argument, siblings)) : char.ToLowerInvariant(name[0]) + name.Substring(1);
        if (plural && !name.EndsWith("s", StringComparison.Ordinal)) name += "s";
        string unique = name;
        for (int i = 2; !_names.Add(unique); i++) unique = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var p = new Param(DeclarationReader.Escape(unique), type, @default, doc, paramsCandidate, nullCheck);
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

    private static string ScalarType(SpecArgument argument) => argument.Type switch
    {
        ArgumentType.Key => Key,
        ArgumentType.Integer or ArgumentType.UnixTime => "long",
        ArgumentType.Double => "double",
        _ => Value,
    };

    private static WriteNode ValueOf(SpecArgument argument, string expression)
        => argument.Type is ArgumentType.Integer or ArgumentType.UnixTime or ArgumentType.Double
            ? new ValueNode(expression, false)
            : new ValueNode(expression, true);

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

    private static WriteNode WithToken(string? token, WriteNode node)
        => token is null ? node : ArgumentBinder.Sequence(new List<WriteNode> { new TokenNode(token), node });

    private static void AddWithToken(List<WriteNode> output, string? token, WriteNode node)
    {
        if (token is not null) output.Add(new TokenNode(token));
        output.Add(node);
    }

    private static string Xml(string text) => DocText.Escape(text);

    private sealed class ReferenceComparer : IEqualityComparer<SpecArgument>
    {
        public static readonly ReferenceComparer Instance = new();

        public bool Equals(SpecArgument? x, SpecArgument? y) => ReferenceEquals(x, y);

        public int GetHashCode(SpecArgument obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }
}
