using Redis.Generators.Model;
using Redis.Generators.Spec;

namespace Redis.Generators.Planning;

/// <summary>The parser for a result type: <c>Execute&lt;TCommand, Parser, Result&gt;</c>.</summary>
internal sealed record ParserChoice(string Parser, string Result, HelperSet Helpers);

/// <summary>
/// Chooses the parser from the declared return type (the type decides the conversion; the spec's
/// reply type only refines nil handling). Parsers compose: arrays, maps, pairs and tuples take their
/// element parsers as type arguments, so a reply is read straight into the declared type.
/// </summary>
/// <remarks>
/// Nil and non-nullable results: a result declared as a non-nullable reference type (<c>string</c>,
/// <c>T[]</c>, <c>Dictionary</c>...) is read through the generated <c>NotNilParser</c>, which throws
/// <c>RedisNilException</c> for nil; declare <c>string?</c> (etc.) to get null instead. A top-level
/// <c>bool</c> reads nil as false when the reply can be nil (<c>ok?</c>, as SET NX answers) or the
/// spec gives no reply type. Value types (<c>long</c>, <c>double</c>) throw for nil through the
/// runtime parsers; <c>long?</c> gives null.
/// </remarks>
internal static class ReturnBinder
{
    public static ParserChoice? Choose(TypeDesc type, ReplyType? reply, bool topLevel, out string? reason)
    {
        reason = null;
        switch (type.Shape)
        {
            case TypeShape.Void when topLevel:
                return new ParserChoice(KnownTypes.OkParser, "bool", HelperSet.None);
            case TypeShape.Boolean:
                if (topLevel && (reply is null || reply.Nullable || reply.Kind == ReplyKind.Unknown))
                {
                    return new ParserChoice($"NilAsFalseParser<{KnownTypes.BooleanParser}>", "bool", HelperSet.None with { NilAsFalse = true });
                }
                return Simple(KnownTypes.BooleanParser, "bool");
            case TypeShape.Int64: return Simple(KnownTypes.Int64Parser, "long");
            case TypeShape.Int32: return Simple(KnownTypes.Int32Parser, "int");
            case TypeShape.Double: return Simple(KnownTypes.DoubleParser, "double");
            case TypeShape.UInt64: return Simple(KnownTypes.CursorParser, "ulong");
            case TypeShape.String: return Reference(type, KnownTypes.StringParser, HelperSet.None);
            case TypeShape.Object: return Reference(type, KnownTypes.ObjectParser, HelperSet.None);
            case TypeShape.Array when type.IsByteArray: return Reference(type, KnownTypes.BytesParser, HelperSet.None);
            // A pooled bulk the caller disposes (RedisLease? reads nil as null through NullableParser).
            case TypeShape.RedisLease: return Simple(KnownTypes.LeaseParser, KnownTypes.RedisLease);
            case TypeShape.ReadOnlyMemory when type.IsByteMemory:
                return new ParserChoice("MemoryParser", type.Display, HelperSet.None with { Memory = true });
            case TypeShape.Array:
            {
                TypeDesc element = type.Args[0];
                if (element.Shape == TypeShape.Tuple && element.Args.Count == 2)
                {
                    ParserChoice? first = Choose(element.Args[0], null, false, out reason);
                    ParserChoice? second = first is null ? null : Choose(element.Args[1], null, false, out reason);
                    if (first is null || second is null) return null;
                    string pairs = $"{KnownTypes.PairsParser}<{first.Result}, {second.Result}, {first.Parser}, {second.Parser}>";
                    return Reference(type, pairs, first.Helpers.Union(second.Helpers));
                }
                ParserChoice? item = Choose(element, null, false, out reason);
                if (item is null) return null;
                return Reference(type, $"{KnownTypes.ArrayParser}<{item.Result}, {item.Parser}>", item.Helpers);
            }
            case TypeShape.Dictionary:
            case TypeShape.IReadOnlyDictionary:
            {
                TypeDesc keyType = type.Args[0], valueType = type.Args[1];
                if (keyType.IsNullable)
                {
                    reason = "dictionary keys cannot be nullable";
                    return null;
                }
                ParserChoice? key = Choose(keyType, null, false, out reason);
                ParserChoice? value = key is null ? null : Choose(valueType, null, false, out reason);
                if (key is null || value is null) return null;
                string map = $"{KnownTypes.MapParser}<{key.Result}, {value.Result}, {key.Parser}, {value.Parser}>";
                HelperSet helpers = key.Helpers.Union(value.Helpers);
                if (type.Shape == TypeShape.IReadOnlyDictionary)
                {
                    string dictionary = $"{KnownTypes.Dictionary}<{key.Result}, {value.Result}>?";
                    map = $"AsParser<{dictionary}, {Nullable(type)}, {map}>";
                    helpers = helpers with { As = true };
                }
                return Reference(type, map, helpers);
            }
            case TypeShape.Tuple when type.Args.Count is 2 or 3:
            {
                var parsers = new System.Collections.Generic.List<ParserChoice>();
                HelperSet helpers = HelperSet.None;
                foreach (TypeDesc element in type.Args)
                {
                    ParserChoice? choice = Choose(element, null, false, out reason);
                    if (choice is null) return null;
                    parsers.Add(choice);
                    helpers = helpers.Union(choice.Helpers);
                }
                string results = string.Join(", ", parsers.ConvertAll(p => p.Result));
                string elementParsers = string.Join(", ", parsers.ConvertAll(p => p.Parser));
                return new ParserChoice($"{KnownTypes.TupleParser(type.Args.Count)}<{results}, {elementParsers}>", type.Display, helpers);
            }
            case TypeShape.Tuple:
                reason = "tuples of two or three elements are supported";
                return null;
            case TypeShape.Nullable:
            {
                TypeDesc inner = type.Args[0];
                ParserChoice? choice = Choose(inner, null, false, out reason);
                if (choice is null) return null;
                return new ParserChoice($"{KnownTypes.NullableParser}<{choice.Result}, {choice.Parser}>", type.Display, choice.Helpers);
            }
            case TypeShape.Task:
            case TypeShape.ValueTask:
                reason = "a Task or ValueTask can only be the outermost type";
                return null;
            default:
                reason = "supported result types are void, bool, long, int, double, ulong (cursor), string, byte[], ReadOnlyMemory<byte>, RedisLease, object, arrays, Dictionary/IReadOnlyDictionary, (A, B)[] pairs, 2- and 3-tuples, nullable value types, and Task/ValueTask of these";
                return null;
        }
    }

    private static ParserChoice Simple(string parser, string result) => new(parser, result, HelperSet.None);

    // Reference results: T? reads nil as null; a non-nullable T throws RedisNilException for nil.
    private static ParserChoice Reference(TypeDesc type, string parser, HelperSet helpers)
    {
        if (type.MayBeNull) return new ParserChoice(parser, Nullable(type), helpers);
        return new ParserChoice($"NotNilParser<{type.DisplayNotNull}, {parser}>", type.DisplayNotNull, helpers with { NotNil = true });
    }

    // The display of a reference type with a top-level '?'.
    private static string Nullable(TypeDesc type) => type.IsNullable ? type.Display : type.DisplayNotNull + "?";
}
