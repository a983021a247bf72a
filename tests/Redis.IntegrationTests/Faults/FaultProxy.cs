using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Redis.Tests.Faults;

/// <summary>
/// A loopback TCP proxy in front of a real server that injects faults: each accepted connection
/// gets a <see cref="FaultPlan"/> from a planner seeded with (seed, connection index), so a failing
/// run replays with the same seed. It can cut a connection after N bytes in either direction
/// (mid-reply), reset it (RST), stall it, black-hole it (accept, then never answer), trickle a
/// never-ending 512 MB bulk to it, delay its chunks, close new connections at once, and
/// stop listening for a while (<see cref="RefuseFor"/>: connects are refused). Disposing it closes
/// every socket and waits for every task it started: nothing is left running.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable, IDisposable
{
    private const int ChunkSize = 16 * 1024;
    private const int TrickleChunk = 64 * 1024;

    private readonly IPEndPoint _upstream;
    private readonly int _seed;
    private readonly Func<int, Random, FaultPlan> _planner;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Session, Task> _sessions = new();
    private readonly Lock _listenerLock = new();
    private readonly Task _acceptLoop;
    private Socket? _listener;
    private long _refuseUntil;
    private int _nextIndex = -1;
    private int _disposed;

    /// <summary>Starts listening on a free loopback port in front of <paramref name="upstream"/>.</summary>
    /// <param name="upstream">The real server.</param>
    /// <param name="seed">Seeds every connection's plan.</param>
    /// <param name="planner">Picks the plan of connection number <c>index</c> from a generator seeded for it; none means no faults.</param>
    public FaultProxy(IPEndPoint upstream, int seed, Func<int, Random, FaultPlan>? planner = null)
    {
        _upstream = upstream;
        _seed = seed;
        _planner = planner ?? ((_, _) => FaultPlan.None);
        _listener = Listen(0);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Starts a proxy in front of <paramref name="upstreamAddress"/> (<c>host:port</c>, host an IP literal or localhost).</summary>
    public static FaultProxy Start(string upstreamAddress, int seed, Func<int, Random, FaultPlan>? planner = null)
    {
        int colon = upstreamAddress.LastIndexOf(':');
        string host = upstreamAddress[..colon].Trim('[', ']');
        IPAddress ip = host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);
        return new FaultProxy(new IPEndPoint(ip, int.Parse(upstreamAddress[(colon + 1)..], CultureInfo.InvariantCulture)), seed, planner);
    }

    /// <summary>The port the proxy listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:Port</c>.</summary>
    public string Address => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>What the proxy did so far.</summary>
    public FaultCounters Counters { get; } = new();

    /// <summary>Connections being proxied now.</summary>
    public int OpenSessions => _sessions.Count;

    /// <summary>The number of refusal windows started with <see cref="RefuseFor"/>.</summary>
    public int RefusalWindows { get; private set; }

    /// <summary>
    /// Closes (FIN) the sessions that have been stalled for at least <paramref name="age"/>: the way out
    /// for a client that never leaves a stalled connection by itself. Returns how many it closed.
    /// </summary>
    public int ReleaseStalls(TimeSpan age)
    {
        int released = 0;
        foreach (Session session in _sessions.Keys)
        {
            if (session.StalledFor(age) && session.Close(reset: false)) released++;
        }
        return released;
    }

    /// <summary>
    /// Stalls every session open now (nothing more is forwarded either way until the client leaves), as
    /// a hung server or a black-holed path would. Counted as stalls. Returns how many it stalled.
    /// </summary>
    public int StallSessions()
    {
        int stalled = 0;
        foreach (Session session in _sessions.Keys)
        {
            if (session.StallNow()) stalled++;
        }
        return stalled;
    }

    /// <summary>Closes (FIN) every session open now, without counting a fault. Returns how many it closed.</summary>
    public int CloseSessions()
    {
        int closed = 0;
        foreach (Session session in _sessions.Keys)
        {
            if (session.Close(reset: false)) closed++;
        }
        return closed;
    }

    /// <summary>Stops listening for <paramref name="duration"/> (new connects are refused), then listens again on the same port.</summary>
    public void RefuseFor(TimeSpan duration)
    {
        lock (_listenerLock)
        {
            Volatile.Write(ref _refuseUntil, Environment.TickCount64 + (long)duration.TotalMilliseconds);
            RefusalWindows++;
            _listener?.Dispose(); // wakes the accept loop, which waits out the window
            _listener = null;
        }
    }

    /// <summary>Closes the listener and every proxied connection, and waits for all the proxy's tasks.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Cancel();
        lock (_listenerLock)
        {
            _listener?.Dispose();
            _listener = null;
        }
        foreach (Session session in _sessions.Keys) session.Close(reset: false);
        Task all = Task.WhenAll(_sessions.Values.Append(_acceptLoop));
        if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(10))) != all)
        {
            throw new InvalidOperationException($"The fault proxy did not stop within 10 s ({_sessions.Count} sessions left).");
        }
        _stop.Dispose();
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private Socket Listen(int port)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            listener.Listen(512);
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    private async Task AcceptLoopAsync()
    {
        CancellationToken stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            Socket? listener;
            lock (_listenerLock) listener = _listener;
            if (listener is null)
            {
                long wait = Volatile.Read(ref _refuseUntil) - Environment.TickCount64;
                if (wait > 0)
                {
                    try { await Task.Delay(TimeSpan.FromMilliseconds(wait), stop).ConfigureAwait(false); }
                    catch (OperationCanceledException) { return; }
                    continue;
                }
                lock (_listenerLock)
                {
                    if (stop.IsCancellationRequested) return;
                    _listener ??= Listen(Port);
                }
                continue;
            }

            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                continue; // disposed (stop, or a refusal window): the loop decides
            }

            int index = Interlocked.Increment(ref _nextIndex);
            Counters.Accept();
            FaultPlan plan = _planner(index, new Random(HashCode.Combine(_seed, index)));
            if (plan.Kind == FaultKind.Refuse)
            {
                Counters.Refuse();
                client.Dispose();
                continue;
            }
            var session = new Session(this, client, plan, new Random(HashCode.Combine(_seed, index, 1)));
            Task placeholder = Task.CompletedTask;
            _sessions[session] = placeholder;
            Task run = session.RunAsync(stop).ContinueWith(
                _ => _sessions.TryRemove(session, out Task? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            _sessions.TryUpdate(session, run, placeholder); // fails only when the session already ended and left
        }
    }

    /// <summary>One proxied connection: two pumps, one per direction.</summary>
    private sealed class Session(FaultProxy proxy, Socket client, FaultPlan plan, Random random)
    {
        private readonly Socket _server = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        private readonly Lock _randomLock = new();
        private int _closed;
        private volatile bool _stalled;
        private long _stalledSince;

        public async Task RunAsync(CancellationToken stop)
        {
            try
            {
                client.NoDelay = true;
                await _server.ConnectAsync(proxy._upstream, stop).ConfigureAwait(false);
                await Task.WhenAll(PumpAsync(client, _server, serverToClient: false, stop), PumpAsync(_server, client, serverToClient: true, stop)).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The session ends however it ends; the client sees a closed connection.
            }
            finally
            {
                Close(reset: false);
            }
        }

        /// <summary>True when this session has been stalled for at least <paramref name="age"/> and is still open.</summary>
        public bool StalledFor(TimeSpan age)
            => _stalled && Volatile.Read(ref _closed) == 0
               && Stopwatch.GetElapsedTime(Volatile.Read(ref _stalledSince)) >= age;

        /// <summary>Stalls this session now; false when it was already stalled or closed.</summary>
        public bool StallNow()
        {
            if (_stalled || Volatile.Read(ref _closed) != 0) return false;
            proxy.Counters.Stall();
            Volatile.Write(ref _stalledSince, Stopwatch.GetTimestamp());
            _stalled = true;
            return true;
        }

        /// <summary>Closes both sockets; false when the session was already closed.</summary>
        public bool Close(bool reset)
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0) return false;
            try
            {
                if (reset) client.LingerState = new LingerOption(true, 0);
            }
            catch (Exception)
            {
                // Already gone.
            }
            client.Dispose();
            _server.Dispose();
            return true;
        }

        private async Task PumpAsync(Socket from, Socket to, bool serverToClient, CancellationToken stop)
        {
            bool watched = plan.Kind switch
            {
                FaultKind.CutClientToServer or FaultKind.BlackHole => !serverToClient,
                FaultKind.CutServerToClient or FaultKind.Reset or FaultKind.Stall or FaultKind.TrickleBulk => serverToClient,
                _ => false,
            };
            byte[] buffer = new byte[ChunkSize];
            long passed = 0;
            try
            {
                while (true)
                {
                    int n = await from.ReceiveAsync(buffer, SocketFlags.None, stop).ConfigureAwait(false);
                    if (n == 0)
                    {
                        Close(reset: false); // one side left: so does the other
                        return;
                    }
                    if (_stalled) continue; // swallow: nothing moves until the client leaves
                    if (plan.Kind == FaultKind.Delay)
                    {
                        int ms;
                        lock (_randomLock) ms = random.Next((int)plan.Delay.TotalMilliseconds + 1);
                        proxy.Counters.DelayChunk();
                        await Task.Delay(ms, stop).ConfigureAwait(false);
                    }
                    int allowed = n;
                    bool trigger = watched && passed + n >= plan.AfterBytes;
                    if (trigger) allowed = (int)(plan.AfterBytes - passed);
                    if (allowed > 0) await SendAllAsync(to, buffer.AsMemory(0, allowed), stop).ConfigureAwait(false);
                    passed += allowed;
                    if (trigger)
                    {
                        Trigger(); // a stall leaves the other pump draining the client until it leaves
                        if (plan.Kind == FaultKind.TrickleBulk)
                        {
                            await TrickleAsync(to, stop).ConfigureAwait(false);
                            return;
                        }
                        // A black hole keeps reading (and dropping) what the client sends: that is how
                        // the session notices the client leaving.
                        if (plan.Kind != FaultKind.BlackHole) return;
                    }
                }
            }
            catch (Exception)
            {
                Close(reset: false);
            }
        }

        private void Trigger()
        {
            switch (plan.Kind)
            {
                case FaultKind.CutClientToServer:
                case FaultKind.CutServerToClient:
                    proxy.Counters.Cut();
                    Close(reset: false);
                    break;
                case FaultKind.Reset:
                    proxy.Counters.Reset();
                    Close(reset: true);
                    break;
                case FaultKind.Stall:
                    proxy.Counters.Stall();
                    Volatile.Write(ref _stalledSince, Stopwatch.GetTimestamp());
                    _stalled = true;
                    break;
                case FaultKind.BlackHole:
                    proxy.Counters.BlackHole();
                    Volatile.Write(ref _stalledSince, Stopwatch.GetTimestamp());
                    _stalled = true;
                    break;
                case FaultKind.TrickleBulk:
                    proxy.Counters.Trickle();
                    break;
            }
        }

        // The server's replies are no longer forwarded (this pump stops reading them); the client gets
        // a 512 MB bulk header and then zeros at the plan's pace, until it leaves or the proxy stops.
        private async Task TrickleAsync(Socket to, CancellationToken stop)
        {
            byte[] header = "$536870912\r\n"u8.ToArray();
            await SendAllAsync(to, header, stop).ConfigureAwait(false);
            proxy.Counters.Trickled(header.Length);
            byte[] chunk = new byte[TrickleChunk];
            for (long sent = 0; sent < 536870912 - TrickleChunk; sent += TrickleChunk)
            {
                await Task.Delay(plan.Delay, stop).ConfigureAwait(false);
                await SendAllAsync(to, chunk, stop).ConfigureAwait(false);
                proxy.Counters.Trickled(chunk.Length);
            }
        }

        private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken stop)
        {
            while (!data.IsEmpty)
            {
                int sent = await socket.SendAsync(data, SocketFlags.None, stop).ConfigureAwait(false);
                data = data[sent..];
            }
        }
    }
}
