namespace Redis.SpecTool;

/// <summary>One line of a command's <c>history</c>: the version and what changed.</summary>
/// <param name="Version">The server version, e.g. <c>6.2.0</c>.</param>
/// <param name="Change">The change, as the server's docs phrase it.</param>
public sealed record HistoryEntry(string Version, string Change);
