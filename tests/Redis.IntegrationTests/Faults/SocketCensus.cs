using System.Globalization;

namespace Redis.Tests.Faults;

/// <summary>
/// Counts this process's open file descriptors and its TCP sockets by port, from /proc (Linux):
/// /proc/self/fd gives the socket inodes the process holds, /proc/net/tcp{,6} their ports.
/// Elsewhere it reports nothing (<see cref="Supported"/> is false).
/// </summary>
public static class SocketCensus
{
    /// <summary>True where /proc/self/fd exists.</summary>
    public static bool Supported => Directory.Exists("/proc/self/fd");

    /// <summary>Open file descriptors of this process, after a full collection (so finalizable handles are gone).</summary>
    public static int OpenDescriptors()
    {
        if (!Supported) return 0;
        Collect();
        return Directory.GetFileSystemEntries("/proc/self/fd").Length;
    }

    /// <summary>Sockets this process holds whose local or remote port is one of <paramref name="ports"/>.</summary>
    public static int SocketsOnPorts(params int[] ports) => Count(ports, remoteOnly: false);

    /// <summary>Client sockets this process holds that are connected to <paramref name="port"/> (its remote port).</summary>
    public static int ClientSocketsTo(int port) => Count([port], remoteOnly: true);

    private static int Count(int[] ports, bool remoteOnly)
    {
        if (!Supported) return 0;
        Collect();
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (string fd in Directory.GetFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                string? target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)) inodes.Add(target[8..^1]);
            }
            catch (IOException)
            {
                // Closed while listing.
            }
        }
        int count = 0;
        foreach (string table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (string line in File.ReadLines(table).Skip(1))
            {
                string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 10 || !inodes.Contains(f[9])) continue;
                int local = Port(f[1]), remote = Port(f[2]);
                if ((!remoteOnly && Array.IndexOf(ports, local) >= 0) || Array.IndexOf(ports, remote) >= 0) count++;
            }
        }
        return count;
    }

    /// <summary>
    /// Threads of this process whose name starts with <paramref name="prefix"/> (/proc/self/task/*/comm:
    /// Linux keeps the first 15 bytes of a thread's name).
    /// </summary>
    /// <summary>
    /// <see cref="ThreadsNamed"/> once it is at most <paramref name="atMost"/>, or after 5 s: an OS thread stays listed in
    /// /proc/self/task a moment after its managed code returned (after Thread.Join returns), so a count taken at once
    /// after a disposal can still see the reader that just ended.
    /// </summary>
    public static async Task<int> ThreadsNamedOnceEnded(string prefix, int atMost)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        int count;
        while ((count = ThreadsNamed(prefix)) > atMost && deadline.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(10);
        return count;
    }

    public static int ThreadsNamed(string prefix)
    {
        if (!Directory.Exists("/proc/self/task")) return 0;
        string wanted = prefix.Length > 15 ? prefix[..15] : prefix;
        int count = 0;
        foreach (string task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n').StartsWith(wanted, StringComparison.Ordinal)) count++;
            }
            catch (IOException)
            {
                // The thread ended while listing.
            }
        }
        return count;
    }

    private static int Port(string endpoint) => int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static void Collect()
    {
        for (int i = 0; i < 2; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }
}
