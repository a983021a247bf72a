using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Redis.Generators.Model;
using Redis.Generators.Spec;

namespace Redis.Generators.Planning;

/// <summary>The result of binding one interface to the spec: the source model (null when nothing is generated) and the diagnostics.</summary>
internal sealed record BindResult(GeneratedInterface? Generated, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>
/// Binds a declaration to the spec: matches every method to a command, checks its parameters and
/// return type, and builds the location-free <see cref="GeneratedInterface"/>.
/// </summary>
internal static class InterfaceBinder
{
    public static BindResult Bind(InterfaceDeclaration declaration, CommandSpec spec, EnumTable enumTable, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>(declaration.Diagnostics);
        bool isInterface = !declaration.Diagnostics.Any(d => d.Descriptor.Id == DiagnosticDescriptors.NotAnInterface.Id);
        if (spec.Files.IsEmpty)
        {
            if (isInterface)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoCommandSpec, declaration.AttributeLocation ?? declaration.IdentifierLocation, declaration.Name));
            }
            return new BindResult(null, diagnostics.ToEquatableArray());
        }
        if (spec.HasErrors) return new BindResult(null, diagnostics.ToEquatableArray());

        CheckSpecSelection(declaration, spec, diagnostics);
        if (!declaration.CanGenerate || declaration.Methods.Any(m => m.ReturnType.ContainsError || m.Parameters.Any(p => p.Type.ContainsError)))
        {
            // Declaration errors are reported; type errors are the compiler's to report. Either way: no source.
            return new BindResult(null, diagnostics.ToEquatableArray());
        }

        var names = new NameAllocator(declaration.Methods.Select(m => m.Name));
        bool createFromConn = true, createFromExecutor = true;
        var signatures = new HashSet<string>(StringComparer.Ordinal);
        foreach (FactoryDeclaration factory in declaration.ExistingFactories)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemberNameClash, factory.Location ?? declaration.IdentifierLocation,
                $"Create({factory.ParameterType})", $"the generated factory method {declaration.Name}.Create({factory.ParameterType}); the generated one is left out"));
            if (factory.ParameterType == "IConn") createFromConn = false;
            else createFromExecutor = false;
        }
        var methods = new List<GeneratedMethod>();
        HelperSet helpers = HelperSet.None;
        string discard = "";
        foreach (MethodDeclaration method in declaration.Methods)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (method.Name == "Create" && method.Parameters.Count == 1 && method.Parameters[0].Type.DisplayNotNull is KnownTypes.IConn or KnownTypes.IRespExecutor)
            {
                bool conn = method.Parameters[0].Type.DisplayNotNull == KnownTypes.IConn;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemberNameClash, method.Location ?? declaration.IdentifierLocation,
                    $"{method.Name}({(conn ? "IConn" : "IRespExecutor")})",
                    $"the generated factory method {declaration.Name}.Create({(conn ? "IConn" : "IRespExecutor")}); rename the method and map it with [RedisCommand]"));
                if (conn) createFromConn = false;
                else createFromExecutor = false;
            }
            if (!signatures.Add(method.SignatureKey))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemberNameClash, method.Location ?? declaration.IdentifierLocation,
                    method.Name, "another method with the same parameter types (they differ only in nullability, tuple names or return type); give them different names"));
                continue;
            }
            GeneratedMethod generated = MethodBinder.Bind(method, spec, enumTable, names, diagnostics, out HelperSet methodHelpers);
            helpers = helpers.Union(methodHelpers);
            methods.Add(generated);
        }
        // Spec-driven members (Commands = / Groups =): a user-declared member of the same name wins.
        var parts = new SortedDictionary<string, (List<MemberDeclaration> Declarations, List<GeneratedMethod> Methods)>(StringComparer.Ordinal);
        var enums = new List<GeneratedEnum>();
        var comments = new List<string>();
        if (!declaration.SpecCommands.IsEmpty || !declaration.SpecGroups.IsEmpty)
        {
            var reserved = new HashSet<string>(declaration.Methods.Select(m => m.Name), StringComparer.Ordinal) { "Create" };
            var enumsUsed = new HashSet<string>(StringComparer.Ordinal);
            int commandCount = 0, methodCount = 0, typedCount = 0, skipped = 0;
            var raw = new List<string>();
            foreach (SpecCommand command in SelectCommands(declaration, spec))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var built = SpecMemberBuilder.Build(command, enumTable, names, reserved, enumsUsed,
                    diagnostics, declaration.AttributeLocation ?? declaration.IdentifierLocation);
                if (built is null)
                {
                    skipped++;
                    continue;
                }
                if (built.Count == 0) continue;
                commandCount++;
                if (built.Any(b => b.Raw)) raw.Add(command.Name);
                string group = SpecNaming.Pascal(command.Group ?? "");
                if (group.Length == 0) group = "Other";
                if (!parts.TryGetValue(group, out var part)) parts.Add(group, part = (new List<MemberDeclaration>(), new List<GeneratedMethod>()));
                foreach (var (_, sync, async, _, typed) in built)
                {
                    foreach (var member in new[] { sync, async })
                    {
                        if (member is null) continue;
                        part.Declarations.Add(member.Declaration);
                        part.Methods.Add(member.Implementation);
                        helpers = helpers.Union(member.Implementation.Helpers ?? HelperSet.None);
                        methodCount++;
                        if (typed) typedCount++;
                    }
                }
            }
            var referenced = new HashSet<string>(declaration.ReferencedEnums, StringComparer.Ordinal);
            enums.AddRange(enumTable.All.Where(e => enumsUsed.Contains(e.Name) && !referenced.Contains(e.Name)));
            comments.Add($"Spec-driven members: {commandCount} commands, {methodCount} methods ({typedCount} with typed replies), {skipped} commands skipped (containers, push replies).");
            comments.Add($"Commands with raw (RedisValue[]) arguments: {raw.Count}{(raw.Count == 0 ? "" : ": " + string.Join(", ", raw))}.");
        }
        if (helpers.DiscardValueTask) discard = names.Allocate("Discard");

        string containers = string.Concat(declaration.ContainingTypes.Select(c => c.Name + "."));
        string hintBase = SafeHint((declaration.Namespace is null ? "" : declaration.Namespace + ".") + containers + declaration.Name);
        string hint = hintBase + ".g.cs";
        string implementation = string.Concat(declaration.ContainingTypes.Select(c => c.Name + "_")) + declaration.Name + "Implementation";
        // Group files extend the implementation class, so it cannot be file-local (a file type lives in one file).
        bool fileLocal = declaration.ImplementationCanBeFileLocal && parts.Count == 0;
        if (!fileLocal) implementation = names.Allocate(declaration.Name + "Implementation");
        var generatedParts = parts.Select(p => new GeneratedPart(p.Key, SafeHint(hintBase + "." + p.Key) + ".g.cs", p.Value.Declarations.ToEquatableArray(), p.Value.Methods.ToEquatableArray())).ToEquatableArray();
        var generatedInterface = new GeneratedInterface(
            hint,
            declaration.Namespace,
            declaration.ContainingTypes,
            declaration.Name,
            declaration.FullyQualifiedName,
            implementation,
            fileLocal,
            names.Allocate("_executor"),
            createFromConn,
            createFromExecutor,
            declaration.HidesInheritedFactories,
            methods.ToEquatableArray(),
            helpers,
            discard,
            enums.ToEquatableArray(),
            comments.ToEquatableArray(),
            generatedParts);
        return new BindResult(generatedInterface, diagnostics.ToEquatableArray());
    }

    private static string SafeHint(string name)
        => new string(name.Select(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_').ToArray());

    // The selected commands in spec order: named ones (a container gives its subcommands), then whole groups.
    private static IEnumerable<SpecCommand> SelectCommands(InterfaceDeclaration declaration, CommandSpec spec)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (NameReference reference in declaration.SpecCommands)
        {
            if (reference.Name is null || spec.Find(reference.Name) is not { } command) continue;
            if (command.IsContainer)
            {
                foreach (SpecCommand sub in spec.Subcommands(command)) wanted.Add(sub.Name);
            }
            else
            {
                wanted.Add(command.Name);
            }
        }
        var groups = new HashSet<string>(declaration.SpecGroups.Where(g => g.Name is not null).Select(g => g.Name!), StringComparer.OrdinalIgnoreCase);
        return spec.Commands.Where(c => !c.IsContainer && (wanted.Contains(c.Name) || (c.Group is not null && groups.Contains(c.Group))))
            .OrderBy(c => c.Name, StringComparer.Ordinal);
    }

    // Commands = / Groups = name things the spec must have (the members come in a later phase).
    private static void CheckSpecSelection(InterfaceDeclaration declaration, CommandSpec spec, List<DiagnosticInfo> diagnostics)
    {
        foreach (NameReference reference in declaration.SpecCommands)
        {
            SpecCommand? command = reference.Name is null ? null : spec.Find(reference.Name);
            if (command is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownSpecName, reference.Location ?? declaration.AttributeLocation, "Command", reference.Name ?? "null", ""));
            }
        }
        foreach (NameReference reference in declaration.SpecGroups)
        {
            if (reference.Name is null || !spec.HasGroup(reference.Name))
            {
                string known = string.Join(", ", spec.Commands.Where(c => c.Group is not null).Select(c => c.Group!).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(g => g, StringComparer.Ordinal).Take(12));
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownSpecName, reference.Location ?? declaration.AttributeLocation, "Group", reference.Name ?? "null",
                    known.Length == 0 ? "" : $" (groups: {known})"));
            }
        }
    }
}

/// <summary>Gives generated members names that clash with nothing the user declared.</summary>
internal sealed class NameAllocator
{
    private readonly HashSet<string> _used;

    public NameAllocator(IEnumerable<string> reserved) => _used = new HashSet<string>(reserved, StringComparer.Ordinal);

    public string Allocate(string wanted)
    {
        string name = wanted;
        for (int i = 2; !_used.Add(name); i++) name = wanted + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return name;
    }
}
