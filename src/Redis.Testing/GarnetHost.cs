using System.Globalization;
using System.Reflection;
using Garnet;

namespace Redis.Testing;

/// <summary>An embedded Garnet server (<c>Microsoft.Garnet</c>) running inside this process on a free loopback port.</summary>
internal sealed class GarnetHost : IDisposable
{
    private const int MaxAttempts = 5;

    private readonly GarnetServer _server;
    private int _disposed;

    private GarnetHost(GarnetServer server, int port)
    {
        _server = server;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The Microsoft.Garnet package version, e.g. "2.2.8".</summary>
    public static string Version { get; } = ReadVersion();

    public static async Task<GarnetHost> StartAsync(TimeSpan timeout, CancellationToken ct)
    {
        Exception? lastError = null;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            var port = FreePort.Allocate();
            GarnetServer? server = null;
            try
            {
                server = new GarnetServer(
                [
                    "--port", port.ToString(CultureInfo.InvariantCulture),
                    "--bind", "127.0.0.1",
                    "--lua",
                    "-q", // quiet: no banner on the console
                ]);
                server.Start();
                var host = new GarnetHost(server, port);
                var reply = await RespProbe.TryPingAsync("127.0.0.1", port, null, timeout, ct).ConfigureAwait(false);
                if (reply is not null)
                {
                    return host;
                }

                host.Dispose();
                lastError = new TimeoutException($"embedded Garnet on 127.0.0.1:{port} did not answer PING");
            }
            catch (Exception e) when (e is not OperationCanceledException && e is not OutOfMemoryException)
            {
                server?.Dispose();
                lastError = e;
            }
        }

        throw new TestServerUnavailableException($"embedded Garnet could not be started: {lastError?.Message}", lastError);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _server.Dispose();
        }
    }

    private static string ReadVersion()
    {
        var assembly = typeof(GarnetServer).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(informational))
        {
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? informational : informational[..plus];
        }

        return assembly.GetName().Version?.ToString(3) ?? "?";
    }
}
