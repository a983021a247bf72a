namespace Redis.Generators.Model;

/// <summary>The partial class marked <c>[GeneratedCommandTable]</c> that receives the table data (the runtime's CommandTable).</summary>
internal sealed record CommandTableTarget(string? Namespace, string ClassName);
