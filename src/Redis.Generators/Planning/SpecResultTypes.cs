using System;
using System.Collections.Generic;
using System.Linq;
using Redis.Generators.Model;
using Redis.Generators.Spec;

namespace Redis.Generators.Planning;

/// <summary>
/// The result type of a spec-driven member, from the command's reply type in the spec: <c>long</c> for
/// <c>int</c>, <c>byte[]?</c> for <c>bulk?</c>, named tuples for named pairs, <c>object?</c> (untyped) when the
/// reply has no typed form. The parser then follows from the type (<see cref="ReturnBinder"/>), as for user-declared members.
/// </summary>
internal static class SpecResultTypes
{
    /// <summary>The reply of one member: its variant's, or the common type of the cases without a variant (else untyped).</summary>
    public static ReplyType ReplyFor(SpecReply? reply, ReplyCase? variant)
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

    public static readonly TypeDesc Object = Ref(TypeShape.Object, "object", nullable: true);

    public static (TypeDesc Type, bool Typed) ResultType(ReplyType reply)
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
}
