using System.Linq;
using Microsoft.CodeAnalysis;

namespace Redis.Generators;

/// <summary>
/// A diagnostic waiting to be reported: equatable, so the diagnostics-only output stays cached while
/// nothing changes. C# locations are the compiler's own <see cref="SourceLocation"/>s (equal while
/// their syntax tree is unchanged, and suppressible with <c>#pragma</c>); spec-file locations are
/// <see cref="Location.Create(string, Microsoft.CodeAnalysis.Text.TextSpan, Microsoft.CodeAnalysis.Text.LinePositionSpan)"/>
/// values (path and span).
/// </summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, Location? Location, EquatableArray<string> MessageArgs)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] args)
        => new(descriptor, location, new EquatableArray<string>(args));

    public Diagnostic ToDiagnostic()
        => Diagnostic.Create(Descriptor, Location ?? Microsoft.CodeAnalysis.Location.None, MessageArgs.Select(a => (object)a).ToArray());
}
