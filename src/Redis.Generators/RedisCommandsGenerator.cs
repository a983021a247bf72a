using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Redis.Generators.Emit;
using Redis.Generators.Model;
using Redis.Generators.Spec;
using Redis.Generators.Planning;

namespace Redis.Generators;

/// <summary>
/// Generates implementations of <c>[RedisCommands]</c> partial interfaces from the command spec
/// (commands.json): each method writes its command with the typed RESP writer and reads its reply
/// with a typed parser. See README.md for the pipeline, the naming rule and the diagnostics.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class RedisCommandsGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // The spec: every AdditionalFiles item named commands.json or *.commands.json, or marked
        // RedisCommandSpec="true" (the package's default spec is), parsed once per change.
        IncrementalValuesProvider<SpecFile> specFiles = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Where(static pair => SpecParser.IsSpecFileName(pair.Left.Path) || IsMarkedAsSpec(pair.Right.GetOptions(pair.Left)))
            .Select(static (pair, _) => pair.Left)
            .Select(static (text, cancellationToken) => ParseSpec(text, cancellationToken))
            .WithTrackingName(TrackingNames.SpecFiles);

        IncrementalValueProvider<CommandSpec> spec = specFiles
            .Collect()
            .Select(static (files, _) => CommandSpec.Merge(files))
            .WithTrackingName(TrackingNames.Spec);

        // The user's interfaces.
        IncrementalValuesProvider<InterfaceDeclaration> interfaces = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                DeclarationReader.CommandsAttributeName,
                static (node, cancellationToken) => DeclarationReader.IsCandidate(node, cancellationToken),
                static (syntaxContext, cancellationToken) => ReadDeclaration(syntaxContext, cancellationToken))
            .WithTrackingName(TrackingNames.Interfaces)
            .Where(static declaration => declaration is not null)
            .Select(static (declaration, _) => declaration!);

        // The enums for the spec's token choices: named from the token sets alone (Planning/EnumNames.cs).
        IncrementalValueProvider<EnumTable> enumTable = spec
            .Select(static (merged, _) => new EnumTable(merged.Commands))
            .WithTrackingName(TrackingNames.EnumTable);

        IncrementalValuesProvider<BindResult> bound = interfaces
            .Combine(spec.Combine(enumTable))
            .Select(static (pair, cancellationToken) => Bind(pair.Left, pair.Right.Left, pair.Right.Right, cancellationToken))
            .WithTrackingName(TrackingNames.Bound);

        // Pipeline 1: source only, from the location-free model.
        IncrementalValuesProvider<GeneratedInterface> models = bound
            .Select(static (result, _) => result.Generated)
            .WithTrackingName(TrackingNames.Models)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!);
        context.RegisterSourceOutput(models, static (production, model) => EmitSource(production, model));

        // The enums of spec-driven members, shared by every interface of the compilation: one file.
        IncrementalValueProvider<EquatableArray<GeneratedEnum>> enums = models
            .Select(static (model, _) => model.Enums)
            .Collect()
            .Select(static (all, _) => all.SelectMany(e => e).GroupBy(e => e.Name).Select(g => g.First()).OrderBy(e => e.Name, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(TrackingNames.Enums);
        context.RegisterSourceOutput(enums, static (production, list) =>
        {
            if (list.IsEmpty) return;
            try
            {
                production.AddSource(KnownTypes.EnumNamespace + ".Enums.g.cs", SourceText.From(SourceEmitter.EmitEnums(list), Encoding.UTF8));
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                production.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, KnownTypes.EnumNamespace + " enums", error.GetType().Name + ": " + error.Message));
            }
        });

        // The runtime's command table: data for the one class marked [GeneratedCommandTable], from the same spec.
        IncrementalValuesProvider<CommandTableTarget> tables = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                CommandTableAttributeName,
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                static (syntaxContext, _) => new CommandTableTarget(
                    syntaxContext.TargetSymbol.ContainingNamespace.IsGlobalNamespace ? null : syntaxContext.TargetSymbol.ContainingNamespace.ToDisplayString(),
                    syntaxContext.TargetSymbol.Name))
            .WithTrackingName(TrackingNames.CommandTable);
        context.RegisterSourceOutput(tables.Combine(spec), static (production, pair) =>
        {
            if (pair.Right.HasErrors) return;
            try
            {
                production.AddSource(pair.Left.ClassName + ".g.cs", SourceText.From(CommandTableEmitter.Emit(pair.Left, pair.Right), Encoding.UTF8));
            }
            catch (Exception error) when (error is not OperationCanceledException and not ArgumentException)
            {
                production.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, pair.Left.ClassName, error.GetType().Name + ": " + error.Message));
            }
        });

        // Pipeline 2: diagnostics only, so a moved declaration re-reports without re-emitting source.
        IncrementalValuesProvider<EquatableArray<DiagnosticInfo>> diagnostics = bound
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (production, list) => Report(production, list));
        context.RegisterSourceOutput(specFiles, static (production, file) => Report(production, file.Diagnostics));
        context.RegisterSourceOutput(spec, static (production, merged) => Report(production, merged.Diagnostics));
    }

    /// <summary>The attribute that marks the class receiving the command table data.</summary>
    public const string CommandTableAttributeName = KnownTypes.GeneratedCommandTableAttribute;

    /// <summary>The item metadata that marks an AdditionalFiles item as a command spec, whatever its name.</summary>
    public const string SpecMetadata = "build_metadata.AdditionalFiles.RedisCommandSpec";

    private static bool IsMarkedAsSpec(AnalyzerConfigOptions options)
        => options.TryGetValue(SpecMetadata, out string? value) && string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    private static SpecFile ParseSpec(AdditionalText text, CancellationToken cancellationToken)
    {
        try
        {
            return SpecParser.Parse(text.Path, text.GetText(cancellationToken), cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, Location.Create(text.Path, default, default), System.IO.Path.GetFileName(text.Path), error.GetType().Name + ": " + error.Message);
            return new SpecFile(text.Path, EquatableArray<SpecCommand>.Empty, EquatableArray.Create(diagnostic), true);
        }
    }

    private static InterfaceDeclaration? ReadDeclaration(GeneratorAttributeSyntaxContext syntaxContext, CancellationToken cancellationToken)
    {
        try
        {
            return DeclarationReader.Read(syntaxContext, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            string name = syntaxContext.TargetSymbol.Name;
            var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, syntaxContext.TargetNode.GetLocation(), name, error.GetType().Name + ": " + error.Message);
            return new InterfaceDeclaration(name, null, EquatableArray<ContainingTypeInfo>.Empty, name, false, EquatableArray<MethodDeclaration>.Empty,
                EquatableArray<NameReference>.Empty, EquatableArray<NameReference>.Empty, EquatableArray.Create(diagnostic), false, null, null);
        }
    }

    private static BindResult Bind(InterfaceDeclaration declaration, CommandSpec spec, EnumTable enumTable, CancellationToken cancellationToken)
    {
        try
        {
            return InterfaceBinder.Bind(declaration, spec, enumTable, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, declaration.IdentifierLocation, declaration.Name, error.GetType().Name + ": " + error.Message);
            return new BindResult(null, declaration.Diagnostics.Append(diagnostic));
        }
    }

    private static void EmitSource(SourceProductionContext production, GeneratedInterface model)
    {
        string source;
        try
        {
            source = SourceEmitter.Emit(model);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            production.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, model.InterfaceName, error.GetType().Name + ": " + error.Message));
            return;
        }
        try
        {
            production.AddSource(model.HintName, SourceText.From(source, Encoding.UTF8));
        }
        catch (ArgumentException)
        {
            // The same hint twice (the attribute on two declarations of one interface): the first one stands.
            return;
        }
        foreach (GeneratedPart part in model.Parts)
        {
            try
            {
                production.AddSource(part.HintName, SourceText.From(SourceEmitter.EmitPart(model, part), Encoding.UTF8));
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                production.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, model.InterfaceName + " (" + part.Group + ")", error.GetType().Name + ": " + error.Message));
            }
        }
    }

    private static void Report(SourceProductionContext production, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (DiagnosticInfo diagnostic in diagnostics) production.ReportDiagnostic(diagnostic.ToDiagnostic());
    }
}
