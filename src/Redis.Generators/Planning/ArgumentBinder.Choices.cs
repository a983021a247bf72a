using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Redis.Generators.Model;
using Redis.Generators.Spec;
using static Redis.Generators.Planning.WriteSteps;

namespace Redis.Generators.Planning;

// Choices (oneof): an option type (Expiration), an enum of the tokens, bools per token, or one parameter per alternative.
internal sealed partial class ArgumentBinder
{
    private bool BindRequiredOneOf(SpecArgument argument, string path, ParameterDeclaration parameter, List<WriteNode> output, Scope later)
    {
        if (argument.Multiple) return EachOnce(argument, parameter) ? BindAlternatives(argument, path, parameter, output, later) : BindRawChoice(argument, parameter, output, required: true);
        // An enum for a choice with values stands for a token choice inside one alternative (CLIENT KILL's TYPE): found below.
        if (parameter.Type.Underlying.Shape == TypeShape.Enum && (argument.Arguments.All(a => a.Type == ArgumentType.PureToken) || !argument.Arguments.Any(a => TypedAfter(parameter, a))))
        {
            if (!BindEnum(argument, parameter, output, optional: false)) return false;
            Consume(parameter);
            return true;
        }
        if (parameter.Type.Underlying.Shape == TypeShape.Arguments)
        {
            if (!BindOption(argument, parameter, output, optional: false)) return false;
            Consume(parameter);
            return true;
        }
        if (TokenOrValue(argument) is ({ } token, { } value)
            && (NameMatches(parameter, value) ? parameter : NamedAfter(value)) is { Type.Shape: TypeShape.Nullable } named)
        {
            // A token or one value (XADD's * | id): a nullable parameter named after the value (it has a default,
            // so it may come after the required ones) sends the token when null.
            parameter = named;
            var writer = ScalarWriters.For(value, parameter.Type.Underlying, _isAsync, out string reason);
            if (writer is null) return NotAllowed(parameter, argument, reason);
            string variable = Variable("v");
            AddWithToken(output, argument.Token, new IfElseNode(new NotNullCondition(Field(parameter), variable), WithToken(value.Token, writer(variable)), new TokenNode(token.Token!)));
            Consume(parameter);
            return true;
        }
        SpecArgument? alternative = argument.Arguments.FirstOrDefault(a => Matches(parameter, a));
        if (alternative is null)
        {
            var fitting = argument.Arguments.Where(a => a.Type != ArgumentType.PureToken && FitsPositionally(a, parameter)).ToList();
            if (fitting.Count == 1) alternative = fitting[0];
        }
        if (alternative is null || alternative.Type == ArgumentType.PureToken)
        {
            return NotAllowed(parameter, argument, $"choose one of {ArgumentSyntax.Describe(argument.Arguments)} with an enum named after the tokens, or name the parameter after one alternative");
        }
        var inner = new List<WriteNode>();
        if (!BindRequired(alternative, path + "/" + alternative.Name, parameter, inner, later)) return false;
        AddWithToken(output, argument.Token, Sequence(inner));
        return true;
    }

    // A repeated choice (BITFIELD's GET ... | SET ... | INCRBY ...) takes a RedisValue[] of its words as they are sent, tokens included.
    private bool BindRawChoice(SpecArgument argument, ParameterDeclaration parameter, List<WriteNode> output, bool required)
    {
        if (Collection(parameter.Type) is not { Kind: CollectionKind.Array } raw || raw.Element.Shape != TypeShape.RedisValue || raw.Element.Nullability == Nullability.Annotated)
        {
            return NotAllowed(parameter, argument, "a repeated choice is passed as its words, tokens included, in a RedisValue[]");
        }
        bool mayBeNull = parameter.Type.MayBeNull;
        if (required && !mayBeNull) _nullChecks.Add(parameter.Name);
        string item = Variable("item");
        output.Add(new RepeatNode(Field(parameter), CollectionKind.Array, mayBeNull, raw.Element.Display, item, Variable("i"), new ValueNode(item, true), 1, null));
        Consume(parameter);
        return true;
    }

    // The two alternatives of a choice between one pure token and one single value, or nulls.
    internal static (SpecArgument? Token, SpecArgument? Value) TokenOrValue(SpecArgument choice)
    {
        if (choice.Multiple || choice.Arguments.Count != 2 || choice.Arguments.Count(a => a.Type == ArgumentType.PureToken) != 1) return (null, null);
        SpecArgument token = choice.Arguments.First(a => a.Type == ArgumentType.PureToken);
        SpecArgument value = choice.Arguments.First(a => a.Type != ArgumentType.PureToken);
        return value.IsScalar && !value.Multiple ? (token, value) : (null, null);
    }

