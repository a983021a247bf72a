using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Redis.Generators.Model;

/// <summary>
/// The transform of <c>ForAttributeWithMetadataName("Redis.RedisCommandsAttribute")</c>: reads the
/// attributed declaration into an <see cref="InterfaceDeclaration"/> and drops every symbol.
/// </summary>
internal static class DeclarationReader
{
    public const string CommandsAttributeName = KnownTypes.RedisCommandsAttribute;
    public const string CommandAttributeName = KnownTypes.RedisCommandAttribute;

    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) => node is TypeDeclarationSyntax;

    public static InterfaceDeclaration? Read(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.TargetNode is not TypeDeclarationSyntax syntax) return null;
        var diagnostics = new List<DiagnosticInfo>();
        Location identifier = syntax.Identifier.GetLocation();
        AttributeData? attribute = context.Attributes.Length > 0 ? context.Attributes[0] : null;
        Location? attributeLocation = attribute?.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation();
        bool canGenerate = true;

        if (type.TypeKind != TypeKind.Interface)
        {
            string kind = type.IsRecord ? (type.TypeKind == TypeKind.Struct ? "record struct" : "record")
                : type.TypeKind switch { TypeKind.Struct => "struct", TypeKind.Enum => "enum", TypeKind.Delegate => "delegate", _ => "class" };
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAnInterface, identifier, type.Name, kind));
            return Empty(type, diagnostics, identifier, attributeLocation);
        }

        if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MustBePartial, identifier, type.Name, ""));
            canGenerate = false;
        }
        var containing = new List<ContainingTypeInfo>();
        bool fileLocal = IsNamespaceAccessible(type.DeclaredAccessibility);
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            fileLocal &= IsNamespaceAccessible(outer.DeclaredAccessibility);
            if (!IsPartial(outer, cancellationToken))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MustBePartial, identifier, type.Name, $" (and so must its containing type '{outer.Name}')"));
                canGenerate = false;
            }
            if (outer.TypeParameters.Length > 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericInterface, identifier, type.Name, $" (its containing type '{outer.Name}' has type parameters)"));
                canGenerate = false;
            }
            containing.Insert(0, new ContainingTypeInfo(Keyword(outer), outer.Name));
        }
        if (type.TypeParameters.Length > 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericInterface, identifier, type.Name, ""));
            canGenerate = false;
        }

        var methods = new List<MethodDeclaration>();
        var explicitlyImplemented = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (ISymbol member in type.GetMembers())
        {
            if (member is IMethodSymbol m) foreach (IMethodSymbol e in m.ExplicitInterfaceImplementations) explicitlyImplemented.Add(e);
            if (member is IPropertySymbol p) foreach (IPropertySymbol e in p.ExplicitInterfaceImplementations) explicitlyImplemented.Add(e);
            if (member is IEventSymbol ev) foreach (IEventSymbol e in ev.ExplicitInterfaceImplementations) explicitlyImplemented.Add(e);
        }
        IEnumerable<INamedTypeSymbol> declaringTypes = new[] { type }.Concat(type.AllInterfaces);
        foreach (INamedTypeSymbol declaring in declaringTypes)
        {
            foreach (ISymbol member in declaring.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (explicitlyImplemented.Contains(member)) continue;
                if (!ReadMember(member, identifier, diagnostics, methods, cancellationToken)) canGenerate = false;
            }
        }

        var (commands, groups) = ReadSpecSelection(attribute, cancellationToken);
        var factories = type.GetMembers("Create").OfType<IMethodSymbol>()
            .Where(m => m.IsStatic && m.Parameters.Length == 1 && FactoryParameter(m.Parameters[0].Type) is not null)
            .Select(m => new FactoryDeclaration(FactoryParameter(m.Parameters[0].Type)!, m.Locations.FirstOrDefault(l => l.IsInSource)))
            .ToEquatableArray();
        // A base interface that gets (or has) Create factories too: ours must say 'new'.
        bool hides = type.AllInterfaces.Any(b =>
            b.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == CommandsAttributeName)
            || b.GetMembers("Create").OfType<IMethodSymbol>().Any(m => m.IsStatic && m.Parameters.Length == 1 && FactoryParameter(m.Parameters[0].Type) is not null));
        return new InterfaceDeclaration(
            type.Name,
            NamespaceOf(type),
            containing.ToEquatableArray(),
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            fileLocal,
            methods.ToEquatableArray(),
            commands,
            groups,
            diagnostics.ToEquatableArray(),
            canGenerate,
            identifier,
            attributeLocation,
            factories,
            hides,
            commands.IsEmpty && groups.IsEmpty ? EquatableArray<string>.Empty : ReferencedEnums(context.SemanticModel.Compilation, cancellationToken));
    }

    // Public enums in namespace Redis.Commands of referenced assemblies (the runtime's built-in API
    // has them): spec-driven members use those instead of generating their own.
    private static EquatableArray<string> ReferencedEnums(Compilation compilation, CancellationToken cancellationToken)
    {
        INamespaceSymbol? ns = compilation.GlobalNamespace.GetNamespaceMembers().FirstOrDefault(n => n.Name == "Redis")
            ?.GetNamespaceMembers().FirstOrDefault(n => n.Name == "Commands");
        if (ns is null) return EquatableArray<string>.Empty;
        var names = new List<string>();
        foreach (INamedTypeSymbol type in ns.GetTypeMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (type.TypeKind == TypeKind.Enum && type.DeclaredAccessibility == Accessibility.Public
                && !SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, compilation.Assembly))
            {
                names.Add(type.Name);
            }
        }
        names.Sort(System.StringComparer.Ordinal);
        return names.ToEquatableArray();
    }

    // Unescaped names ("event.class"); the emitter escapes keywords itself.
    private static string? NamespaceOf(INamedTypeSymbol type)
    {
        var parts = new List<string>();
        for (INamespaceSymbol? ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace) parts.Insert(0, ns.Name);
        return parts.Count == 0 ? null : string.Join(".", parts);
    }

    private static string? FactoryParameter(ITypeSymbol type) => type.ToDisplayString() switch
    {
        KnownTypes.IConnName => "IConn",
        KnownTypes.IRespExecutorName => "IRespExecutor",
        _ => null,
    };

    private static InterfaceDeclaration Empty(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics, Location identifier, Location? attribute)
        => new(type.Name, null, EquatableArray<ContainingTypeInfo>.Empty, type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), false,
            EquatableArray<MethodDeclaration>.Empty, EquatableArray<NameReference>.Empty, EquatableArray<NameReference>.Empty,
            diagnostics.ToEquatableArray(), false, identifier, attribute);

    // Returns false when the member makes the interface impossible to implement.
    private static bool ReadMember(ISymbol member, Location fallback, List<DiagnosticInfo> diagnostics, List<MethodDeclaration> methods, CancellationToken cancellationToken)
    {
        Location location = member.Locations.FirstOrDefault(l => l.IsInSource) ?? fallback;
        switch (member)
        {
            case IMethodSymbol method when method.MethodKind == MethodKind.Ordinary:
                if (!method.IsAbstract) return true;
                if (method.IsStatic)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedMember, location, method.Name, "static abstract members make the interface unusable as a type; give it a body"));
                    return false;
                }
                if (method.TypeParameters.Length > 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedMember, location, method.Name, "generic methods are not supported"));
                    return false;
                }
                if (method.ReturnsByRef || method.ReturnsByRefReadonly)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedMember, location, method.Name, "ref returns are not supported"));
                    return false;
                }
                methods.Add(ReadMethod(method, location, cancellationToken));
                return true;
            case IPropertySymbol property when property.IsAbstract:
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedMember, location, property.IsIndexer ? "this[]" : property.Name,
                    property.IsStatic ? "static abstract members make the interface unusable as a type; give it a body" : (property.IsIndexer ? "indexers" : "properties") + " are not commands; declare a method or give the member a body"));
                return false;
            case IEventSymbol @event when @event.IsAbstract:
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedMember, location, @event.Name, "events are not commands; use PubSubConn for messages"));
                return false;
            default:
                return true;
        }
    }

    private static MethodDeclaration ReadMethod(IMethodSymbol method, Location location, CancellationToken cancellationToken)
    {
        var parameters = new List<ParameterDeclaration>();
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            parameters.Add(new ParameterDeclaration(
                parameter.Name,
                Escape(parameter.Name),
                TypeDesc.Describe(parameter.Type),
                parameter.RefKind,
                parameter.IsParams,
                parameter.ScopedKind != ScopedKind.None,
                parameter.Locations.FirstOrDefault(l => l.IsInSource)));
        }
        Location? returnTypeLocation = null;
        if (method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is MethodDeclarationSyntax syntax)
        {
            returnTypeLocation = syntax.ReturnType.GetLocation();
        }

        bool hasAttribute = false;
        string? commandName = null;
        Location? commandLocation = null;
        foreach (AttributeData data in method.GetAttributes())
        {
            if (data.AttributeClass?.ToDisplayString() != CommandAttributeName) continue;
            hasAttribute = true;
            commandName = data.ConstructorArguments.Length == 1 ? data.ConstructorArguments[0].Value as string : null;
            SyntaxNode? attributeSyntax = data.ApplicationSyntaxReference?.GetSyntax(cancellationToken);
            commandLocation = attributeSyntax is AttributeSyntax { ArgumentList.Arguments.Count: > 0 } a
                ? a.ArgumentList.Arguments[0].Expression.GetLocation()
                : attributeSyntax?.GetLocation();
            break;
        }

        string key = method.Name + "(" + string.Join(",", method.Parameters.Select(p => p.RefKind + " " + Erase(p.Type))) + ")";
        return new MethodDeclaration(
            method.Name,
            TypeDesc.Describe(method.ReturnType),
            parameters.ToEquatableArray(),
            hasAttribute,
            commandName,
            commandLocation,
            location,
            returnTypeLocation,
            key);
    }

    // The signature as the CLR sees it: no nullable annotations, no tuple element names.
    private static string Erase(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { IsTupleType: true, TupleUnderlyingType: { } underlying }) type = underlying;
        return type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
    }

    private static (EquatableArray<NameReference> Commands, EquatableArray<NameReference> Groups) ReadSpecSelection(AttributeData? attribute, CancellationToken cancellationToken)
    {
        if (attribute is null) return (EquatableArray<NameReference>.Empty, EquatableArray<NameReference>.Empty);
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        EquatableArray<NameReference> Read(string property)
        {
            foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
            {
                if (named.Key != property || named.Value.Kind != TypedConstantKind.Array || named.Value.IsNull) continue;
                ImmutableArray<TypedConstant> values = named.Value.Values;
                AttributeArgumentSyntax? argument = syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == property);
                List<ExpressionSyntax>? elements = argument?.Expression switch
                {
                    ArrayCreationExpressionSyntax array => array.Initializer?.Expressions.ToList(),
                    ImplicitArrayCreationExpressionSyntax implicitArray => implicitArray.Initializer.Expressions.ToList(),
                    CollectionExpressionSyntax collection => collection.Elements.OfType<ExpressionElementSyntax>().Select(e => e.Expression).ToList(),
                    _ => null,
                };
                bool exact = elements is not null && elements.Count == values.Length;
                return values.Select((v, i) => new NameReference(v.Value as string, exact ? elements![i].GetLocation() : argument?.GetLocation())).ToEquatableArray();
            }
            return EquatableArray<NameReference>.Empty;
        }
        return (Read("Commands"), Read("Groups"));
    }

    private static bool IsNamespaceAccessible(Accessibility accessibility)
        => accessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal or Accessibility.NotApplicable;

    private static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
        => type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));

    private static string Keyword(INamedTypeSymbol type)
    {
        if (type.IsRecord) return type.TypeKind == TypeKind.Struct ? "record struct" : "record";
        return type.TypeKind switch
        {
            TypeKind.Struct => "struct",
            TypeKind.Interface => "interface",
            _ => "class",
        };
    }

    public static string Escape(string name)
        => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
