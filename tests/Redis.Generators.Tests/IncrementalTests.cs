using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Redis.Generators.Tests;

/// <summary>
/// The pipeline caches what it should: observed through the named tracking steps
/// (<see cref="TrackingNames"/>) and the tracked output steps.
/// </summary>
public class IncrementalTests
{
    private static readonly string[] ModelSteps = [TrackingNames.Interfaces, TrackingNames.Bound, TrackingNames.Models, TrackingNames.Diagnostics];

    private static IncrementalStepRunReason[] Reasons(GeneratorRunResult result, string step)
        => result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

    // The output steps fed by the source model (not the diagnostics-only outputs).
    private static IncrementalStepRunReason[] SourceOutputReasons(GeneratorRunResult result)
        => result.TrackedOutputSteps["SourceOutput"].Where(s => DependsOn(s, TrackingNames.Models)).SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

    private static IncrementalStepRunReason[] AllOutputReasons(GeneratorRunResult result)
        => result.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();

    private static bool DependsOn(IncrementalGeneratorRunStep step, string name)
        => step.Name == name || step.Inputs.Any(i => DependsOn(i.Source, name));

    private static void AssertAll(IEnumerable<IncrementalStepRunReason> reasons, params IncrementalStepRunReason[] allowed)
    {
        IncrementalStepRunReason[] list = reasons.ToArray();
        Assert.NotEmpty(list);
        Assert.All(list, reason => Assert.Contains(reason, allowed));
    }

