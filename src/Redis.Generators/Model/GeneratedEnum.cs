namespace Redis.Generators.Model;

/// <summary>A generated enum for a oneof of pure tokens (<c>ListSide { Left, Right }</c>), shared by every command with the same tokens.</summary>
internal sealed record GeneratedEnum(string Name, string Summary, EquatableArray<GeneratedEnumMember> Members)
{
    /// <summary>The enum's type as generated code and parameter types spell it (<c>global::Redis.Commands.Name</c>).</summary>
    public string QualifiedName => KnownTypes.Qualify(KnownTypes.EnumNamespace + "." + Name);
}

/// <summary>One member of a <see cref="GeneratedEnum"/> and the token it sends.</summary>
internal sealed record GeneratedEnumMember(string Name, string Token);
