using Microsoft.CodeAnalysis;

namespace Redis.Generators.Model;

/// <summary>A type that contains the interface, redeclared as <c>partial {Keyword} {Name}</c>.</summary>
internal sealed record ContainingTypeInfo(string Keyword, string Name);

/// <summary>A parameter of a user method.</summary>
internal sealed record ParameterDeclaration(
    string Name,
    string Identifier,
    TypeDesc Type,
    RefKind RefKind,
    bool IsParams,
    bool IsScoped,
    Location? Location);

/// <summary>A method the user declared (or inherited) in a [RedisCommands] interface.</summary>
internal sealed record MethodDeclaration(
    string Name,
    TypeDesc ReturnType,
    EquatableArray<ParameterDeclaration> Parameters,
    bool HasCommandAttribute,
    string? CommandName,
    Location? CommandNameLocation,
    Location? Location,
    Location? ReturnTypeLocation,
    string SignatureKey);

/// <summary>A name given to <c>Commands =</c> or <c>Groups =</c>, with where it was written.</summary>
internal sealed record NameReference(string? Name, Location? Location);

/// <summary>
/// What the transform of a [RedisCommands] declaration keeps: strings, enums, <see cref="TypeDesc"/>s
/// and the <see cref="Location"/>s that diagnostics need. Locations only feed diagnostics: the
/// generated-source model built from this (<see cref="GeneratedInterface"/>)
/// holds none, so moving a declaration never re-emits source.
/// </summary>
internal sealed record InterfaceDeclaration(
    string Name,
    string? Namespace,
    EquatableArray<ContainingTypeInfo> ContainingTypes,
    string FullyQualifiedName,
    bool ImplementationCanBeFileLocal,
    EquatableArray<MethodDeclaration> Methods,
    EquatableArray<NameReference> SpecCommands,
    EquatableArray<NameReference> SpecGroups,
    EquatableArray<DiagnosticInfo> Diagnostics,
    bool CanGenerate,
    Location? IdentifierLocation,
    Location? AttributeLocation,
    EquatableArray<FactoryDeclaration> ExistingFactories = default,
    bool HidesInheritedFactories = false,
    EquatableArray<string> ReferencedEnums = default);

/// <summary>A static <c>Create(IConn)</c> or <c>Create(IRespExecutor)</c> the user wrote (the generated one would clash).</summary>
internal sealed record FactoryDeclaration(string ParameterType, Location? Location);
