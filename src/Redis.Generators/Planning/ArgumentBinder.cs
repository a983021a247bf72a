using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Redis.Generators.Model;
using Redis.Generators.Spec;

namespace Redis.Generators.Planning;

/// <summary>
/// Matches a method's parameters to a command's argument tree and builds the <see cref="WriteNode"/>
/// plan that writes them.
/// </summary>
/// <remarks>
/// The rules, in spec order:
/// <list type="bullet">
/// <item>A required argument takes the next parameter (a required block takes a tuple or one
/// parameter per child; a required pure-token is written with no parameter).</item>
/// <item>An optional argument takes the next parameter when the parameter is named after it (its
/// name or token, ignoring case, <c>-</c> and <c>_</c>, plural allowed), or else when the type fits
/// and the parameter is not named after a later argument; otherwise it is left out.</item>
/// <item>An optional pure-token takes a <c>bool</c> named after it; a oneof of pure-tokens takes an
/// enum whose members are named after the tokens, or one <c>bool</c> per token; a oneof with values
/// takes one struct implementing <c>Redis.IRespArguments</c> (<c>Expiration</c> for SET's EX|PX|EXAT|PXAT|KEEPTTL),
/// or one parameter per alternative, named after it (<c>long? px</c>; two or more of them give RDS0017).</item>
/// <item>A multiple argument takes an array, <c>IReadOnlyList&lt;T&gt;</c>, <c>List&lt;T&gt;</c>,
/// <c>ReadOnlySpan&lt;T&gt;</c> (synchronous only) or one or more single values; a multiple block
/// takes a collection of tuples, a tuple, or its children flattened (one repetition).</item>
/// <item>null (for nullable parameters of optional arguments), false and empty collections leave an
/// argument out. A required string argument given a null string sends an empty string (redigo's nil).</item>
/// </list>
/// </remarks>
internal sealed class ArgumentBinder
{
    private readonly SpecCommand _command;
    private readonly IReadOnlyList<ParameterDeclaration> _parameters;
    private readonly bool _isAsync;
    private readonly string _methodName;
    private readonly Location? _methodLocation;
    private readonly HashSet<string> _pinned;
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly HashSet<string> _nullChecks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _requiredChoices = new(StringComparer.Ordinal);
    private readonly bool[] _bound;
    private int _variables;

    public ArgumentBinder(SpecCommand command, IReadOnlyList<ParameterDeclaration> parameters, bool isAsync, string methodName, Location? methodLocation, IEnumerable<string> pinned, List<DiagnosticInfo> diagnostics)
    {
        _command = command;
        _parameters = parameters;
        _isAsync = isAsync;
        _methodName = methodName;
        _methodLocation = methodLocation;
        _pinned = new HashSet<string>(pinned, StringComparer.OrdinalIgnoreCase);
        _diagnostics = diagnostics;
        _bound = new bool[parameters.Count];
    }

    /// <summary>Parameters (identifiers) to check with ArgumentNullException.ThrowIfNull first.</summary>
    public IEnumerable<string> NullChecks => _parameters.Where(p => _nullChecks.Contains(p.Name)).Select(p => p.Identifier);

    /// <summary>Parameters (identifiers) of required choices (<c>IRespArguments</c>) that must not be <c>default</c>.</summary>
    public IEnumerable<string> RequiredChoices => _parameters.Where(p => _requiredChoices.Contains(p.Name)).Select(p => p.Identifier);

    /// <summary>The plan, or null when the parameters do not match (a diagnostic was added).</summary>
    public WriteNode? Bind()
    {
        var output = new List<WriteNode>();
        bool ok = _command.Docs ? BindDocumented(output) : BindByArity(output);
        return ok ? Sequence(output) : null;
    }

    private bool BindDocumented(List<WriteNode> output)
    {
        if (!BindList(_command.Arguments, "", output, null)) return false;
        if (Current is { } extra)
        {
            Mismatch(extra.Location, $"parameter '{extra.Name}' matches no argument of {_command.Name} (its arguments are {ArgumentSyntax.Describe(_command.Arguments)}); name optional parameters after their argument or token");
            return false;
        }
        return true;
    }

