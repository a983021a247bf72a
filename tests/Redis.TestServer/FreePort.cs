using System.Net;
using System.Net.Sockets;

namespace Redis.Testing;

/// <summary>Hands out free loopback TCP ports, never the same one twice in a row within this process.</summary>
internal static class FreePort
{
    private static readonly Lock Gate = new();
    private static readonly Queue<int> Recent = new();
    private static readonly HashSet<int> RecentSet = [];

    /// <summary>Asks the OS for a free port on 127.0.0.1 (bind to port 0, read it, release it).</summary>
    public static int Allocate()
    {
        lock (Gate)
        {
            for (var attempt = 0; ; attempt++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                int port;
                try
                {
                    port = ((IPEndPoint)listener.LocalEndpoint).Port;
                }
                finally
                {
                    listener.Stop();
                }

                if (RecentSet.Contains(port) && attempt < 20)
                {
                    continue;
                }

                Recent.Enqueue(port);
                RecentSet.Add(port);
                if (Recent.Count > 64)
                {
                    RecentSet.Remove(Recent.Dequeue());
                }

                return port;
            }
        }
    }
}