    // An alternative a parameter stands for: named after it, or typed with the enum generated for it (or for a
    // choice inside it), as a spec-driven member names a token choice after its role (clientKillType: ClientKillType).
    private bool Matches(ParameterDeclaration parameter, SpecArgument alternative)
        => NameMatches(parameter, alternative) || TypedAfter(parameter, alternative);

    private bool TypedAfter(ParameterDeclaration parameter, SpecArgument argument)
        => argument.Type == ArgumentType.OneOf && parameter.Type.Underlying.Shape == TypeShape.Enum
            && (GeneratedEnumFor(argument, parameter.Type.Underlying) is not null || argument.Arguments.Any(a => TypedAfter(parameter, a)));

    // The enum generated for a token choice, when the given type is that enum.
    private GeneratedEnum? GeneratedEnumFor(SpecArgument choice, TypeDesc type)
        => _enums?.Find(choice) is { } generated && generated.QualifiedName == type.DisplayNotNull ? generated : null;

    // A repeated choice without a token of its own whose alternatives are single values, tokens or token choices
    // (CLIENT KILL's ID | TYPE | USER | ADDR | LADDR | SKIPME filters), given a parameter named after an alternative:
    // each alternative at most once, as an optional parameter named after it; several may be passed together.
    private bool EachOnce(SpecArgument argument, ParameterDeclaration parameter)
        => argument.Token is null && Collection(parameter.Type) is null
            && argument.Arguments.All(a => a.Type == ArgumentType.PureToken || (a.IsScalar && !a.Multiple) || (a.Type == ArgumentType.OneOf && !a.Multiple && a.Arguments.All(t => t.Type == ArgumentType.PureToken)))
            && argument.Arguments.Any(a => Matches(parameter, a));

    private bool BindOptionalOneOf(SpecArgument argument, string path, ParameterDeclaration parameter, List<WriteNode> output, Scope later)
    {
        if (argument.Multiple) return EachOnce(argument, parameter) ? BindAlternatives(argument, path, parameter, output, later) : BindRawChoice(argument, parameter, output, required: false);
        if (parameter.Type.Underlying.Shape == TypeShape.Enum)
        {
            if (!BindEnum(argument, parameter, output, optional: true)) return false;
            Consume(parameter);
            return true;
        }
        if (parameter.Type.Underlying.Shape == TypeShape.Arguments)
        {
            if (!BindOption(argument, parameter, output, optional: true)) return false;
            Consume(parameter);
            return true;
        }
        return BindAlternatives(argument, path, parameter, output, later);
    }