    // Commands without COMMAND DOCS: every parameter is one bulk string (or a collection of them), checked against the arity.
    private bool BindByArity(List<WriteNode> output)
    {
        var any = new SpecArgument("arg", ArgumentType.Unknown, "string", null, false, false, false, -1, null, null, null, null, EquatableArray<SpecArgument>.Empty);
        bool variable = false;
        foreach (ParameterDeclaration parameter in _parameters)
        {
            if (Collection(parameter.Type) is not null) variable = true;
            if (!BindRepeatable(any, parameter, required: true, output)) return false;
            Consume(parameter);
        }
        int words = _command.Wire.Count;
        int sent = words + _parameters.Count;
        int arity = _command.Arity;
        if (arity > 0 && !variable && sent != arity)
        {
            Mismatch(_methodLocation, $"{_command.Name} takes exactly {arity - words} argument(s) (arity {arity}) and the method has {_parameters.Count}");
            return false;
        }
        if (arity < 0 && !variable && sent < -arity)
        {
            Mismatch(_methodLocation, $"{_command.Name} takes at least {-arity - words} argument(s) (arity {arity}) and the method has {_parameters.Count}");
            return false;
        }
        return true;
    }

    // The first parameter not bound yet: required arguments take parameters in order.
    private ParameterDeclaration? Current
    {
        get
        {
            for (int i = 0; i < _parameters.Count; i++)
            {
                if (!_bound[i]) return _parameters[i];
            }
            return null;
        }
    }

    // An unbound parameter named after the argument, wherever it is: optional arguments may be
    // passed after the required ones (C# wants defaults last; ZADD has its options first).
    private ParameterDeclaration? NamedAfter(SpecArgument argument)
    {
        for (int i = 0; i < _parameters.Count; i++)
        {
            if (!_bound[i] && NameMatches(_parameters[i], argument)) return _parameters[i];
        }
        return null;
    }

    private bool IsBound(ParameterDeclaration parameter)
    {
        for (int i = 0; i < _parameters.Count; i++)
        {
            if (ReferenceEquals(_parameters[i], parameter)) return _bound[i];
        }
        return false;
    }

    private void Consume(ParameterDeclaration parameter)
    {
        for (int i = 0; i < _parameters.Count; i++)
        {
            if (ReferenceEquals(_parameters[i], parameter)) _bound[i] = true;
        }
    }

    private bool BindList(EquatableArray<SpecArgument> arguments, string prefix, List<WriteNode> output, Scope? outer)
    {
        for (int k = 0; k < arguments.Count; k++)
        {
            SpecArgument argument = arguments[k];
            string path = prefix + argument.Name;
            var later = new Scope(arguments, k + 1, outer);
            if (argument.Type == ArgumentType.PureToken && (!argument.Optional || IsPinned(path, argument)))
            {
                output.Add(new TokenNode(argument.Token!));
                continue;
            }
            ParameterDeclaration? parameter = Current;
            if (!argument.Optional)
            {
                if (parameter is null)
                {
                    Mismatch(_methodLocation, $"the required argument '{argument.Name}' has no parameter (the arguments are {ArgumentSyntax.Describe(_command.Arguments)})");
                    return false;
                }
                if (!BindRequired(argument, path, parameter, output, later)) return false;
                continue;
            }
            ParameterDeclaration? named = NamedAfter(argument);
            if (named is null)
            {
                if (parameter is null || later.Matches(parameter) || !FitsPositionally(argument, parameter)) continue;
                named = parameter;
            }
            if (!BindOptional(argument, path, named, output, later)) return false;
        }
        return true;
    }

    private bool IsPinned(string path, SpecArgument argument)
        => _pinned.Count > 0 && (_pinned.Contains(path) || (argument.Token is not null && _pinned.Contains(path + "[" + argument.Token + "]")));

    private bool BindRequired(SpecArgument argument, string path, ParameterDeclaration parameter, List<WriteNode> output, Scope later)
    {
        switch (argument.Type)
        {
            case ArgumentType.OneOf:
                return BindRequiredOneOf(argument, path, parameter, output, later);
            case ArgumentType.Block:
                return BindBlock(argument, path, parameter, output, later, optional: false);
            default:
                if (argument.Multiple) return BindMultiple(argument, parameter, output, later, required: true);
                if (!BindScalar(argument, parameter, output, optional: false)) return false;
                Consume(parameter);
                return true;
        }
    }

