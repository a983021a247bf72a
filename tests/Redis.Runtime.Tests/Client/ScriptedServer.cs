using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Redis.Tests.Client;

/// <summary>
/// A RESP server on a loopback port for the client's unit tests: each connection's commands are answered
/// one after the other, in order, by an async handler (which may hold a reply back, like a slow command, or
/// return null for no reply). It can close every connection (a killed connection), refuse new ones (an
/// outage) and push bytes unasked (RESP3 push frames).
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly Func<string[], ValueTask<string?>> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _clients = [];
    private TcpListener _listener;
    private Task _acceptLoop;
    private int _connections;
    private int _commands;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> _where = new();

    public ScriptedServer(Func<string[], ValueTask<string?>> handler)
    {
        _handler = handler;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync(_listener);
    }

    /// <summary>Answers like a tiny Redis: PING, ECHO, GET/SET on a dictionary, INCR; anything else +OK.</summary>
    public static ScriptedServer Simple(Func<string[], ValueTask<string?>?>? overrides = null)
    {
        var data = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        return new ScriptedServer(command =>
        {
            if (overrides?.Invoke(command) is { } custom) return custom;
            string name = command[0].ToUpperInvariant();
            return ValueTask.FromResult<string?>(name switch
            {
                "PING" => "+PONG\r\n",
                "ECHO" => Bulk(command[1]),
                "SET" => Set(data, command[1], command[2]),
                "GET" => data.TryGetValue(command[1], out string? v) ? Bulk(v) : "$-1\r\n",
                "INCR" => ":" + data.AddOrUpdate(command[1], "1", (_, old) => (long.Parse(old) + 1).ToString()) + "\r\n",
                _ => "+OK\r\n",
            });
        });
    }

    private static string Set(System.Collections.Concurrent.ConcurrentDictionary<string, string> data, string key, string value)
    {
        data[key] = value;
        return "+OK\r\n";
    }

    public static string Bulk(string value) => $"${Encoding.UTF8.GetByteCount(value)}\r\n{value}\r\n";

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public int Connections => Volatile.Read(ref _connections);

    public int Commands => Volatile.Read(ref _commands);

    /// <summary>Closes every open client connection (as CLIENT KILL would).</summary>
    public void KillConnections()
    {
        lock (_sockets)
        {
            foreach (Socket socket in _sockets)
            {
                try { socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
                socket.Dispose();
            }
            _sockets.Clear();
        }
    }

    /// <summary>Stops accepting (new connections are refused) and closes the open ones.</summary>
    public async Task GoDownAsync()
    {
        _listener.Stop();
        await _acceptLoop;
        KillConnections();
    }

    /// <summary>Accepts again on the same port.</summary>
    public void ComeBack()
    {
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync(_listener);
    }

    /// <summary>Writes raw bytes to every open connection (a push frame, say).</summary>
    public async Task SendToAllAsync(string raw)
    {
        Socket[] sockets;
        lock (_sockets) sockets = [.. _sockets];
        foreach (Socket socket in sockets) await socket.SendAsync(Encoding.UTF8.GetBytes(raw), SocketFlags.None);
    }

    // Dedicated threads, never the thread pool: tests that block pool threads on purpose (sync callers)
    // must not starve the server.
    private Task AcceptLoopAsync(TcpListener listener)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    Socket socket = listener.AcceptSocket();
                    socket.NoDelay = true;
                    Interlocked.Increment(ref _connections);
                    lock (_sockets) _sockets.Add(socket);
                    var served = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    lock (_clients) _clients.Add(served.Task);
                    new Thread(() => Serve(socket, served)) { IsBackground = true, Name = "scripted server connection" }.Start();
                }
            }
            catch (SocketException) { }
            catch (ObjectDisposedException) { }
            catch (InvalidOperationException) { }
            finally
            {
                done.SetResult();
            }
        }) { IsBackground = true, Name = "scripted server accept" };
        thread.Start();
        return done.Task;
    }

    // Two threads per connection: one reads and counts commands as they arrive, the other answers them
    // in order (so a held reply holds the later ones, as in Redis, while they are still counted).
    private void Serve(Socket socket, TaskCompletionSource served)
    {
        using var commands = new System.Collections.Concurrent.BlockingCollection<string[]>();
        var answerer = new Thread(() => Answer(socket, commands)) { IsBackground = true, Name = "scripted server answers" };
        answerer.Start();
        using var decoder = new RespDecoder();
        byte[] buffer = new byte[64 * 1024];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                int n = socket.Receive(buffer);
                if (n == 0) return;
                decoder.Append(buffer.AsSpan(0, n));
                while (decoder.TryReadObject(out object? command))
                {
                    Interlocked.Increment(ref _commands);
                    commands.Add(((object?[])command!).Select(a => Encoding.UTF8.GetString((byte[])a!)).ToArray());
                }
            }
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        finally
        {
            commands.CompleteAdding();
            answerer.Join();
            lock (_sockets) _sockets.Remove(socket);
            socket.Dispose();
            _where.TryRemove(answerer.ManagedThreadId, out _);
            served.SetResult();
        }
    }

    private void Answer(Socket socket, System.Collections.Concurrent.BlockingCollection<string[]> commands)
    {
        try
        {
            foreach (string[] words in commands.GetConsumingEnumerable())
            {
                _where[Environment.CurrentManagedThreadId] = "handler " + words[0];
                string? reply = _handler(words).AsTask().GetAwaiter().GetResult();
                _where[Environment.CurrentManagedThreadId] = "idle";
                if (reply is not null) socket.Send(Encoding.UTF8.GetBytes(reply));
            }
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop;
        KillConnections();
        Task[] clients;
        lock (_clients) clients = [.. _clients];
        try
        {
            await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // A handler still held by a gate the test never opened (it failed first): leave the thread
            // (a background thread) rather than hide the test's own failure behind this one.
            Console.Error.WriteLine($"ScriptedServer: {clients.Count(c => !c.IsCompleted)} connection thread(s) still busy: {string.Join(" | ", _where.Values)}");
        }
    }
}
