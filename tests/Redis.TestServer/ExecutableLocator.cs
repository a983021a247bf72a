namespace Redis.Testing;

/// <summary>Finds executables on PATH and in the usual install directories.</summary>
internal static class ExecutableLocator
{
    private static readonly string[] WellKnownDirectories =
        ["/usr/bin", "/usr/local/bin", "/usr/sbin", "/opt/homebrew/bin", "/snap/bin"];

    /// <summary>The REDIS_SERVER_PATH environment variable when set.</summary>
    public static string? RedisServerOverride =>
        Environment.GetEnvironmentVariable("REDIS_SERVER_PATH") is { Length: > 0 } value ? value : null;

    /// <summary>Where <see cref="Find"/> looked for redis-server, for messages.</summary>
    public static string RedisServerSearchDescription =>
        RedisServerOverride is { } overridePath
            ? $"REDIS_SERVER_PATH={overridePath} is not an executable file"
            : "redis-server was not found on PATH, /usr/bin or /usr/local/bin";

    public static string? Find(string name)
    {
        if (string.Equals(name, "redis-server", StringComparison.Ordinal))
        {
            // An explicit REDIS_SERVER_PATH wins; a wrong one means "not found" rather than silently another binary.
            if (RedisServerOverride is { } overridePath)
            {
                return IsExecutable(overridePath) ? Path.GetFullPath(overridePath) : null;
            }
        }

        var fileName = OperatingSystem.IsWindows() && !name.EndsWith(".exe", StringComparison.OrdinalIgnoreCase)
            ? name + ".exe"
            : name;
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        var directories = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(WellKnownDirectories);
        foreach (var directory in directories)
        {
            string candidate;
            try
            {
                candidate = Path.Combine(directory.Trim('"'), fileName);
            }
            catch (ArgumentException)
            {
                continue;
            }

            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsExecutable(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            if (OperatingSystem.IsWindows())
            {
                return true;
            }

            const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            return (File.GetUnixFileMode(path) & anyExecute) != 0;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
