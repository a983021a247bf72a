using System.Diagnostics;
using System.Globalization;

namespace Redis.Testing;

/// <summary>
/// Cleans up after test processes that died without running their cleanup (SIGKILL, crash): every server
/// directory holds an <c>owner</c> file ("ownerPid serverPid"); when the owner is gone, the server process
/// is killed if it is still the <c>redis-server</c> running in that directory, and the directory is deleted.
/// Linux only (uses /proc); runs once per process, before the first local redis-server starts.
/// </summary>
internal static class StaleServerReaper
{
    public const string DirectoryPrefix = "redis-test-";
    private const string OwnerFile = "owner";
    private static readonly TimeSpan OwnerlessGrace = TimeSpan.FromMinutes(10);

    public static void WriteOwnerFile(string directory, int serverPid)
    {
        try
        {
            File.WriteAllText(
                Path.Combine(directory, OwnerFile),
                string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId} {serverPid}\n"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only a help for later cleanup.
        }
    }

    public static void Run()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            var roots = new[] { Path.GetTempPath(), RedisServerProcess.TempRoot() }
                .Select(Path.GetFullPath)
                .Distinct(StringComparer.Ordinal);
            foreach (var root in roots)
            {
                if (!Directory.Exists(root))
                {
                    continue;
                }

                foreach (var directory in Directory.EnumerateDirectories(root, DirectoryPrefix + "*"))
                {
                    ReapOne(directory);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort.
        }
    }

    private static void ReapOne(string directory)
    {
        var ownerPath = Path.Combine(directory, OwnerFile);
        if (!File.Exists(ownerPath))
        {
            // Being created right now by someone else, or left by a crash before the server started.
            if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(directory) > OwnerlessGrace)
            {
                RedisServerProcess.DeleteDirectory(directory);
            }

            return;
        }

        var parts = File.ReadAllText(ownerPath).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 ||
            !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ownerPid) ||
            !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var serverPid))
        {
            return;
        }

        if (ownerPid == Environment.ProcessId || IsAlive(ownerPid))
        {
            return; // Owner still running (or a reused pid: leave it alone, err on the safe side).
        }

        if (IsServerInDirectory(serverPid, directory))
        {
            try
            {
                using var process = Process.GetProcessById(serverPid);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5_000);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }

        RedisServerProcess.DeleteDirectory(directory);
    }

    /// <summary>True when <paramref name="pid"/> exists and is not a zombie (dead, waiting to be reaped).</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) S ..."; the state letter follows the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close < 0 || close + 2 >= stat.Length || (stat[close + 2] != 'Z' && stat[close + 2] != 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>True only when <paramref name="pid"/> is a redis-server whose working directory is <paramref name="directory"/>.</summary>
    private static bool IsServerInDirectory(int pid, string directory)
    {
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            if (!cmdline.Contains("redis-server", StringComparison.Ordinal))
            {
                return false;
            }

            var cwd = new FileInfo($"/proc/{pid}/cwd").LinkTarget;
            return cwd is not null &&
                   string.Equals(Path.TrimEndingDirectorySeparator(cwd), Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)), StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
