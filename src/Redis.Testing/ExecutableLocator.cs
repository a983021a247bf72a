namespace Redis.Testing;

/// <summary>
/// Finds executables on PATH and in the usual install directories. <c>redis-server</c> and <c>redis-cli</c>
/// can be pinned (or hidden, by naming a missing file) with <c>REDIS_SERVER_PATH</c> and <c>REDIS_CLI_PATH</c>.
/// </summary>
internal static class ExecutableLocator
{
    private static readonly string[] WellKnownDirectories =
        ["/usr/bin", "/usr/local/bin", "/usr/sbin", "/opt/homebrew/bin", "/snap/bin"];

    /// <summary>The REDIS_SERVER_PATH environment variable when set.</summary>
    public static string? RedisServerOverride => Override("redis-server");

    /// <summary>Where <see cref="Find"/> looked for redis-server, for messages.</summary>
    public static string RedisServerSearchDescription => SearchDescription("redis-server");

    /// <summary>Where <see cref="Find"/> looked for redis-cli, for messages.</summary>
    public static string RedisCliSearchDescription => SearchDescription("redis-cli");

    public static string? Find(string name)
    {
        // An explicit REDIS_SERVER_PATH / REDIS_CLI_PATH wins; a wrong one means "not found" rather than silently
        // another binary, which is also how a machine without Redis is simulated on one that has it.
        if (Override(name) is { } overridePath)
        {
            return IsExecutable(overridePath) ? Path.GetFullPath(overridePath) : null;
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

    private static string? OverrideVariable(string name) => name switch
    {
        "redis-server" => "REDIS_SERVER_PATH",
        "redis-cli" => "REDIS_CLI_PATH",
        _ => null,
    };

    private static string? Override(string name) =>
        OverrideVariable(name) is { } variable && Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null;

    private static string SearchDescription(string name) =>
        Override(name) is { } overridePath
            ? $"{OverrideVariable(name)}={overridePath} is not an executable file"
            : $"{name} was not found on PATH, /usr/bin or /usr/local/bin";

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
