using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Redis.Generators.Model;

namespace Redis.Generators.Emit;

/// <summary>
/// Writes one command struct: its fields, its command-table id and its <c>WriteTo</c>, which counts the
/// bulks of the write plan for the array header and then writes them (the plan's values and conditions
/// become C# here, and only here).
/// </summary>
internal static class CommandEmitter
{
    public static void Emit(IndentedWriter w, GeneratedMethod method, CommandStruct command)
    {
        w.Line($"/// <summary>Writes <c>{DocText.Escape(method.CommandName)}</c> with the arguments of <c>{method.Name}</c>.</summary>");
        w.Line($"private readonly {(command.IsRefStruct ? "ref struct" : "struct")} {command.Name} : {KnownTypes.IRespCommand}");
        w.Open();
        foreach (CommandField field in command.Fields) w.Line($"private readonly {field.Type} {field.Name};");
        if (command.Fields.Count > 0)
        {
            w.Line();
            w.Line($"public {command.Name}({string.Join(", ", command.Fields.Select(f => $"{f.Type} {f.Parameter}"))})");
            w.Open();
            foreach (CommandField field in command.Fields) w.Line($"this.{field.Name} = {field.Parameter};");
            w.Close();
            w.Line();
        }
        // The command's entry in the runtime's command table, looked up once per type: routing, pool
        // cleanup and logging read it instead of re-reading the bytes the command writes.
        w.Line($"private static readonly int s_commandId = {KnownTypes.CommandTable}.IdOf({SourceEmitter.Literal(string.Join(" ", command.Words))});");
        w.Line();
        w.Line($"static int {KnownTypes.IRespCommand}.CommandId => s_commandId;");
        w.Line();
        w.Line($"public void WriteTo({KnownTypes.RespWriter} writer)");
        w.Open();
        var (constant, terms) = Count(command.Body);
        constant += command.Words.Count;
        if (terms.Count == 0)
        {
            w.Line($"writer.WriteArrayHeader({constant.ToString(CultureInfo.InvariantCulture)});");
        }
        else
        {
            w.Line($"int count = {constant.ToString(CultureInfo.InvariantCulture)} + {string.Join(" + ", terms)};");
            w.Line("writer.WriteArrayHeader(count);");
        }
        foreach (string word in command.Words) w.Line($"writer.WriteBulkString({SourceEmitter.Literal(word)}u8);");
        Write(w, command.Body);
        w.Close();
        w.Close();
    }

    private static (int Constant, List<string> Terms) Count(WriteNode node)
    {
        switch (node)
        {
            case TokenNode:
            case ValueNode:
            case EnumTokenNode:
                return (1, new List<string>());
            case IfElseNode choice:
                return Count(choice.Then);
            case ArgumentsNode arguments:
                return (0, new List<string> { Value(arguments.Value) + ".ArgumentCount" });
            case SequenceNode sequence:
            {
                int constant = 0;
                var terms = new List<string>();
                foreach (WriteNode item in sequence.Items)
                {
                    var (c, t) = Count(item);
                    constant += c;
                    terms.AddRange(t);
                }
                return (constant, terms);
            }
            case IfNode conditional:
                return (0, new List<string> { $"({CountCondition(conditional.Condition)} ? {Expression(Count(conditional.CountBody ?? conditional.Body))} : 0)" });
            case RepeatNode repeat:
            {
                string length = Length(repeat);
                var terms = new List<string> { repeat.ItemCount == 1 ? length : $"{length} * {repeat.ItemCount.ToString(CultureInfo.InvariantCulture)}" };
                if (repeat.TokenOnce is not null) terms.Add($"({length} > 0 ? 1 : 0)");
                return (0, terms);
            }
            default:
                return (0, new List<string>());
        }
    }

    private static string Expression((int Constant, List<string> Terms) count)
    {
        if (count.Terms.Count == 0) return count.Constant.ToString(CultureInfo.InvariantCulture);
        string terms = string.Join(" + ", count.Terms);
        return count.Constant == 0 ? terms : count.Constant.ToString(CultureInfo.InvariantCulture) + " + " + terms;
    }

    private static string Length(RepeatNode repeat)
    {
        string property = repeat.Kind == CollectionKind.List ? "Count" : "Length";
        return repeat.MayBeNull && repeat.Kind != CollectionKind.Span ? $"({repeat.Collection}?.{property} ?? 0)" : $"{repeat.Collection}.{property}";
    }