    private static (GeneratorDriver Driver, CSharpCompilation Compilation, GeneratorRun First) FirstRun(string source, AdditionalText spec)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(source);
        GeneratorRun first = GeneratorHarness.Run(GeneratorHarness.CreateDriver(spec), compilation);
        Assert.All(Reasons(first.Result, TrackingNames.Models), r => Assert.Equal(IncrementalStepRunReason.New, r));
        return (first.Driver, compilation, first);
    }

    [Fact]
    public void AnUnrelatedEdit_LeavesEveryStepCached_AndTheOutputsCached()
    {
        var (driver, compilation, _) = FirstRun(TestSources.Shop, GeneratorHarness.Spec());

        CSharpCompilation edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("internal sealed class Unrelated { }", GeneratorHarness.TestParseOptions, path: "Unrelated.cs"));
        GeneratorRunResult second = GeneratorHarness.Run(driver, edited).Result;

        foreach (string step in ModelSteps) AssertAll(Reasons(second, step), IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertAll(Reasons(second, TrackingNames.SpecFiles), IncrementalStepRunReason.Cached);
        AssertAll(Reasons(second, TrackingNames.Spec), IncrementalStepRunReason.Cached);
        AssertAll(AllOutputReasons(second), IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void EditingAUsedCommandInCommandsJson_ReparsesTheSpec_AndReemits()
    {
        AdditionalText spec = GeneratorHarness.Spec();
        var (driver, compilation, first) = FirstRun(TestSources.Shop, spec);

        AdditionalText edited = GeneratorHarness.Spec(GeneratorHarness.MiniSpec.Replace("\"Get the value of a key\"", "\"Get the value of a key (edited)\""));
        GeneratorRun second = GeneratorHarness.Run(driver.ReplaceAdditionalText(spec, edited), compilation);

        AssertAll(Reasons(second.Result, TrackingNames.SpecFiles), IncrementalStepRunReason.Modified);
        AssertAll(Reasons(second.Result, TrackingNames.Spec), IncrementalStepRunReason.Modified);
        AssertAll(Reasons(second.Result, TrackingNames.Interfaces), IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertAll(Reasons(second.Result, TrackingNames.Models), IncrementalStepRunReason.Modified);
        // The interface's file is re-emitted; the (empty) enums output of spec-driven members stays cached.
        AssertAll(SourceOutputReasons(second.Result), IncrementalStepRunReason.Modified, IncrementalStepRunReason.Cached);
        Assert.Contains(IncrementalStepRunReason.Modified, SourceOutputReasons(second.Result));
        Assert.Contains("(edited)", second.Source("Shop.IShop.g.cs"));
        Assert.DoesNotContain("(edited)", first.Source("Shop.IShop.g.cs"));
    }

    [Fact]
    public void EditingACommandTheInterfaceDoesNotUse_ReparsesTheSpec_ButDoesNotReemit()
    {
        AdditionalText spec = GeneratorHarness.Spec();
        var (driver, compilation, _) = FirstRun(TestSources.Shop, spec);

        AdditionalText edited = GeneratorHarness.Spec(GeneratorHarness.MiniSpec.Replace("\"Ping the server\"", "\"Ping the server, edited\""));
        GeneratorRunResult second = GeneratorHarness.Run(driver.ReplaceAdditionalText(spec, edited), compilation).Result;

        AssertAll(Reasons(second, TrackingNames.SpecFiles), IncrementalStepRunReason.Modified);
        AssertAll(Reasons(second, TrackingNames.Spec), IncrementalStepRunReason.Modified);
        AssertAll(Reasons(second, TrackingNames.Bound), IncrementalStepRunReason.Unchanged);
        AssertAll(Reasons(second, TrackingNames.Models), IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertAll(SourceOutputReasons(second), IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void ACommentAboveTheInterface_ChangesItsLocations_ButDoesNotReemit()
    {
        var (driver, compilation, first) = FirstRun(TestSources.Shop, GeneratorHarness.Spec());

        SyntaxTree old = compilation.SyntaxTrees.Single();
        string moved = TestSources.Shop.Replace("namespace Shop;", "namespace Shop;\n\n// A comment that moves every line below it.\n");
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(moved, GeneratorHarness.TestParseOptions, path: old.FilePath));
        GeneratorRun second = GeneratorHarness.Run(driver, edited);

        AssertAll(Reasons(second.Result, TrackingNames.Interfaces), IncrementalStepRunReason.Modified);
        AssertAll(Reasons(second.Result, TrackingNames.Models), IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertAll(SourceOutputReasons(second.Result), IncrementalStepRunReason.Cached);
        AssertAll(Reasons(second.Result, TrackingNames.Spec), IncrementalStepRunReason.Cached);
        // Not re-emitted: the driver hands back the very same SourceText.
        Assert.Same(first.Result.GeneratedSources.Single().SourceText, second.Result.GeneratedSources.Single().SourceText);
    }

    [Fact]
    public void ADiagnosticMovesWithItsDeclaration_WithoutReemittingSource()
    {
        string source = TestSources.Shop.Replace("string? Get(string key);", "string? Get(string key);\n    string? Frobnicate(string key);");
        var (driver, compilation, first) = FirstRun(source, GeneratorHarness.Spec());
        Assert.Equal(16, first.Diagnostics.Single(d => d.Id == "RDS0001").Location.GetLineSpan().StartLinePosition.Line);

        SyntaxTree old = compilation.SyntaxTrees.Single();
        string moved = source.Replace("namespace Shop;", "namespace Shop;\n\n");
        GeneratorRun second = GeneratorHarness.Run(driver, compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(moved, GeneratorHarness.TestParseOptions, path: old.FilePath)));

        Assert.Equal(18, second.Diagnostics.Single(d => d.Id == "RDS0001").Location.GetLineSpan().StartLinePosition.Line);
        AssertAll(SourceOutputReasons(second.Result), IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void TheSourceModel_HoldsNoSymbolsSyntaxCompilationOrLocations()
    {
        var (_, _, run) = FirstRun(TestSources.AllShapes, GeneratorHarness.Spec());
        string[] ours = [TrackingNames.SpecFiles, TrackingNames.Spec, TrackingNames.Interfaces, TrackingNames.Bound, TrackingNames.Models, TrackingNames.Diagnostics];
        foreach (var (name, steps) in run.Result.TrackedSteps.Where(kv => ours.Contains(kv.Key)))
        {
            bool locationsAllowed = name != TrackingNames.Models;
            foreach (var output in steps.SelectMany(s => s.Outputs))
            {
                ModelWalker.AssertClean(output.Value, name, locationsAllowed);
            }
        }
        Assert.Contains(TrackingNames.Models, run.Result.TrackedSteps.Keys);
        Assert.Contains(TrackingNames.Interfaces, run.Result.TrackedSteps.Keys);
    }

    /// <summary>Walks an object graph looking for things a pipeline model must not hold.</summary>
    private static class ModelWalker
    {
        private static readonly Type[] Forbidden = [typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(SemanticModel), typeof(SyntaxTree)];

        public static void AssertClean(object? value, string step, bool locationsAllowed)
            => Walk(value, step, locationsAllowed, new HashSet<object>(ReferenceEqualityComparer.Instance), "output");

        private static void Walk(object? value, string step, bool locationsAllowed, HashSet<object> seen, string path)
        {
            if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || value is DiagnosticDescriptor) return;
            Type type = value.GetType();
            Assert.False(Forbidden.Any(f => f.IsAssignableFrom(type)), $"step {step} holds a {type.Name} at {path}");
            if (value is Location)
            {
                Assert.True(locationsAllowed, $"step {step} holds a Location at {path}");
                return;
            }
            if (!type.IsValueType && !seen.Add(value)) return;
            if (value is IEnumerable items && value is not EquatableArray<DiagnosticInfo>)
            {
                int i = 0;
                foreach (object? item in items) Walk(item, step, locationsAllowed, seen, $"{path}[{i++}]");
            }
            for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
            {
                foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (field.FieldType.IsPointer || field.FieldType.IsByRefLike) continue;
                    Walk(field.GetValue(value), step, locationsAllowed, seen, path + "." + field.Name);
                }
            }
        }
    }
}
