using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Redis.Testing;

/// <summary>
/// A <c>redis-server</c> child process on a free 127.0.0.1 port with a fresh temporary directory,
/// no persistence, killed (with its process tree) and its directory deleted on dispose or at process exit.
/// </summary>
internal sealed class RedisServerProcess : IDisposable
{
    private const int MaxAttempts = 5;
    private const int OutputLines = 60;

    private static readonly ConcurrentDictionary<RedisServerProcess, byte> Live = new();
    private static readonly ConcurrentDictionary<string, string?> Versions = new(StringComparer.Ordinal);

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly Lock _outputGate = new();
    private int _disposed;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE0052:Remove unread private members", Justification = "Held, never read: the field keeps the signal registrations alive for the life of the process.")]
    private static readonly PosixSignalRegistration[] SignalRegistrations = RegisterCleanup();

    static RedisServerProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll(TimeSpan.FromSeconds(10));
        StaleServerReaper.Run();
    }

    private RedisServerProcess(Process process, string executablePath, string directory, int port, string? unixSocketPath, string? version)
    {
        _process = process;
        ExecutablePath = executablePath;
        Directory = directory;
        Port = port;
        UnixSocketPath = unixSocketPath;
        Version = version;
    }

    public string ExecutablePath { get; }

    public string Directory { get; }

    public int Port { get; }

    public string? UnixSocketPath { get; }

    public string? Version { get; }

    public int ProcessId { get; private set; }

    /// <summary>Returns the version printed by <c>redis-server --version</c> ("7.0.15"), cached per path.</summary>
    public static string? GetVersion(string executablePath) =>
        Versions.GetOrAdd(executablePath, static path =>
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(path, "--version")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                    CreateNoWindow = true,
                });
                if (process is null)
                {
                    return null;
                }

                var text = process.StandardOutput.ReadToEnd();
                if (!process.WaitForExit(10_000))
                {
                    process.Kill(entireProcessTree: true);
                    return null;
                }

                // "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=..."
                var start = text.IndexOf("v=", StringComparison.Ordinal);
                if (start < 0)
                {
                    return null;
                }

                var end = text.IndexOf(' ', start);
                return end < 0 ? text[(start + 2)..].Trim() : text[(start + 2)..end];
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
            {
                return null;
            }
        });

    public static async Task<RedisServerProcess> StartAsync(string executablePath, TestServerOptions options, CancellationToken ct)
    {
        var directory = CreateDirectory();
        try
        {
            var unixSocketPath = options.UnixSocket ? Path.Combine(directory, "redis.sock") : null;
            var extra = new List<string>(options.ExtraArgs);
            if (options.ExtraArgsFactory is not null)
            {
                extra.AddRange(options.ExtraArgsFactory(directory));
            }

            var version = GetVersion(executablePath);
            var fixedPort = FindPortOverride(extra);
            string? lastFailure = null;
            for (var attempt = 1; attempt <= MaxAttempts; attempt++)
            {
                ct.ThrowIfCancellationRequested();
                var port = FreePort.Allocate();
                var args = new List<string>
                {
                    "--bind", "127.0.0.1",
                    "--port", port.ToString(CultureInfo.InvariantCulture),
                    "--save", string.Empty,
                    "--appendonly", "no",
                    "--dir", directory,
                    "--daemonize", "no",
                    "--logfile", string.Empty,
                };
                if (unixSocketPath is not null)
                {
                    args.AddRange(["--unixsocket", unixSocketPath, "--unixsocketperm", "700"]);
                }

                args.AddRange(extra);
                var effectivePort = fixedPort ?? port;
                var server = Launch(executablePath, args, directory, effectivePort, unixSocketPath, version);
                try
                {
                    if (await server.WaitUntilReadyAsync(options.StartTimeout, ct).ConfigureAwait(false))
                    {
                        return server;
                    }

                    lastFailure = server.DescribeFailure();
                    var portTaken = lastFailure.Contains("Address already in use", StringComparison.OrdinalIgnoreCase);
                    server.Dispose(deleteDirectory: false);
                    if (!portTaken || fixedPort is not null)
                    {
                        break;
                    }
                }
                catch
                {
                    server.Dispose(deleteDirectory: false);
                    throw;
                }
            }

            throw new TestServerUnavailableException(
                $"redis-server ({executablePath}) did not start: {lastFailure}");
        }
        catch
        {
            DeleteDirectory(directory);
            throw;
        }
    }

    public void Dispose() => Dispose(deleteDirectory: true);

    /// <summary>
    /// Starts a redis-server on a given port in a given (existing) directory, e.g. a cluster node, which must
    /// keep its port and its nodes.conf across restarts. Returns the running server, or null and why not
    /// (the directory is left for the caller, who owns it).
    /// </summary>
    internal static async Task<(RedisServerProcess? Server, string? Failure)> StartInDirectoryAsync(
        string executablePath, string directory, int port, IReadOnlyList<string> extraArgs, TimeSpan timeout, CancellationToken ct)
    {
        var args = new List<string>
        {
            "--bind", "127.0.0.1",
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--save", string.Empty,
            "--appendonly", "no",
            "--dir", directory,
            "--daemonize", "no",
            "--logfile", string.Empty,
        };
        args.AddRange(extraArgs);
        return await StartWithArgumentsAsync(executablePath, directory, port, args, timeout, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a redis-server with exactly <paramref name="args"/> (e.g. a config file and <c>--sentinel</c>) in an existing
    /// directory, expecting it to listen on <paramref name="port"/>. Returns the running server, or null and why not
    /// (the directory is left for the caller, who owns it).
    /// </summary>
    internal static async Task<(RedisServerProcess? Server, string? Failure)> StartWithArgumentsAsync(
        string executablePath, string directory, int port, List<string> args, TimeSpan timeout, CancellationToken ct)
    {
        var server = Launch(executablePath, args, directory, port, null, GetVersion(executablePath));
        try
        {
            if (await server.WaitUntilReadyAsync(timeout, ct).ConfigureAwait(false))
            {
                return (server, null);
            }

            var failure = server.DescribeFailure();
            server.Dispose(deleteDirectory: false);
            return (null, failure);
        }
        catch
        {
            server.Dispose(deleteDirectory: false);
            throw;
        }
    }

    /// <summary>Kills the process (SIGKILL on Unix, as <c>kill -9</c>) and keeps its directory, so it can be restarted.</summary>
    internal void Kill() => Dispose(deleteDirectory: false);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Live.TryRemove(this, out _);
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            // Already gone, or not ours to wait for.
        }
        finally
        {
            _process.Dispose();
            DeleteDirectory(Directory);
        }
    }

    private static PosixSignalRegistration[] RegisterCleanup()
    {
        // Since .NET 10 the runtime no longer turns SIGTERM/SIGHUP into ProcessExit, so a test host stopped by a
        // signal would leave its redis-servers running. These handlers only clean up; they do not cancel the
        // signal, so the process still terminates as it would have.
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            return
            [
                PosixSignalRegistration.Create(PosixSignal.SIGTERM, static _ => StopAll(TimeSpan.FromSeconds(2))),
                PosixSignalRegistration.Create(PosixSignal.SIGHUP, static _ => StopAll(TimeSpan.FromSeconds(2))),
            ];
        }

        return [];
    }

    private static void StopAll(TimeSpan wait)
    {
        foreach (var server in Live.Keys)
        {
            server.Dispose(deleteDirectory: true, wait);
        }
    }

    private void Dispose(bool deleteDirectory) => Dispose(deleteDirectory, TimeSpan.FromSeconds(10));

    private void Dispose(bool deleteDirectory, TimeSpan wait)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Live.TryRemove(this, out _);
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit(wait);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
            if (deleteDirectory)
            {
                DeleteDirectory(Directory);
            }
        }
    }

    private static RedisServerProcess Launch(string executablePath, List<string> args, string directory, int port, string? unixSocketPath, string? version)
    {
        var startInfo = new ProcessStartInfo(executablePath)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var server = new RedisServerProcess(process, executablePath, directory, port, unixSocketPath, version);
        process.OutputDataReceived += (_, e) => server.AddOutput(e.Data);
        process.ErrorDataReceived += (_, e) => server.AddOutput(e.Data);
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            process.Dispose();
            throw new TestServerUnavailableException($"redis-server ({executablePath}) could not be started: {e.Message}", e);
        }

        server.ProcessId = process.Id;
        Live.TryAdd(server, 0);
        StaleServerReaper.WriteOwnerFile(directory, process.Id);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private async Task<bool> WaitUntilReadyAsync(TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(20);
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                return false;
            }

            string? reply;
            if (Port > 0)
            {
                reply = await RespProbe.TryPingAsync("127.0.0.1", Port, null, TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            }
            else if (UnixSocketPath is not null)
            {
                reply = await RespProbe.TryPingAsync(null, 0, UnixSocketPath, TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            }
            else
            {
                reply = OutputContains("Ready to accept connections") ? "+READY" : null;
            }

            // "+PONG", or an error such as "-NOAUTH" (requirepass): either way the server is up.
            if (reply is not null && (reply.StartsWith('+') || reply.StartsWith('-')))
            {
                return true;
            }

            await Task.Delay(delay, ct).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }

        AddOutput($"(no answer to PING within {timeout.TotalSeconds:0.#} s)");
        return false;
    }

    private void AddOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputGate)
        {
            _output.Enqueue(line);
            if (_output.Count > OutputLines)
            {
                _output.Dequeue();
            }
        }
    }

    private bool OutputContains(string text)
    {
        lock (_outputGate)
        {
            return _output.Any(line => line.Contains(text, StringComparison.Ordinal));
        }
    }

    private string DescribeFailure()
    {
        string exit;
        try
        {
            exit = _process.HasExited
                ? string.Create(CultureInfo.InvariantCulture, $"exited with code {_process.ExitCode}")
                : "still running but not answering";
            if (_process.HasExited)
            {
                _process.WaitForExit(); // drains the redirected output
            }
        }
        catch (InvalidOperationException)
        {
            exit = "state unknown";
        }

        lock (_outputGate)
        {
            var tail = _output.Count == 0 ? "(no output)" : string.Join(Environment.NewLine, _output.TakeLast(15));
            return $"{exit}; last output:{Environment.NewLine}{tail}";
        }
    }

    private static int? FindPortOverride(List<string> extra)
    {
        int? port = null;
        for (var i = 0; i < extra.Count - 1; i++)
        {
            if (string.Equals(extra[i], "--port", StringComparison.Ordinal) &&
                int.TryParse(extra[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                port = value;
            }
        }

        return port;
    }

    /// <summary>Parent directory for server directories (also scanned by <see cref="StaleServerReaper"/>).</summary>
    internal static string TempRoot()
    {
        var parent = Path.GetTempPath();

        // A Unix socket path must fit in sun_path (108 bytes); fall back to /tmp when TMPDIR is deep.
        if (!OperatingSystem.IsWindows() && parent.Length > 70 && System.IO.Directory.Exists("/tmp"))
        {
            parent = "/tmp";
        }

        return parent;
    }

    internal static string CreateDirectory()
    {
        var path = Path.Combine(TempRoot(), StaleServerReaper.DirectoryPrefix + Guid.NewGuid().ToString("N")[..12]);
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
        }
        else
        {
            System.IO.Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    internal static void DeleteDirectory(string path)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (System.IO.Directory.Exists(path))
                {
                    System.IO.Directory.Delete(path, recursive: true);
                }

                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(50);
            }
        }
    }
}
