namespace Redis;

/// <summary>
/// Marks the partial class the generator fills with the command table data of the compilation's
/// <c>commands.json</c> (the runtime's <see cref="CommandTable"/>); not for users.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class GeneratedCommandTableAttribute : Attribute;