    private bool BindOptional(SpecArgument argument, string path, ParameterDeclaration parameter, List<WriteNode> output, Scope later)
    {
        switch (argument.Type)
        {
            case ArgumentType.PureToken:
                if (!BoolCondition(parameter, out string? condition))
                {
                    return NotAllowed(parameter, argument, $"the optional token {argument.Token} is sent when a bool parameter named after it is true");
                }
                output.Add(new IfNode(condition!, condition!, new TokenNode(argument.Token!)));
                Consume(parameter);
                return true;
            case ArgumentType.OneOf:
                return BindOptionalOneOf(argument, path, parameter, output, later);
            case ArgumentType.Block:
                return BindBlock(argument, path, parameter, output, later, optional: true);
            default:
                if (argument.Multiple) return BindMultiple(argument, parameter, output, later, required: false);
                if (!BindScalar(argument, parameter, output, optional: true)) return false;
                Consume(parameter);
                return true;
        }
    }

    // ---- scalars ----------------------------------------------------------------------------

    private bool BindScalar(SpecArgument argument, ParameterDeclaration parameter, List<WriteNode> output, bool optional)
    {
        TypeDesc type = parameter.Type;
        if (Collection(type) is not null)
        {
            return NotAllowed(parameter, argument, "the argument is not repeated; pass a single value");
        }
        TypeDesc underlying = type.Underlying;
        var writer = ScalarWriters.For(argument, underlying, _isAsync, out string reason);
        if (writer is null) return NotAllowed(parameter, argument, reason);
        string field = Field(parameter);
        if (!optional || !type.MayBeNull)
        {
            if (type.Shape == TypeShape.Nullable)
            {
                return NotAllowed(parameter, argument, "a required argument cannot be null; use the non-nullable type");
            }
            WriteNode value;
            if (type.MayBeNull && !type.IsValueType)
            {
                if (argument.Type == ArgumentType.Key && type.IsNullable)
                {
                    return NotAllowed(parameter, argument, "a key cannot be null; use the non-nullable type");
                }
                if (type.Nullability == Nullability.Oblivious && underlying.Shape == TypeShape.String)
                {
                    _nullChecks.Add(parameter.Name);
                    value = writer(field);
                }
                else
                {
                    // A null string or byte[] for a required string argument is sent empty, as redigo sends nil.
                    value = underlying.Shape == TypeShape.String ? new ValueNode(field + " ?? \"\"", false) : writer(field);
                }
            }
            else
            {
                if (!type.IsValueType) _nullChecks.Add(parameter.Name);
                value = writer(field);
            }
            AddWithToken(output, argument.Token, value);
            return true;
        }
        string variable = Variable("v");
        output.Add(new IfNode($"{field} is not null", $"{field} is {{ }} {variable}", WithToken(argument.Token, writer(variable))));
        return true;
    }

    // A multiple scalar: a collection, or one or more single values.
    private bool BindMultiple(SpecArgument argument, ParameterDeclaration parameter, List<WriteNode> output, Scope later, bool required)
    {
        if (!BindRepeatable(argument, parameter, required, output)) return false;
        Consume(parameter);
        if (Collection(parameter.Type) is not null) return true;
        // More single values for the same argument: DEL k1 k2.
        while (Current is { } next && Collection(next.Type) is null && !later.Matches(next)
            && ScalarWriters.For(argument, next.Type.Underlying, _isAsync, out _) is not null
            && (!next.Type.MayBeNull || next.Type.Nullability == Nullability.Oblivious || argument.Type != ArgumentType.Key))
        {
            if (!BindRepeatable(argument, next, required, output, tokenAlreadyWritten: argument.Token is not null && !argument.MultipleToken)) return false;
            Consume(next);
        }
        return true;
    }

