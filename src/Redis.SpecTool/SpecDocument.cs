namespace Redis.SpecTool;

/// <summary>The whole of <c>commands.json</c>: format version, where it came from and the commands by display name.</summary>
public sealed class SpecDocument
{
    /// <summary>The format this tool writes (see docs/commands-json.md).</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The value of <c>generated.by</c>.</summary>
    public const string GeneratorName = "Redis.SpecTool";

    /// <summary><c>format_version</c>.</summary>
    public int FormatVersion { get; set; } = CurrentFormatVersion;

    /// <summary><c>generated.server</c>, e.g. <c>redis 7.0.15</c>.</summary>
    public string Server { get; set; } = "redis";

    /// <summary><c>generated.protocol</c>: the RESP version the server was read with.</summary>
    public int Protocol { get; set; }

    /// <summary><c>generated.module</c>: the module the file was restricted to (<c>--module</c>), or null for all commands.</summary>
    public string? Module { get; set; }

    /// <summary>The commands (containers, subcommands and plain commands) keyed by display name, in ordinal order.</summary>
    public SortedDictionary<string, CommandSpec> Commands { get; } = new(StringComparer.Ordinal);

    /// <summary>Top-level entries: plain commands and containers (what <c>COMMAND COUNT</c> counts).</summary>
    public int TopLevelCount => Commands.Values.Count(c => c.Container is null);

    /// <summary>Entries that can be called: everything but containers.</summary>
    public int CallableCount => Commands.Values.Count(c => c.IsCallable);
}
