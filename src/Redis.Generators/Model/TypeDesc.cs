using System.Linq;
using Microsoft.CodeAnalysis;

namespace Redis.Generators.Model;

/// <summary>What a C# type is, as far as the generator cares.</summary>
internal enum TypeShape
{
    Other,
    Error,
    Void,
    Boolean,
    SByte,
    Byte,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Single,
    Double,
    String,
    Object,
    Array,
    ReadOnlyMemory,
    ReadOnlySpan,
    IReadOnlyList,
    List,
    Dictionary,
    IReadOnlyDictionary,
    Tuple,
    Nullable,
    Task,
    ValueTask,
    CancellationToken,
    RedisKey,
    RedisValue,
    DateTimeOffset,
    Enum,
    RedisLease,
    /// <summary>A type implementing <c>Redis.IRespArguments</c>: an option that writes its own arguments (<c>Expiration</c>).</summary>
    Arguments,
}

internal enum Nullability
{
    NotAnnotated,
    Annotated,
    Oblivious,
}

/// <summary>
/// An equatable description of a C# type: its shape, its fully qualified display (with nullable
/// annotations, ready to paste into generated code), and its type arguments, tuple element
/// names or enum member names. No symbols survive the transform.
/// </summary>
internal sealed record TypeDesc(
    TypeShape Shape,
    string Display,
    string DisplayNotNull,
    Nullability Nullability,
    bool IsValueType,
    EquatableArray<TypeDesc> Args,
    EquatableArray<string> Names,
    EquatableArray<string> Values = default)
{
    public static readonly SymbolDisplayFormat Format = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>A reference type annotated with <c>?</c>, or <see cref="System.Nullable{T}"/>.</summary>
    public bool IsNullable => Shape == TypeShape.Nullable || (!IsValueType && Nullability == Nullability.Annotated);

    /// <summary>A reference type that may hold null: annotated, or from a nullable-oblivious context.</summary>
    public bool MayBeNull => IsNullable || (!IsValueType && Nullability == Nullability.Oblivious);

    public bool IsByteArray => Shape == TypeShape.Array && Args[0].Shape == TypeShape.Byte;

    public bool IsByteSpan => Shape == TypeShape.ReadOnlySpan && Args[0].Shape == TypeShape.Byte;

    public bool IsByteMemory => Shape == TypeShape.ReadOnlyMemory && Args[0].Shape == TypeShape.Byte;

    public bool IsIntegral => Shape is TypeShape.SByte or TypeShape.Byte or TypeShape.Int16 or TypeShape.UInt16
        or TypeShape.Int32 or TypeShape.UInt32 or TypeShape.Int64 or TypeShape.UInt64;

    /// <summary>The type with <see cref="System.Nullable{T}"/> removed.</summary>
    public TypeDesc Underlying => Shape == TypeShape.Nullable ? Args[0] : this;

    public bool ContainsError => Shape == TypeShape.Error || Args.Any(a => a.ContainsError);

    /// <summary>True when this type or a type argument is a reference type from a nullable-oblivious context.</summary>
    public bool ContainsOblivious => (!IsValueType && Nullability == Nullability.Oblivious) || Args.Any(a => a.ContainsOblivious);

    public override string ToString() => Display;

    public static TypeDesc Describe(ITypeSymbol type) => Describe(type, 0);

    private static TypeDesc Describe(ITypeSymbol type, int depth)
    {
        string display = type.ToDisplayString(Format);
        string notNull = type.IsReferenceType ? type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(Format) : display;
        Nullability nullability = type.NullableAnnotation switch
        {
            NullableAnnotation.Annotated => Nullability.Annotated,
            NullableAnnotation.None when type.IsReferenceType => Nullability.Oblivious,
            _ => Nullability.NotAnnotated,
        };
        TypeDesc Make(TypeShape shape, params ITypeSymbol[] args)
            => new(shape, display, notNull, nullability, type.IsValueType, depth > 8 ? EquatableArray<TypeDesc>.Empty : args.Select(a => Describe(a, depth + 1)).ToEquatableArray(), EquatableArray<string>.Empty);

        if (type.TypeKind == TypeKind.Error) return Make(TypeShape.Error);
        switch (type.SpecialType)
        {
            case SpecialType.System_Void: return Make(TypeShape.Void);
            case SpecialType.System_Boolean: return Make(TypeShape.Boolean);
            case SpecialType.System_SByte: return Make(TypeShape.SByte);
            case SpecialType.System_Byte: return Make(TypeShape.Byte);
            case SpecialType.System_Int16: return Make(TypeShape.Int16);
            case SpecialType.System_UInt16: return Make(TypeShape.UInt16);
            case SpecialType.System_Int32: return Make(TypeShape.Int32);
            case SpecialType.System_UInt32: return Make(TypeShape.UInt32);
            case SpecialType.System_Int64: return Make(TypeShape.Int64);
            case SpecialType.System_UInt64: return Make(TypeShape.UInt64);
            case SpecialType.System_Single: return Make(TypeShape.Single);
            case SpecialType.System_Double: return Make(TypeShape.Double);
            case SpecialType.System_String: return Make(TypeShape.String);
            case SpecialType.System_Object: return Make(TypeShape.Object);
        }
        if (type is IArrayTypeSymbol array)
        {
            return array.Rank == 1 ? Make(TypeShape.Array, array.ElementType) : Make(TypeShape.Other);
        }
        if (type is not INamedTypeSymbol named) return Make(TypeShape.Other);
        if (named.IsTupleType)
        {
            var elements = named.TupleElements;
            return new TypeDesc(
                TypeShape.Tuple, display, notNull, nullability, true,
                depth > 8 ? EquatableArray<TypeDesc>.Empty : elements.Select(e => Describe(e.Type, depth + 1)).ToEquatableArray(),
                elements.Select(e => SymbolEqualityComparer.Default.Equals(e, e.CorrespondingTupleField) ? "" : e.Name).ToEquatableArray());
        }
        if (named.TypeKind == TypeKind.Enum)
        {
            var members = named.GetMembers().OfType<IFieldSymbol>().Where(f => f.IsConst).ToList();
            return new TypeDesc(
                TypeShape.Enum, display, notNull, nullability, true, EquatableArray<TypeDesc>.Empty,
                members.Select(f => f.Name).ToEquatableArray(),
                members.Select(f => System.Convert.ToString(f.ConstantValue, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToEquatableArray());
        }
        if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T) return Make(TypeShape.Nullable, named.TypeArguments[0]);
        string metadataName = MetadataName(named.OriginalDefinition);
        return metadataName switch
        {
            "System.ReadOnlyMemory`1" => Make(TypeShape.ReadOnlyMemory, named.TypeArguments[0]),
            "System.ReadOnlySpan`1" => Make(TypeShape.ReadOnlySpan, named.TypeArguments[0]),
            "System.Collections.Generic.IReadOnlyList`1" => Make(TypeShape.IReadOnlyList, named.TypeArguments[0]),
            "System.Collections.Generic.List`1" => Make(TypeShape.List, named.TypeArguments[0]),
            "System.Collections.Generic.Dictionary`2" => Make(TypeShape.Dictionary, named.TypeArguments[0], named.TypeArguments[1]),
            "System.Collections.Generic.IReadOnlyDictionary`2" => Make(TypeShape.IReadOnlyDictionary, named.TypeArguments[0], named.TypeArguments[1]),
            "System.Threading.Tasks.Task" => Make(TypeShape.Task),
            "System.Threading.Tasks.Task`1" => Make(TypeShape.Task, named.TypeArguments[0]),
            "System.Threading.Tasks.ValueTask" => Make(TypeShape.ValueTask),
            "System.Threading.Tasks.ValueTask`1" => Make(TypeShape.ValueTask, named.TypeArguments[0]),
            "System.Threading.CancellationToken" => Make(TypeShape.CancellationToken),
            "System.DateTimeOffset" => Make(TypeShape.DateTimeOffset),
            KnownTypes.RedisKeyName => Make(TypeShape.RedisKey),
            KnownTypes.RedisValueName => Make(TypeShape.RedisValue),
            KnownTypes.RedisLeaseName => Make(TypeShape.RedisLease),
            _ when named.IsValueType && named.AllInterfaces.Any(i => MetadataName(i) == KnownTypes.IRespArgumentsName) => Make(TypeShape.Arguments),
            _ => Make(TypeShape.Other),
        };
    }

    private static string MetadataName(INamedTypeSymbol type)
    {
        if (type.ContainingType is not null) return MetadataName(type.ContainingType) + "+" + type.MetadataName;
        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : "";
        return ns + type.MetadataName;
    }
}