    private bool BindRepeatable(SpecArgument argument, ParameterDeclaration parameter, bool required, List<WriteNode> output, bool tokenAlreadyWritten = false)
    {
        if (Collection(parameter.Type) is { } collection)
        {
            TypeDesc element = collection.Element;
            if (collection.Kind == CollectionKind.Span && _isAsync)
            {
                return NotAllowed(parameter, argument, "ReadOnlySpan<T> is only allowed in synchronous methods; use T[] or IReadOnlyList<T>");
            }
            var writer = ScalarWriters.For(argument, element.Underlying, _isAsync, out string reason);
            if (writer is null) return NotAllowed(parameter, argument, "its elements cannot be sent: " + reason);
            if (element.Shape == TypeShape.Nullable || (element.IsNullable && argument.Type == ArgumentType.Key))
            {
                return NotAllowed(parameter, argument, "the elements cannot be null");
            }
            string item = Variable("item");
            WriteNode value = element.IsNullable && element.Underlying.Shape == TypeShape.String ? new ValueNode(item + " ?? \"\"", false) : writer(item);
            WriteNode body = argument.MultipleToken && argument.Token is not null ? Sequence(new List<WriteNode> { new TokenNode(argument.Token), value }) : value;
            int count = argument.MultipleToken && argument.Token is not null ? 2 : 1;
            bool mayBeNull = parameter.Type.MayBeNull;
            if (required && !mayBeNull && collection.Kind != CollectionKind.Span) _nullChecks.Add(parameter.Name);
            output.Add(new RepeatNode(Field(parameter), collection.Kind, mayBeNull, element.Display, item, Variable("i"), body, count,
                argument.MultipleToken ? null : argument.Token));
            return true;
        }
        var single = new List<WriteNode>();
        SpecArgument one = argument.MultipleToken || !tokenAlreadyWritten ? argument : argument with { Token = null };
        if (!BindScalar(one, parameter, single, optional: !required)) return false;
        output.AddRange(single);
        return true;
    }

    // ---- oneof ------------------------------------------------------------------------------

    private bool BindRequiredOneOf(SpecArgument argument, string path, ParameterDeclaration parameter, List<WriteNode> output, Scope later)
    {
        if (argument.Multiple) return NotAllowed(parameter, argument, "repeated choices are not supported yet");
        if (parameter.Type.Underlying.Shape == TypeShape.Enum)
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
        SpecArgument? alternative = argument.Arguments.FirstOrDefault(a => NameMatches(parameter, a));
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

    private bool BindOptionalOneOf(SpecArgument argument, string path, ParameterDeclaration parameter, List<WriteNode> output, Scope later)
    {
        if (argument.Multiple) return NotAllowed(parameter, argument, "repeated choices are not supported yet");
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
        // One parameter per alternative, each named after it: bool nx, bool xx; long? ex, long? px, bool keepTtl.
        bool any = false;
        var inner = new List<WriteNode>();
        var flattened = new List<ParameterDeclaration>();
        while (_parameters.FirstOrDefault(p => !IsBound(p) && argument.Arguments.Any(a => NameMatches(p, a))) is { } current)
        {
            SpecArgument alternative = argument.Arguments.First(a => NameMatches(current, a));
            if (any && argument.Token is not null) break;
            var one = new List<WriteNode>();
            if (!BindOptional(alternative with { Optional = true }, path + "/" + alternative.Name, current, one, later)) return false;
            inner.Add(Sequence(one));
            flattened.Add(current);
            any = true;
        }
        if (flattened.Count > 1 && OptionTypes.IsValuedChoice(argument))
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
            output.Add(new IfNode($"{field} is not null", $"{field} is {{ }} {variable}", WithToken(argument.Token, new ArgumentsNode(variable)),
                WithToken(argument.Token, new ArgumentsNode(field + ".GetValueOrDefault()"))));
            return true;
        }
        if (argument.Token is not null)
        {
            // The choice's own token (FILTERBY) goes out only with an alternative.
            output.Add(new IfNode($"{field}.ArgumentCount > 0", $"{field}.ArgumentCount > 0", WithToken(argument.Token, new ArgumentsNode(field))));
            return true;
        }
        if (!optional) _requiredChoices.Add(parameter.Name);
        output.Add(new ArgumentsNode(field));
        return true;
    }

