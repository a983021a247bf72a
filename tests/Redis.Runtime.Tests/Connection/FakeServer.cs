using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Redis.Tests.Connection;

/// <summary>
/// A scripted RESP server on a loopback port for tests that need exact bytes or misbehaviour a real
/// server will not produce. It parses each command with the library's own decoder, records the raw
/// bytes and answers with what the handler returns (null: no answer at all).
/// </summary>
internal sealed class FakeServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<string[], string?> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _clients = [];
    private readonly MemoryStream _received = new();
    private readonly Task _acceptLoop;

    public FakeServer(Func<string[], string?> handler)
    {
        _handler = handler;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Address => $"127.0.0.1:{Port}";

    public int Connections { get; private set; }

    /// <summary>Every byte received so far, as text.</summary>
    public string Received
    {
        get
        {
            lock (_received) return Encoding.UTF8.GetString(_received.ToArray());
        }
    }

    public static FakeServer AnswerOk() => new(_ => "+OK\r\n");

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket = await _listener.AcceptSocketAsync(_stop.Token);
                Connections++;
                lock (_clients) _clients.Add(ServeAsync(socket));
            }
        }
        catch (OperationCanceledException) { }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        using var decoder = new RespDecoder();
        byte[] buffer = new byte[8192];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                int n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (n == 0) return;
                lock (_received) _received.Write(buffer, 0, n);
                decoder.Append(buffer.AsSpan(0, n));
                while (decoder.TryReadObject(out object? command))
                {
                    string[] words = ((object?[])command!).Select(a => Encoding.UTF8.GetString((byte[])a!)).ToArray();
                    string? reply = _handler(words);
                    if (reply is not null) await socket.SendAsync(Encoding.UTF8.GetBytes(reply), SocketFlags.None, _stop.Token);
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (SocketException) { }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop;
        Task[] clients;
        lock (_clients) clients = [.. _clients];
        await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(5));
    }
}
