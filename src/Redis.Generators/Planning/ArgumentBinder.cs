using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Redis.Generators.Model;
using Redis.Generators.Spec;
using static Redis.Generators.Planning.WriteSteps;

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
internal sealed partial class ArgumentBinder
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
    private readonly EnumTable? _enums;
    private int _variables;

    /// <param name="enums">The generated enums (Redis.Commands.*), whose members send the tokens the table gives them; null matches enum members to tokens by name only.</param>
    public ArgumentBinder(SpecCommand command, IReadOnlyList<ParameterDeclaration> parameters, bool isAsync, string methodName, Location? methodLocation, IEnumerable<string> pinned, List<DiagnosticInfo> diagnostics, EnumTable? enums = null)
    {
        _enums = enums;
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
            if (IsCount(arguments, k) && Current is { } first && Collection(first.Type) is not null)
            {
                // A count (numkeys) given no parameter of its own, since the list's array comes next: written from the array's length.
                if (!BindCounted(arguments, k, prefix, output, outer)) return false;
                k++;
                continue;
            }
            if (!BindOne(arguments, k, prefix, output, outer)) return false;
        }
        return true;
    }

    private bool BindOne(EquatableArray<SpecArgument> arguments, int k, string prefix, List<WriteNode> output, Scope? outer)
    {
        SpecArgument argument = arguments[k];
        string path = prefix + argument.Name;
        var later = new Scope(arguments, k + 1, outer);
        if (argument.Type == ArgumentType.PureToken && (!argument.Optional || IsPinned(path, argument)))
        {
            output.Add(new TokenNode(argument.Token!));
            return true;
        }
        if (argument.Type == ArgumentType.OneOf && !argument.Multiple
            && argument.Arguments.FirstOrDefault(a => a.Type == ArgumentType.PureToken && IsPinned(path + "/" + a.Name, a)) is { } pinned)
        {
            // A reply variant pins one token of the choice (ACL LOG's RESET): sent with no parameter.
            AddWithToken(output, argument.Token, new TokenNode(pinned.Token!));
            return true;
        }
        ParameterDeclaration? parameter = Current;
        // A block a reply variant pins, or pins a part of (HRANDFIELD's options, options/withvalues), is sent.
        if (!argument.Optional || (argument.Type == ArgumentType.Block && !argument.Multiple && (IsPinned(path, argument) || PinnedWithin(path))))
        {
            if (parameter is null)
            {
                Mismatch(_methodLocation, $"the required argument '{argument.Name}' has no parameter (the arguments are {ArgumentSyntax.Describe(_command.Arguments)})");
                return false;
            }
            return BindRequired(argument, path, parameter, output, later);
        }
        ParameterDeclaration? named = NamedAfter(argument);
        if (named is null)
        {
            if (parameter is null || later.Matches(parameter) || !FitsPositionally(argument, parameter)) return true;
            named = parameter;
        }
        return BindOptional(argument, path, named, output, later);
    }

    // A required integer named num... (numkeys, nummembers) followed by a repeated scalar: the count of that list.
    internal static bool IsCount(EquatableArray<SpecArgument> arguments, int k)
    {
        SpecArgument argument = arguments[k];
        if (argument.Type != ArgumentType.Integer || argument.Optional || argument.Multiple || k + 1 >= arguments.Count) return false;
        SpecArgument next = arguments[k + 1];
        return argument.Name.StartsWith("num", StringComparison.OrdinalIgnoreCase) && next.Multiple && next.IsScalar;
    }

    private bool BindCounted(EquatableArray<SpecArgument> arguments, int k, string prefix, List<WriteNode> output, Scope? outer)
    {
        SpecArgument count = arguments[k];
        var before = (bool[])_bound.Clone();
        var inner = new List<WriteNode>();
        if (!BindOne(arguments, k + 1, prefix, inner, outer)) return false;
        ParameterDeclaration? list = null;
        for (int i = 0; i < _parameters.Count; i++)
        {
            if (_bound[i] && !before[i]) list = _parameters[i];
        }
        if (list is null || Collection(list.Type) is not { Kind: CollectionKind.Array })
        {
            Mismatch(list?.Location ?? _methodLocation, $"'{count.Name}' is sent as the length of '{arguments[k + 1].Name}', which then takes an array (or give '{count.Name}' a parameter of its own)");
            return false;
        }
        AddWithToken(output, count.Token, new ValueNode(new LengthValue(Field(list), list.Type.MayBeNull), false, ValueConversion.Int64));
        output.AddRange(inner);
        return true;
    }

    private bool PinnedWithin(string path) => _pinned.Any(p => p.StartsWith(path + "/", StringComparison.OrdinalIgnoreCase));

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
                if (BoolCondition(parameter) is not { } condition)
                {
                    return NotAllowed(parameter, argument, $"the optional token {argument.Token} is sent when a bool parameter named after it is true");
                }
                output.Add(new IfNode(condition, new TokenNode(argument.Token!)));
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
                    value = underlying.Shape == TypeShape.String ? new ValueNode(field, false, ValueConversion.EmptyIfNull) : writer(field);
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
        output.Add(new IfNode(new NotNullCondition(field, variable), WithToken(argument.Token, writer(variable))));
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
            WriteNode value = element.IsNullable && element.Underlying.Shape == TypeShape.String ? new ValueNode(item, false, ValueConversion.EmptyIfNull) : writer(item);
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

    private static WriteCondition? BoolCondition(ParameterDeclaration parameter)
    {
        if (parameter.Type.Shape == TypeShape.Boolean) return new TrueCondition(Field(parameter), false);
        if (parameter.Type.Shape == TypeShape.Nullable && parameter.Type.Args[0].Shape == TypeShape.Boolean) return new TrueCondition(Field(parameter), true);
        return null;
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
