using System.Net.Sockets;
using System.Text;

namespace Redis.Testing;

/// <summary>
/// Cheap check whether a Docker engine answers, before Testcontainers is asked to start anything:
/// look for DOCKER_HOST or a known socket file, then send <c>GET /_ping</c> with a short timeout.
/// </summary>
internal static class DockerProbe
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Returns null when an engine answered, otherwise why Docker is considered unavailable.</summary>
    public static async Task<string?> WhyUnavailableAsync(CancellationToken ct)
    {
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (!string.IsNullOrWhiteSpace(dockerHost))
        {
            if (!Uri.TryCreate(dockerHost, UriKind.Absolute, out var uri))
            {
                return $"DOCKER_HOST '{dockerHost}' is not a URI";
            }

            return uri.Scheme switch
            {
                "unix" => await PingAsync(new UnixDomainSocketEndPoint(uri.AbsolutePath), null, ct).ConfigureAwait(false)
                    ? null
                    : $"no Docker engine answers on {dockerHost}",
                "tcp" or "http" or "https" => await PingAsync(null, uri, ct).ConfigureAwait(false)
                    ? null
                    : $"no Docker engine answers on {dockerHost}",
                "npipe" => null, // Windows named pipe: let Testcontainers try (bounded by the caller).
                _ => $"DOCKER_HOST scheme '{uri.Scheme}' is not supported",
            };
        }

        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        foreach (var socketPath in CandidateSockets())
        {
            if (File.Exists(socketPath) &&
                await PingAsync(new UnixDomainSocketEndPoint(socketPath), null, ct).ConfigureAwait(false))
            {
                return null;
            }
        }

        return "DOCKER_HOST unset and no docker.sock answers";
    }

    private static IEnumerable<string> CandidateSockets()
    {
        yield return "/var/run/docker.sock";
        var runtimeDir = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtimeDir))
        {
            yield return Path.Combine(runtimeDir, "docker.sock");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(home))
        {
            yield return Path.Combine(home, ".docker", "run", "docker.sock");
            yield return Path.Combine(home, ".docker", "desktop", "docker.sock");
        }
    }

    private static async Task<bool> PingAsync(UnixDomainSocketEndPoint? unix, Uri? tcp, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(PingTimeout);
        try
        {
            using var socket = unix is not null
                ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
                : new Socket(SocketType.Stream, ProtocolType.Tcp);
            if (unix is not null)
            {
                await socket.ConnectAsync(unix, cts.Token).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(tcp!.Host, tcp.Port, cts.Token).ConfigureAwait(false);
                if (tcp.Scheme == "https" || Environment.GetEnvironmentVariable("DOCKER_TLS_VERIFY") is { Length: > 0 })
                {
                    return true; // TLS-protected engine: a TCP connection is as far as a cheap probe goes.
                }
            }

            await socket.SendAsync("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"u8.ToArray(), SocketFlags.None, cts.Token).ConfigureAwait(false);
            var buffer = new byte[512];
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token).ConfigureAwait(false);
            var text = Encoding.ASCII.GetString(buffer, 0, read);
            return text.StartsWith("HTTP/1.", StringComparison.Ordinal) && text.Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
