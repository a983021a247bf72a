using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Redis.Generators.Model;
using Redis.Generators.Spec;
using static Redis.Generators.Planning.WriteSteps;

namespace Redis.Generators.Planning;

// Blocks: a block's parts as a tuple (or a collection of tuples), one nullable tuple when optional, or flattened.
internal sealed partial class ArgumentBinder
{
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
        if (!optional && IsColumns(argument) && Collection(parameter.Type) is { Kind: CollectionKind.Array } columns
            && columns.Element.Shape == TypeShape.Tuple && columns.Element.Args.Count == argument.Arguments.Count)
        {
            // Columns (XREAD's STREAMS key [key ...] id [id ...]): one array of tuples, written column by column.
            TypeDesc row = columns.Element;
            if (argument.Token is not null) output.Add(new TokenNode(argument.Token));
            for (int c = 0; c < argument.Arguments.Count; c++)
            {
                SpecArgument column = argument.Arguments[c];
                var writer = ScalarWriters.For(column, row.Args[c].Underlying, _isAsync, out string reason);
                if (writer is null || row.Args[c].Shape == TypeShape.Nullable) return NotAllowed(parameter, argument, $"the tuple element for '{column.Name}' cannot be sent: {reason}");
                string name = c < row.Names.Count && row.Names[c] is { Length: > 0 } named ? Redis.Generators.Model.DeclarationReader.Escape(named) : $"Item{c + 1}";
                string item = Variable("item");
                output.Add(new RepeatNode(Field(parameter), CollectionKind.Array, false, row.Display, item, Variable("i"), writer(((ValueRef)item).Element(name)), 1, null));
            }
            if (!parameter.Type.MayBeNull) _nullChecks.Add(parameter.Name);
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
                // The header count cannot see the pattern variable: it reads the same parts through GetValueOrDefault().
                List<WriteNode> counted = TupleWrites(argument, components, type.Underlying, new DefaultedValue(field), parameter)!;
                output.Add(new IfNode(new NotNullCondition(field, variable), WithToken(argument.Token, Sequence(conditional)),
                    WithToken(argument.Token, Sequence(counted))));
                Consume(parameter);
                return true;
            }
            List<WriteNode>? writes = TupleWrites(argument, components, type, field, parameter);
            if (writes is null) return false;
            AddWithToken(output, argument.Token, Sequence(writes));
            Consume(parameter);
            return true;
        }
        if (optional && !argument.Multiple && Collection(type) is { Kind: CollectionKind.Array } raw && raw.Element.Shape == TypeShape.RedisValue && raw.Element.Nullability != Nullability.Annotated)
        {
            // Too irregular for a tuple (HELLO's arguments): the block's words as they are sent, tokens included.
            string item = Variable("item");
            output.Add(new RepeatNode(Field(parameter), CollectionKind.Array, type.MayBeNull, raw.Element.Display, item, Variable("i"), new ValueNode(item, true), 1, null));
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
            // A choice of tokens takes an enum element.
            if (child.Type == ArgumentType.OneOf && !child.Multiple && child.Arguments.Count > 0 && child.Arguments.All(a => a.Type == ArgumentType.PureToken))
            {
                components.Add(child);
                continue;
            }
            if (!child.IsScalar || child.Multiple) return null;
            components.Add(child);
        }
        return components.Count == 0 ? null : components;
    }

    private List<WriteNode>? TupleWrites(SpecArgument block, List<SpecArgument> components, TypeDesc type, ValueRef source, ParameterDeclaration parameter)
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
            ValueRef expression = single ? source : source.Element(elementName);
            index++;
            if (child.Type == ArgumentType.PureToken)
            {
                if (elementType.Shape != TypeShape.Boolean)
                {
                    NotAllowed(parameter, block, $"the tuple element for the optional token {child.Token} must be a bool");
                    return null;
                }
                writes.Add(new IfNode(new TrueCondition(expression, false), new TokenNode(child.Token!)));
                continue;
            }
            if (child.Type == ArgumentType.OneOf)
            {
                if (EnumTokens(child, elementType.Underlying, parameter) is not { } tokens) return null;
                if (elementType.Shape == TypeShape.Nullable && !child.Optional)
                {
                    NotAllowed(parameter, block, $"the tuple element for the required '{child.Name}' cannot be null");
                    return null;
                }
                if (elementType.Shape == TypeShape.Nullable)
                {
                    string enumVariable = Variable("v");
                    writes.Add(new IfNode(new NotNullCondition(expression, enumVariable),
                        WithToken(child.Token, new EnumTokenNode(enumVariable, elementType.Underlying.Display, child.Name, tokens))));
                    continue;
                }
                writes.Add(WithToken(child.Token, new EnumTokenNode(expression, elementType.Underlying.Display, child.Name, tokens)));
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
                writes.Add(new IfNode(new NotNullCondition(expression, variable), WithToken(child.Token, writer(variable))));
                continue;
            }
            if (elementType.Shape == TypeShape.Nullable || (elementType.IsNullable && child.Type == ArgumentType.Key))
            {
                NotAllowed(parameter, block, $"the tuple element for the required '{child.Name}' cannot be null");
                return null;
            }
            WriteNode value = elementType.IsNullable && elementType.Underlying.Shape == TypeShape.String ? new ValueNode(expression, false, ValueConversion.EmptyIfNull) : writer(expression);
            writes.Add(WithToken(child.Token, value));
        }
        return writes;
    }

    // Columns (XREAD's STREAMS key [key ...] id [id ...]): one array of tuples, written column by column.
    internal static bool IsColumns(SpecArgument block)
        => block.Type == ArgumentType.Block && !block.Multiple && block.Arguments.Count >= 2 && block.Arguments.All(c => c.IsScalar && c.Multiple && !c.Optional);
}
