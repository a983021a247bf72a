namespace Redis.Generators;

/// <summary>The names of the tracked pipeline steps (for incrementality tests).</summary>
public static class TrackingNames
{
    /// <summary>One parsed spec file per commands.json / *.commands.json.</summary>
    public const string SpecFiles = nameof(SpecFiles);

    /// <summary>All spec files merged.</summary>
    public const string Spec = nameof(Spec);

    /// <summary>The [RedisCommands] declarations read from syntax and symbols (with locations).</summary>
    public const string Interfaces = nameof(Interfaces);

    /// <summary>Each declaration bound to the spec: source model and diagnostics.</summary>
    public const string Bound = nameof(Bound);

    /// <summary>The location-free source model that feeds the source output.</summary>
    public const string Models = nameof(Models);

    /// <summary>The enum table of the merged spec: one enum per token set of a oneof (its own step, so a spec change that keeps every token set keeps it cached).</summary>
    public const string EnumTable = nameof(EnumTable);

    /// <summary>The enums of the spec-driven members of all interfaces, merged.</summary>
    public const string Enums = nameof(Enums);

    /// <summary>The diagnostics of each declaration (feeds the diagnostics-only output).</summary>
    public const string Diagnostics = nameof(Diagnostics);

    /// <summary>The class marked [GeneratedCommandTable] (the runtime's CommandTable), if any.</summary>
    public const string CommandTable = nameof(CommandTable);
}
