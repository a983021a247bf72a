using System.Runtime.InteropServices;

namespace Redis.Testing;

/// <summary>Sends POSIX signals (SIGSTOP/SIGCONT) to a process: a paused node hangs without closing its sockets, which is what a frozen host looks like.</summary>
internal static class PosixSignals
{
    // Linux values (x86-64 and arm64); macOS and the BSDs use 17/19.
    private const int SigStopLinux = 19;
    private const int SigContLinux = 18;
    private const int SigStopBsd = 17;
    private const int SigContBsd = 19;

    public static void Stop(int pid) => Send(pid, OperatingSystem.IsLinux() ? SigStopLinux : SigStopBsd, "SIGSTOP");

    public static void Continue(int pid) => Send(pid, OperatingSystem.IsLinux() ? SigContLinux : SigContBsd, "SIGCONT");

    private static void Send(int pid, int signal, string name)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException($"{name} needs a POSIX system");
        }

        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"{name} to pid {pid} failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
