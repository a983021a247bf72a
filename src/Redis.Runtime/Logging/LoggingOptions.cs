using Microsoft.Extensions.Logging;

namespace Redis;

/// <summary>How <see cref="LoggingConnExtensions.WithLogging"/> logs: level, name, truncation and an optional command filter.</summary>
public sealed record LoggingOptions
{
    /// <summary>The defaults: <see cref="LogLevel.Debug"/>, strings cut at 64 characters, arrays at 16 items, every command.</summary>
    public static LoggingOptions Default { get; } = new();

    /// <summary>The level of every entry (<see cref="LogLevel.Debug"/> by default; <see cref="LogLevel.Trace"/> for noisy use).</summary>
    public LogLevel Level { get; init; } = LogLevel.Debug;

    /// <summary>What names the connection in each entry (redigo's prefix); by default the connection's own description.</summary>
    public string? Name { get; init; }

    /// <summary>Strings and byte values longer than this many characters are cut, with their full length noted. Default 64.</summary>
    public int MaxStringLength { get; init; } = 64;

    /// <summary>Arrays, maps and argument lists longer than this are cut, with the number left out noted. Default 16.</summary>
    public int MaxArrayItems { get; init; } = 16;

    /// <summary>
    /// Chooses the commands to log by name (as the caller wrote it, so compare case-insensitively):
    /// <see langword="false"/> leaves the command out, redigo's <c>NewLoggingConnFilter</c>. Flush,
    /// Receive and Close, which name no command, are always logged. Secrets are redacted whatever this says.
    /// </summary>
    public Func<string, bool>? Filter { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxStringLength, 1, nameof(MaxStringLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxArrayItems, 1, nameof(MaxArrayItems));
        if (Level == LogLevel.None) throw new ArgumentException("LogLevel.None logs nothing; do not wrap the connection instead.", nameof(Level));
    }
}
