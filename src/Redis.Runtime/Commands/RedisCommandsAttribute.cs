using System.Diagnostics;

namespace Redis;

/// <summary>
/// Marks a <see langword="partial interface"/> for the command generator. Members the user declares
/// are matched to commands by <see cref="RedisCommandAttribute"/> or by name; <see cref="Commands"/>
/// and <see cref="Groups"/> add members generated from the spec. The generator also adds a static
/// <c>Create(IConn)</c> factory to the interface.
/// </summary>
[AttributeUsage(AttributeTargets.Interface, Inherited = false)]
[Conditional("REDIS_CODEGEN_ATTRIBUTES")]
public sealed class RedisCommandsAttribute : Attribute
{
    /// <summary>Commands to generate members for, by name (<c>"GET"</c>, <c>"CLIENT KILL"</c>).</summary>
    public string[]? Commands { get; set; }

    /// <summary>Command groups to generate members for (<c>"string"</c>, <c>"hash"</c>...), as the spec names them.</summary>
    public string[]? Groups { get; set; }
}