    // One parameter per alternative, each named after it: bool nx, bool xx; long? ex, long? px, bool keepTtl.
    private bool BindAlternatives(SpecArgument argument, string path, ParameterDeclaration parameter, List<WriteNode> output, Scope later)
    {
        bool any = false;
        var inner = new List<WriteNode>();
        var flattened = new List<ParameterDeclaration>();
        while (_parameters.FirstOrDefault(p => !IsBound(p) && argument.Arguments.Any(a => Matches(p, a))) is { } current)
        {
            SpecArgument alternative = argument.Arguments.First(a => Matches(current, a));
            if (any && argument.Token is not null) break;
            var one = new List<WriteNode>();
            if (!BindOptional(alternative with { Optional = true }, path + "/" + alternative.Name, current, one, later)) return false;
            inner.Add(Sequence(one));
            flattened.Add(current);
            any = true;
        }
        if (flattened.Count > 1 && !argument.Multiple && OptionTypes.IsValuedChoice(argument))
        {
            // Still generated (it compiles and each alternative alone works), but nothing stops a caller from
            // passing two alternatives, which the server rejects: point at the one-parameter form.
            OptionType? option = OptionTypes.ForChoice(argument);
            string instead = option is not null
                ? $"declare one '{option.ShortName}' parameter instead (e.g. {option.ShortName}.Seconds(60))"
                : "declare one parameter of a struct implementing Redis.IRespArguments that writes exactly one alternative";
            _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FlattenedChoice, flattened[1].Location ?? _methodLocation,
                _methodName, string.Join(", ", flattened.Select(f => f.Name)), argument.Name, _command.Name, ArgumentSyntax.Describe(argument.Arguments), instead));
        }
        if (!any)
        {
            return NotAllowed(parameter, argument, $"pass an enum named after the tokens, or one parameter per alternative named after it ({ArgumentSyntax.Describe(argument.Arguments)})");
        }
        if (argument.Token is null)
        {
            output.AddRange(inner);
            return true;
        }
        // A tokened oneof (TYPE <normal | master>) with one alternative bound: the token goes inside its condition.
        WriteNode only = inner[0];
        output.Add(only is IfNode conditional ? conditional with { Body = WithToken(argument.Token, conditional.Body) } : WithToken(argument.Token, only));
        return true;
    }

    // A struct implementing Redis.IRespArguments stands for the whole choice: it writes its own token and
    // values. A hand-written runtime type must send only tokens of this choice (Expiration, which can send
    // KEEPTTL, does not fit GETEX); a user's own type is trusted.
    private bool BindOption(SpecArgument argument, ParameterDeclaration parameter, List<WriteNode> output, bool optional)
    {
        TypeDesc type = parameter.Type;
        if (OptionTypes.ForType(KnownTypes.Unqualify(type.Underlying.DisplayNotNull)) is { } known)
        {
            var tokens = new HashSet<string>(argument.Arguments.Select(OptionTypes.Signature), StringComparer.OrdinalIgnoreCase);
            var foreign = known.Tokens.Where(t => !tokens.Contains(t)).ToList();
            if (foreign.Count > 0)
            {
                string fitting = OptionTypes.ForChoice(argument) is { } right ? $"; use {right.ShortName}" : "";
                return NotAllowed(parameter, argument, $"{known.ShortName} can send {string.Join(", ", foreign)}, which {_command.Name} does not take here ({ArgumentSyntax.Describe(argument.Arguments)}){fitting}");
            }
        }
        string field = Field(parameter);
        if (type.Shape == TypeShape.Nullable)
        {
            if (!optional) return NotAllowed(parameter, argument, "a required argument cannot be null; use the non-nullable type");
            string variable = Variable("v");
            output.Add(new IfNode(new NotNullCondition(field, variable), WithToken(argument.Token, new ArgumentsNode(variable)),
                WithToken(argument.Token, new ArgumentsNode(new DefaultedValue(field)))));
            return true;
        }
        if (argument.Token is not null)
        {
            // The choice's own token (FILTERBY) goes out only with an alternative.
            output.Add(new IfNode(new HasArgumentsCondition(field), WithToken(argument.Token, new ArgumentsNode(field))));
            return true;
        }
        if (!optional) _requiredChoices.Add(parameter.Name);
        output.Add(new ArgumentsNode(field));
        return true;
    }

    private bool BindEnum(SpecArgument argument, ParameterDeclaration parameter, List<WriteNode> output, bool optional)
    {
        TypeDesc enumType = parameter.Type.Underlying;
        if (EnumTokens(argument, enumType, parameter) is not { } tokens) return false;
        string field = Field(parameter);
        if (parameter.Type.Shape == TypeShape.Nullable)
        {
            if (!optional) return NotAllowed(parameter, argument, "a required argument cannot be null; use the non-nullable enum");
            string variable = Variable("v");
            output.Add(new IfNode(new NotNullCondition(field, variable),
                WithToken(argument.Token, new EnumTokenNode(variable, enumType.Display, parameter.Name, tokens))));
            return true;
        }
        AddWithToken(output, argument.Token, new EnumTokenNode(field, enumType.Display, parameter.Name, tokens));
        return true;
    }

    // The token each member of the enum sends, or null (a diagnostic added) when the enum does not fit the choice.
    private EquatableArray<EnumToken>? EnumTokens(SpecArgument argument, TypeDesc enumType, ParameterDeclaration parameter)
    {
        if (enumType.Shape != TypeShape.Enum)
        {
            NotAllowed(parameter, argument, $"a choice of tokens ({ArgumentSyntax.Describe(argument.Arguments)}) takes an enum named after them");
            return null;
        }
        if (!argument.Arguments.All(a => a.Type == ArgumentType.PureToken))
        {
            NotAllowed(parameter, argument, $"an enum can only choose among tokens, and {argument.Name} has alternatives with values ({ArgumentSyntax.Describe(argument.Arguments)})");
            return null;
        }
        var tokens = new List<EnumToken>();
        var values = new HashSet<string>(StringComparer.Ordinal);
        GeneratedEnum? generated = GeneratedEnumFor(argument, enumType);
        bool known = generated is not null;
        // The enum generated for this token set: its members send the tokens the table gives them (GeoUnit.Meters sends M).
        if (generated is not null) tokens.AddRange(generated.Members.Select(m => new EnumToken(m.Name, m.Token)));
        for (int i = 0; i < enumType.Names.Count && !known; i++)
        {
            string member = enumType.Names[i];
            // Aliases (two members with one value) get one switch arm: the first member's.
            if (i < enumType.Values.Count && !values.Add(enumType.Values[i])) continue;
            SpecArgument? match = argument.Arguments.FirstOrDefault(a => Squash(a.Token) == Squash(member) || Squash(a.Name) == Squash(member));
            if (match is null)
            {
                NotAllowed(parameter, argument, $"enum member '{member}' names none of the tokens {ArgumentSyntax.Describe(argument.Arguments)}");
                return null;
            }
            tokens.Add(new EnumToken(member, match.Token!));
        }
        if (tokens.Count == 0)
        {
            NotAllowed(parameter, argument, "the enum has no members");
            return null;
        }
        return tokens.ToEquatableArray();
    }
}