    private bool BindEnum(SpecArgument argument, ParameterDeclaration parameter, List<WriteNode> output, bool optional)
    {
        TypeDesc enumType = parameter.Type.Underlying;
        if (!argument.Arguments.All(a => a.Type == ArgumentType.PureToken))
        {
            return NotAllowed(parameter, argument, $"an enum can only choose among tokens, and {argument.Name} has alternatives with values ({ArgumentSyntax.Describe(argument.Arguments)})");
        }
        var tokens = new List<EnumToken>();
        var values = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < enumType.Names.Count; i++)
        {
            string member = enumType.Names[i];
            // Aliases (two members with one value) get one switch arm: the first member's.
            if (i < enumType.Values.Count && !values.Add(enumType.Values[i])) continue;
            SpecArgument? match = argument.Arguments.FirstOrDefault(a => Squash(a.Token) == Squash(member) || Squash(a.Name) == Squash(member));
            if (match is null)
            {
                return NotAllowed(parameter, argument, $"enum member '{member}' names none of the tokens {ArgumentSyntax.Describe(argument.Arguments)}");
            }
            tokens.Add(new EnumToken(member, match.Token!));
        }
        if (tokens.Count == 0) return NotAllowed(parameter, argument, "the enum has no members");
        string field = Field(parameter);
        if (parameter.Type.Shape == TypeShape.Nullable)
        {
            if (!optional) return NotAllowed(parameter, argument, "a required argument cannot be null; use the non-nullable enum");
            string variable = Variable("v");
            output.Add(new IfNode($"{field} is not null", $"{field} is {{ }} {variable}",
                WithToken(argument.Token, new EnumTokenNode(variable, enumType.Display, parameter.Name, tokens.ToEquatableArray()))));
            return true;
        }
        AddWithToken(output, argument.Token, new EnumTokenNode(field, enumType.Display, parameter.Name, tokens.ToEquatableArray()));
        return true;
    }

    // ---- blocks -----------------------------------------------------------------------------

    private bool BindBlock(SpecArgument argument, string path, ParameterDeclaration parameter, List<WriteNode> output, Scope later, bool optional)
    {
        List<SpecArgument>? components = TupleComponents(argument);
        if (argument.Multiple && Collection(parameter.Type) is { } collection)
        {
            if (components is null || components.Any(c => c.Optional))
            {
                return NotAllowed(parameter, argument, "repeated blocks with optional or nested parts are not supported yet");
            }
            if (collection.Kind == CollectionKind.Span && _isAsync)
            {
                return NotAllowed(parameter, argument, "ReadOnlySpan<T> is only allowed in synchronous methods; use T[] or IReadOnlyList<T>");
            }
            TypeDesc element = collection.Element;
            string item = Variable("item");
            List<WriteNode>? body = TupleWrites(argument, components, element, item, parameter);
            if (body is null) return false;
            if (argument.MultipleToken && argument.Token is not null) body.Insert(0, new TokenNode(argument.Token));
            int count = body.Count;
            bool mayBeNull = parameter.Type.MayBeNull;
            if (!optional && !mayBeNull && collection.Kind != CollectionKind.Span) _nullChecks.Add(parameter.Name);
            output.Add(new RepeatNode(Field(parameter), collection.Kind, mayBeNull, element.Display, item, Variable("i"), Sequence(body), count,
                argument.MultipleToken ? null : argument.Token));
            Consume(parameter);
            return true;
        }
        TypeDesc type = parameter.Type;
        if (type.Underlying.Shape == TypeShape.Tuple || (components?.Count == 1 && !optional && ScalarFits(components[0], type)))
        {
            if (components is null) return NotAllowed(parameter, argument, "this block's parts cannot be passed as a tuple; pass them as separate parameters");
            string field = Field(parameter);
            if (type.Shape == TypeShape.Nullable)
            {
                if (!optional) return NotAllowed(parameter, argument, "a required argument cannot be null; use the non-nullable tuple");
                string variable = Variable("v");
                List<WriteNode>? conditional = TupleWrites(argument, components, type.Underlying, variable, parameter);
                if (conditional is null) return false;
                output.Add(new IfNode($"{field} is not null", $"{field} is {{ }} {variable}", WithToken(argument.Token, Sequence(conditional))));
                Consume(parameter);
                return true;
            }
            List<WriteNode>? writes = TupleWrites(argument, components, type, field, parameter);
            if (writes is null) return false;
            AddWithToken(output, argument.Token, Sequence(writes));
            Consume(parameter);
            return true;
        }
        if (optional)
        {
            return NotAllowed(parameter, argument, $"an optional block is passed as one nullable tuple of its parts ({ArgumentSyntax.Describe(argument.Arguments)})");
        }
        // Flattened: one parameter per child, one repetition.
        var inner = new List<WriteNode>();
        if (!BindList(argument.Arguments, path + "/", inner, later)) return false;
        AddWithToken(output, argument.Token, Sequence(inner));
        return true;
    }

    // The children of a block that take a tuple element (null when a child cannot be one).
    private static List<SpecArgument>? TupleComponents(SpecArgument block)
    {
        var components = new List<SpecArgument>();
        foreach (SpecArgument child in block.Arguments)
        {
            if (child.Type == ArgumentType.PureToken)
            {
                if (child.Optional) components.Add(child);
                continue;
            }
            if (!child.IsScalar || child.Multiple) return null;
            components.Add(child);
        }
        return components.Count == 0 ? null : components;
    }

    private List<WriteNode>? TupleWrites(SpecArgument block, List<SpecArgument> components, TypeDesc type, string source, ParameterDeclaration parameter)
    {
        bool single = components.Count == 1;
        if (!single && (type.Shape != TypeShape.Tuple || type.Args.Count != components.Count))
        {
            NotAllowed(parameter, block, $"pass a tuple of {components.Count} elements ({string.Join(", ", components.Select(c => c.Name))})");
            return null;
        }
        var writes = new List<WriteNode>();
        int index = 0;
        foreach (SpecArgument child in block.Arguments)
        {
            if (child.Type == ArgumentType.PureToken && !child.Optional)
            {
                writes.Add(new TokenNode(child.Token!));
                continue;
            }
            TypeDesc elementType = single ? type : type.Args[index];
            // A named element is read by its name; an unnamed one has only ItemN.
            string elementName = !single && index < type.Names.Count && type.Names[index] is { Length: > 0 } named ? Redis.Generators.Model.DeclarationReader.Escape(named) : $"Item{index + 1}";
            string expression = single ? source : $"{source}.{elementName}";
            index++;
            if (child.Type == ArgumentType.PureToken)
            {
                if (elementType.Shape != TypeShape.Boolean)
                {
                    NotAllowed(parameter, block, $"the tuple element for the optional token {child.Token} must be a bool");
                    return null;
                }
                writes.Add(new IfNode(expression, expression, new TokenNode(child.Token!)));
                continue;
            }
            var writer = ScalarWriters.For(child, elementType.Underlying, _isAsync, out string reason);
            if (writer is null)
            {
                NotAllowed(parameter, block, $"the tuple element for '{child.Name}' cannot be sent: {reason}");
                return null;
            }
            if (elementType.MayBeNull && child.Optional)
            {
                string variable = Variable("v");
                writes.Add(new IfNode($"{expression} is not null", $"{expression} is {{ }} {variable}", WithToken(child.Token, writer(variable))));
                continue;
            }
            if (elementType.Shape == TypeShape.Nullable || (elementType.IsNullable && child.Type == ArgumentType.Key))
            {
                NotAllowed(parameter, block, $"the tuple element for the required '{child.Name}' cannot be null");
                return null;
            }
            WriteNode value = elementType.IsNullable && elementType.Underlying.Shape == TypeShape.String ? new ValueNode(expression + " ?? \"\"", false) : writer(expression);
            writes.Add(WithToken(child.Token, value));
        }
        return writes;
    }

    // ---- matching helpers -------------------------------------------------------------------

    private bool FitsPositionally(SpecArgument argument, ParameterDeclaration parameter)
    {
        TypeDesc type = parameter.Type;
        switch (argument.Type)
        {
            case ArgumentType.PureToken:
                return false;
            case ArgumentType.OneOf when type.Underlying.Shape == TypeShape.Arguments:
                return OptionTypes.ForType(KnownTypes.Unqualify(type.Underlying.DisplayNotNull)) is not { } known
                    || known.Tokens.All(t => argument.Arguments.Any(a => string.Equals(OptionTypes.Signature(a), t, StringComparison.OrdinalIgnoreCase)));
            case ArgumentType.OneOf:
                return type.Underlying.Shape == TypeShape.Enum
                    && argument.Arguments.All(a => a.Type == ArgumentType.PureToken)
                    && type.Underlying.Names.All(m => argument.Arguments.Any(a => Squash(a.Token) == Squash(m) || Squash(a.Name) == Squash(m)));
            case ArgumentType.Block:
            {
                List<SpecArgument>? components = TupleComponents(argument);
                if (components is null) return false;
                TypeDesc element = argument.Multiple && Collection(type) is { } c ? c.Element : type.Underlying;
                if (components.Count == 1) return ScalarFits(components[0], element);
                return element.Shape == TypeShape.Tuple && element.Args.Count == components.Count;
            }
            default:
                if (Collection(type) is { } collection) return argument.Multiple && ScalarFits(argument, collection.Element);
                return ScalarFits(argument, type);
        }
    }

    private bool ScalarFits(SpecArgument argument, TypeDesc type) => ScalarWriters.For(argument, type.Underlying, _isAsync, out _) is not null;

    private static bool NameMatches(ParameterDeclaration parameter, SpecArgument argument)
    {
        string name = Squash(parameter.Name);
        return Names(argument).Any(n => n.Length > 0 && (n == name || n + "S" == name || n + "ES" == name));
    }

    private static IEnumerable<string> Names(SpecArgument argument)
    {
        yield return Squash(argument.Name);
        if (argument.Token is not null) yield return Squash(argument.Token);
        if (argument.Type == ArgumentType.OneOf)
        {
            foreach (SpecArgument alternative in argument.Arguments)
            {
                foreach (string name in Names(alternative)) yield return name;
            }
        }
    }

    internal static string Squash(string? text) => text is null ? "" : CommandSpec.Squash(text);

    private static bool BoolCondition(ParameterDeclaration parameter, out string? condition)
    {
        condition = null;
        if (parameter.Type.Shape == TypeShape.Boolean) condition = Field(parameter);
        else if (parameter.Type.Shape == TypeShape.Nullable && parameter.Type.Args[0].Shape == TypeShape.Boolean) condition = Field(parameter) + " == true";
        return condition is not null;
    }

    internal static (CollectionKind Kind, TypeDesc Element)? Collection(TypeDesc type)
    {
        switch (type.Shape)
        {
            case TypeShape.Array when !type.IsByteArray: return (CollectionKind.Array, type.Args[0]);
            case TypeShape.ReadOnlySpan when !type.IsByteSpan: return (CollectionKind.Span, type.Args[0]);
            case TypeShape.IReadOnlyList:
            case TypeShape.List:
                return (CollectionKind.List, type.Args[0]);
            default: return null;
        }
    }

    /// <summary>The command struct's field for a parameter.</summary>
    internal static string Field(ParameterDeclaration parameter) => "_" + parameter.Name;

    private string Variable(string prefix) => prefix + _variables++.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static WriteNode WithToken(string? token, WriteNode node)
        => token is null ? node : Sequence(new List<WriteNode> { new TokenNode(token), node });

    private static void AddWithToken(List<WriteNode> output, string? token, WriteNode node)
    {
        if (token is not null) output.Add(new TokenNode(token));
        output.Add(node);
    }

    internal static WriteNode Sequence(List<WriteNode> items)
    {
        var flat = new List<WriteNode>();
        foreach (WriteNode item in items)
        {
            if (item is SequenceNode sequence) flat.AddRange(sequence.Items);
            else flat.Add(item);
        }
        return flat.Count == 1 ? flat[0] : new SequenceNode(flat.ToEquatableArray());
    }

    private void Mismatch(Location? location, string detail)
        => _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ArgumentCountMismatch, location ?? _methodLocation, _methodName, _command.Name, detail));

    private bool NotAllowed(ParameterDeclaration parameter, SpecArgument argument, string reason)
    {
        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ParameterTypeNotAllowed, parameter.Location ?? _methodLocation,
            parameter.Name, KnownTypes.Unqualify(parameter.Type.Display), argument.TypeName, argument.Name, _command.Name, reason));
        return false;
    }

    /// <summary>The arguments after the current one, in this list and in the enclosing lists.</summary>
    private sealed class Scope
    {
        private readonly EquatableArray<SpecArgument> _arguments;
        private readonly int _from;
        private readonly Scope? _outer;

        public Scope(EquatableArray<SpecArgument> arguments, int from, Scope? outer)
        {
            _arguments = arguments;
            _from = from;
            _outer = outer;
        }

        public bool Matches(ParameterDeclaration parameter)
        {
            for (int i = _from; i < _arguments.Count; i++)
            {
                if (NameMatches(parameter, _arguments[i])) return true;
            }
            return _outer?.Matches(parameter) ?? false;
        }
    }
}
