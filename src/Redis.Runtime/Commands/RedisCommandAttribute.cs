using System.Diagnostics;

namespace Redis;

/// <summary>Maps an interface method to a command by name, when the method's own name does not say it.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
[Conditional("REDIS_CODEGEN_ATTRIBUTES")]
public sealed class RedisCommandAttribute : Attribute
{
    /// <summary>Maps the method to <paramref name="name"/> (<c>"HGETALL"</c>, <c>"CLIENT SETNAME"</c>).</summary>
    public RedisCommandAttribute(string name) => Name = name;

    /// <summary>The command name, words separated by a space.</summary>
    public string Name { get; }
}