    private static void Write(IndentedWriter w, WriteNode node)
    {
        switch (node)
        {
            case TokenNode token:
                w.Line($"writer.WriteBulkString({SourceEmitter.Literal(token.Token)}u8);");
                break;
            case ValueNode value:
                string expression = Converted(value);
                w.Line(value.SelfWriting ? $"{expression}.WriteTo(writer);" : $"writer.WriteBulkString({expression});");
                break;
            case ArgumentsNode arguments:
                w.Line($"{Value(arguments.Value)}.WriteTo(writer);");
                break;
            case EnumTokenNode enumToken:
                w.Line($"writer.WriteBulkString({Value(enumToken.Value)} switch");
                w.Open();
                foreach (EnumToken item in enumToken.Tokens)
                {
                    w.Line($"{enumToken.EnumType}.{DeclarationReader.Escape(item.Member)} => {SourceEmitter.Literal(item.Token)}u8,");
                }
                w.Line($"_ => throw new {KnownTypes.ArgumentOutOfRangeException}({SourceEmitter.Literal(enumToken.ParameterName)}, {Value(enumToken.Value)}, \"The value names no token of the argument.\"),");
                w.Unindent();
                w.Line("});");
                break;
            case SequenceNode sequence:
                foreach (WriteNode item in sequence.Items) Write(w, item);
                break;
            case IfNode conditional:
                w.Line($"if ({WriteCondition(conditional.Condition)})");
                w.Open();
                Write(w, conditional.Body);
                w.Close();
                break;
            case RepeatNode repeat:
                WriteRepeat(w, repeat);
                break;
            case IfElseNode choice:
                w.Line($"if ({WriteCondition(choice.Condition)})");
                w.Open();
                Write(w, choice.Then);
                w.Close();
                w.Line("else");
                w.Open();
                Write(w, choice.Else);
                w.Close();
                break;
        }
    }

    // ---- values and conditions: the model's ValueRef/WriteCondition as C# ------------------------

    private static string Value(ValueRef value) => value switch
    {
        NamedValue named => named.Name,
        ElementValue element => Value(element.Tuple) + "." + element.Name,
        DefaultedValue defaulted => Value(defaulted.Nullable) + ".GetValueOrDefault()",
        LengthValue length => length.MayBeNull ? $"({length.Collection}?.Length ?? 0)" : $"{length.Collection}.Length",
        _ => throw new System.ArgumentOutOfRangeException(nameof(value), value, "unknown value"),
    };

    private static string Converted(ValueNode node)
    {
        string value = Value(node.Value);
        return node.Conversion switch
        {
            ValueConversion.Int64 => "(long)" + value,
            ValueConversion.Span => value + ".Span",
            ValueConversion.UnixSeconds => value + ".ToUnixTimeSeconds()",
            ValueConversion.UnixMilliseconds => value + ".ToUnixTimeMilliseconds()",
            ValueConversion.EmptyIfNull => value + " ?? \"\"",
            _ => value,
        };
    }

    // The test in the header count: it cannot declare the pattern variable the write uses.
    private static string CountCondition(WriteCondition condition) => condition switch
    {
        NotNullCondition notNull => Value(notNull.Value) + " is not null",
        _ => WriteCondition(condition),
    };

    private static string WriteCondition(WriteCondition condition) => condition switch
    {
        NotNullCondition { Variable: { } variable } notNull => $"{Value(notNull.Value)} is {{ }} {variable}",
        NotNullCondition notNull => Value(notNull.Value) + " is not null",
        TrueCondition { Nullable: true } test => Value(test.Value) + " == true",
        TrueCondition test => Value(test.Value),
        HasArgumentsCondition arguments => Value(arguments.Value) + ".ArgumentCount > 0",
        _ => throw new System.ArgumentOutOfRangeException(nameof(condition), condition, "unknown condition"),
    };

    private static void WriteRepeat(IndentedWriter w, RepeatNode repeat)
    {
        bool guard = repeat.MayBeNull && repeat.Kind != CollectionKind.Span;
        if (guard)
        {
            w.Line($"if ({repeat.Collection} is not null)");
            w.Open();
        }
        string property = repeat.Kind == CollectionKind.List ? "Count" : "Length";
        if (repeat.TokenOnce is not null)
        {
            w.Line($"if ({repeat.Collection}.{property} > 0) writer.WriteBulkString({SourceEmitter.Literal(repeat.TokenOnce)}u8);");
        }
        if (repeat.Kind == CollectionKind.List)
        {
            w.Line($"for (int {repeat.IndexVariable} = 0; {repeat.IndexVariable} < {repeat.Collection}.Count; {repeat.IndexVariable}++)");
            w.Open();
            w.Line($"{repeat.ItemType} {repeat.ItemVariable} = {repeat.Collection}[{repeat.IndexVariable}];");
        }
        else
        {
            w.Line($"foreach ({repeat.ItemType} {repeat.ItemVariable} in {repeat.Collection})");
            w.Open();
        }
        Write(w, repeat.Item);
        w.Close();
        if (guard) w.Close();
    }
}
