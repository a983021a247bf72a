using Redis.Generators.Model;
using Redis.Generators.Spec;

namespace Redis.Generators.Planning;

/// <summary>
/// Which C# types each spec argument type accepts, and how a value of that type is written.
/// </summary>
internal static class ScalarWriters
{
    /// <summary>
    /// The writer for a non-nullable value of <paramref name="type"/> sent as an argument of kind
    /// <paramref name="kind"/>, or null (with the reason) when the type is not allowed.
    /// </summary>
    public static System.Func<ValueRef, WriteNode>? For(SpecArgument argument, TypeDesc type, bool isAsync, out string reason)
    {
        reason = "";
        ArgumentType kind = argument.Type;
        switch (kind)
        {
            case ArgumentType.Key:
                if (Bytes(type, isAsync, out var bytes, ref reason)) return bytes;
                if (type.Shape == TypeShape.RedisKey) return e => new ValueNode(e, true);
                if (reason.Length == 0) reason = "a key accepts string, byte[], ReadOnlyMemory<byte>, ReadOnlySpan<byte> (synchronous methods) or RedisKey";
                return null;
            case ArgumentType.String:
            case ArgumentType.Pattern:
            case ArgumentType.Unknown:
                if (Bytes(type, isAsync, out var text, ref reason)) return text;
                if (type.Shape == TypeShape.RedisValue || (kind == ArgumentType.Unknown && type.Shape == TypeShape.RedisKey)) return e => new ValueNode(e, true);
                if (Number(type, allowFloat: true) is { } number) return number;
                if (reason.Length == 0) reason = $"a {argument.TypeName} argument accepts string, byte[], ReadOnlyMemory<byte>, ReadOnlySpan<byte> (synchronous methods), RedisValue or a number";
                return null;
            case ArgumentType.Integer:
                if (type.IsIntegral) return Number(type, allowFloat: false);
                reason = "an integer argument accepts long, int, short, sbyte, byte, ushort, uint or ulong";
                return null;
            case ArgumentType.Double:
                if (Number(type, allowFloat: true) is { } d) return d;
                reason = "a double argument accepts double, float or an integer type";
                return null;
            case ArgumentType.UnixTime:
                if (type.Shape is TypeShape.Int64 or TypeShape.Int32) return Number(type, allowFloat: false);
                if (type.Shape == TypeShape.DateTimeOffset)
                {
                    bool milliseconds = (argument.Token?.StartsWith("P", System.StringComparison.OrdinalIgnoreCase) ?? false)
                        || argument.Name.IndexOf("milli", System.StringComparison.OrdinalIgnoreCase) >= 0;
                    return milliseconds
                        ? e => new ValueNode(e, false, ValueConversion.UnixMilliseconds)
                        : e => new ValueNode(e, false, ValueConversion.UnixSeconds);
                }
                reason = "a unix-time argument accepts long or DateTimeOffset";
                return null;
            default:
                reason = $"a {argument.TypeName} argument has no value";
                return null;
        }
    }

    private static bool Bytes(TypeDesc type, bool isAsync, out System.Func<ValueRef, WriteNode> writer, ref string reason)
    {
        writer = e => new ValueNode(e, false);
        if (type.Shape == TypeShape.String || type.IsByteArray) return true;
        if (type.IsByteMemory)
        {
            writer = e => new ValueNode(e, false, ValueConversion.Span);
            return true;
        }
        if (type.IsByteSpan)
        {
            if (!isAsync) return true;
            reason = "ReadOnlySpan<byte> is only allowed in synchronous methods (the command is written later); use byte[] or ReadOnlyMemory<byte>";
        }
        return false;
    }

    private static System.Func<ValueRef, WriteNode>? Number(TypeDesc type, bool allowFloat)
    {
        switch (type.Shape)
        {
            case TypeShape.Int64:
            case TypeShape.UInt64:
                return e => new ValueNode(e, false);
            case TypeShape.SByte:
            case TypeShape.Byte:
            case TypeShape.Int16:
            case TypeShape.UInt16:
            case TypeShape.Int32:
            case TypeShape.UInt32:
                return e => new ValueNode(e, false, ValueConversion.Int64);
            case TypeShape.Double when allowFloat:
            case TypeShape.Single when allowFloat:
                return e => new ValueNode(e, false);
            default:
                return null;
        }
    }

    /// <summary>The type a spec-driven member proposes for a scalar argument: RedisKey, long, double or RedisValue.</summary>
    public static TypeDesc ProposedType(SpecArgument argument) => argument.Type switch
    {
        ArgumentType.Key => KeyType,
        ArgumentType.Integer or ArgumentType.UnixTime => LongType,
        ArgumentType.Double => DoubleType,
        _ => ValueType,
    };

    private static readonly TypeDesc KeyType = Proposed(TypeShape.RedisKey, KnownTypes.RedisKey);
    private static readonly TypeDesc ValueType = Proposed(TypeShape.RedisValue, KnownTypes.RedisValue);
    private static readonly TypeDesc LongType = Proposed(TypeShape.Int64, "long");
    private static readonly TypeDesc DoubleType = Proposed(TypeShape.Double, "double");

    private static TypeDesc Proposed(TypeShape shape, string display)
        => new(shape, display, display, Nullability.NotAnnotated, true, EquatableArray<TypeDesc>.Empty, EquatableArray<string>.Empty);
}
