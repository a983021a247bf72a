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

    /// <summary>
    /// A port P for a cluster node: P and its cluster bus port P+10000 both free on 127.0.0.1, and neither
    /// handed out recently. Chosen from 15000-22767 so that both lie below Linux's ephemeral range
    /// (32768+): an outgoing connection of any process cannot then take the bus port between this check and
    /// the node's start, which is what makes "free port + 10000" unreliable with OS-assigned ports.
    /// </summary>
    public static int AllocateWithBusPort()
    {
        const int first = 15000;
        const int last = 22767;
        lock (Gate)
        {
            var start = Random.Shared.Next(first, last + 1);
            for (var i = 0; i <= last - first; i++)
            {
                var port = first + ((start - first + i) % (last - first + 1));
                if (RecentSet.Contains(port) || RecentSet.Contains(port + 10000) || !IsFree(port) || !IsFree(port + 10000))
                {
                    continue;
                }

                foreach (var taken in new[] { port, port + 10000 })
                {
                    Recent.Enqueue(taken);
                    RecentSet.Add(taken);
                }

                while (Recent.Count > 256)
                {
                    RecentSet.Remove(Recent.Dequeue());
                }

                return port;
            }
        }

        throw new TestServerUnavailableException("no port P with P and P+10000 both free on 127.0.0.1 in 15000-22767");
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
