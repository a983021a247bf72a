namespace Redis.Generators.Model;

/// <summary>A generated enum for a oneof of pure tokens (<c>ListSide { Left, Right }</c>), shared by every command with the same tokens.</summary>
internal sealed record GeneratedEnum(string Name, string Summary, EquatableArray<GeneratedEnumMember> Members);

/// <summary>One member of a <see cref="GeneratedEnum"/> and the token it sends.</summary>
internal sealed record GeneratedEnumMember(string Name, string Token);
