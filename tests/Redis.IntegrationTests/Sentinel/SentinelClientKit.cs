using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Redis.Testing;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests.Sentinel;

/// <summary>Shared pieces of the Sentinel client tests: concurrent writers that record acknowledged writes, a switch clock, a fake sentinel.</summary>
internal static class SentinelClientKit
{
    /// <summary>Bounded options for direct checks of a node (a node that stops answering fails the test instead of hanging it).</summary>
    public static readonly DialOptions Bounded = new() { ConnectTimeout = TimeSpan.FromSeconds(5), ReadTimeout = TimeSpan.FromSeconds(10), WriteTimeout = TimeSpan.FromSeconds(10) };

    /// <summary>A Sentinel client over the set's sentinels that re-checks quickly (the tests wait less).</summary>
    public static Redis.Sentinel For(LocalSentinelSet set, TimeSpan? confirm = null) =>
        new(set.SentinelAddresses, set.MasterName, set.Options.SentinelPassword is { } p ? new DialOptions { Password = p } : null)
        {
            CheckInterval = TimeSpan.FromSeconds(1),
            MasterConfirmTimeout = confirm ?? TimeSpan.FromSeconds(10),
            DataNodeDialOptions = set.Options.DataPassword is { } d ? new DialOptions { Password = d } : null,
        };

    /// <summary>Options for the data nodes of <paramref name="set"/> (its data password, if any).</summary>
    public static DialOptions DataOptions(LocalSentinelSet set) => new() { Password = set.Options.DataPassword, ConnectTimeout = TimeSpan.FromSeconds(2) };

    /// <summary>A client with a short command timeout, so writes to a frozen master fail instead of waiting long.</summary>
    public static ClientOptions ClientOptions => new() { CommandTimeout = TimeSpan.FromSeconds(2), ReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(500) };

    /// <summary>Runs a command on <paramref name="node"/> over a fresh bounded connection.</summary>
    public static async Task<object?> On(LocalSentinelSet set, LocalSentinelNode node, string command, params object?[] args)
    {
        await using IConn conn = await Conn.DialAsync("tcp", node.Address, Bounded with { Password = node.IsSentinel ? set.Options.SentinelPassword : set.Options.DataPassword });
        return await conn.DoAsync(command, args, CancellationToken.None);
    }

    /// <summary>The first moment <paramref name="clock"/> saw a +switch-master on the set's first sentinel (a task that completes then).</summary>
    public static async Task<Task<TimeSpan>> WatchSwitchAsync(LocalSentinelSet set, Stopwatch clock, TimeSpan timeout)
    {
        PubSubConn sub = await Infrastructure.SentinelFixture.SubscribeAsync(set, set.Sentinels[0], "+switch-master");
        return Task.Run(async () =>
        {
            await using (sub)
            {
                await Infrastructure.SentinelFixture.ReceiveAsync(sub, "+switch-master", timeout);
                return clock.Elapsed;
            }
        });
    }

    /// <summary>The first moment the client's reconnect count grew (polled every 5 ms), or null after <paramref name="timeout"/>.</summary>
    public static Task<TimeSpan?> WatchReconnectAsync(RedisClient client, Stopwatch clock, TimeSpan timeout) => Task.Run(async () =>
    {
        long before = client.Stats.Reconnects;
        var limit = Stopwatch.StartNew();
        while (limit.Elapsed < timeout)
        {
            if (client.Stats.Reconnects > before) return (TimeSpan?)clock.Elapsed;
            await Task.Delay(5);
        }

        return null;
    });

    /// <summary>
    /// The first moment <paramref name="node"/> answered ROLE <c>master</c> (polled every 2 ms; Sentinel's reconfiguration
    /// kills normal clients, so the poller dials again), or null after <paramref name="timeout"/>.
    /// </summary>
    public static Task<TimeSpan?> WatchPromotionAsync(LocalSentinelSet set, LocalSentinelNode node, Stopwatch clock, TimeSpan timeout) => Task.Run(async () =>
    {
        var limit = Stopwatch.StartNew();
        while (limit.Elapsed < timeout)
        {
            try
            {
                await using IConn conn = await Conn.DialAsync("tcp", node.Address, Bounded with { Password = set.Options.DataPassword });
                while (limit.Elapsed < timeout)
                {
                    if (Text(((object?[])(await conn.DoAsync("ROLE", [], CancellationToken.None))!)[0]) == "master") return (TimeSpan?)clock.Elapsed;
                    await Task.Delay(2);
                }
            }
            catch (RedisConnectionException)
            {
                // Killed by Sentinel's CLIENT KILL: dial again.
            }
        }

        return null;
    });

    public static string Ms(TimeSpan? t) => t is { } v ? v.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms" : "n/a";
}

/// <summary>
/// Concurrent writers through one <see cref="RedisClient"/>: writer w RPUSHes 0, 1, 2, ... onto its own list and records
/// each value whose reply came back (an acknowledged write) with the time; failures are counted and retried after 10 ms.
/// </summary>
internal sealed class Writers
{
    private readonly RedisClient _client;
    private readonly Stopwatch _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(int Writer, long Value, TimeSpan At)> _acked = new();
    private readonly ConcurrentDictionary<string, int> _errors = new();
    private readonly Task[] _tasks;
    private int _failures;

    public Writers(RedisClient client, string prefix, int count, Stopwatch clock)
    {
        _client = client;
        _clock = clock;
        Keys = [.. Enumerable.Range(0, count).Select(w => $"{prefix}:w{w}")];
        _tasks = [.. Enumerable.Range(0, count).Select(w => Task.Run(() => RunAsync(w)))];
    }

    public string[] Keys { get; }

    public int Failures => Volatile.Read(ref _failures);

    public int AckedCount => _acked.Count;

    /// <summary>Distinct error messages seen (first 3), for the log.</summary>
    public string ErrorSample => string.Join(" | ", _errors.Keys.Take(3));

    /// <summary>Waits until at least <paramref name="n"/> more writes are acknowledged after now (bounded).</summary>
    public async Task WaitForAcksAfterAsync(TimeSpan since, int n, TimeSpan timeout)
    {
        var limit = Stopwatch.StartNew();
        while (_acked.Count(a => a.At >= since) < n)
        {
            if (limit.Elapsed > timeout) throw new TimeoutException($"fewer than {n} writes acknowledged within {timeout.TotalSeconds:0} s after {since.TotalMilliseconds:0} ms ({Failures} failures: {ErrorSample})");
            await Task.Delay(20);
        }
    }

    /// <summary>The first acknowledgement at or after <paramref name="since"/>.</summary>
    public TimeSpan? FirstAckAfter(TimeSpan since) => _acked.Where(a => a.At >= since).Select(a => (TimeSpan?)a.At).Min();

    /// <summary>The longest time without any acknowledgement among all writers (how long writes were interrupted).</summary>
    public (TimeSpan Gap, TimeSpan From) LongestGap()
    {
        TimeSpan[] times = [.. _acked.Select(a => a.At).Order()];
        (TimeSpan gap, TimeSpan from) = (TimeSpan.Zero, TimeSpan.Zero);
        for (int i = 1; i < times.Length; i++)
        {
            if (times[i] - times[i - 1] > gap) (gap, from) = (times[i] - times[i - 1], times[i - 1]);
        }

        return (gap, from);
    }

    public async Task StopAsync()
    {
        _stop.Cancel();
        await Task.WhenAll(_tasks).WaitAsync(TimeSpan.FromSeconds(15));
    }

    /// <summary>Acknowledged values missing from the lists on <paramref name="node"/> ("writer:value"), after the writers stopped.</summary>
    public async Task<List<string>> MissingOnAsync(LocalSentinelSet set, LocalSentinelNode node)
    {
        var missing = new List<string>();
        for (int w = 0; w < Keys.Length; w++)
        {
            var present = ((object?[])(await SentinelClientKit.On(set, node, "LRANGE", Keys[w], 0, -1))!).Select(v => long.Parse(Text(v), CultureInfo.InvariantCulture)).ToHashSet();
            missing.AddRange(_acked.Where(a => a.Writer == w && !present.Contains(a.Value)).Select(a => $"w{w}:{a.Value}@{a.At.TotalMilliseconds:0}ms"));
        }

        return missing;
    }

    private async Task RunAsync(int writer)
    {
        long next = 0;
        while (!_stop.IsCancellationRequested)
        {
            long value = next++;
            try
            {
                await _client.DoAsync("RPUSH", Keys[writer], value);
                _acked.Enqueue((writer, value, _clock.Elapsed));
            }
            catch (RedisException ex)
            {
                Interlocked.Increment(ref _failures);
                _errors.TryAdd(ex.GetType().Name + ": " + (ex.Message.Length > 120 ? ex.Message[..120] : ex.Message), 0);
                try
                {
                    await Task.Delay(10, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}

/// <summary>
/// A fake sentinel on 127.0.0.1: answers <c>SENTINEL get-master-addr-by-name</c> with the addresses it was given, one per
/// question and then the last one again (whatever the nodes there are), <c>SENTINEL sentinels</c> with an empty list, and
/// anything else with an error. For the "master not confirmed" cases and the answers that change between two questions,
/// which real sentinels only produce in short windows.
/// </summary>
internal sealed class FakeSentinel : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Queue<string> _answers;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;

    public FakeSentinel(params string[] masterAddresses)
    {
        if (masterAddresses.Length == 0) throw new ArgumentException("At least one address.", nameof(masterAddresses));
        _answers = new Queue<string>(masterAddresses);
        _listener.Start();
        _accept = Task.Run(AcceptAsync);
    }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Names <paramref name="masterAddress"/> from now on.</summary>
    public void Name(string masterAddress)
    {
        lock (_lock)
        {
            _answers.Clear();
            _answers.Enqueue(masterAddress);
        }
    }

    private string NextAnswer()
    {
        lock (_lock)
        {
            return _answers.Count > 1 ? _answers.Dequeue() : _answers.Peek();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _accept.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or TimeoutException)
        {
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient tcp;
            try
            {
                tcp = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(tcp));
        }
    }

    private async Task ServeAsync(TcpClient tcp)
    {
        using (tcp)
        {
            try
            {
                using var reader = new StreamReader(tcp.GetStream(), Encoding.ASCII);
                Stream stream = tcp.GetStream();
                while (!_stop.IsCancellationRequested)
                {
                    string? header = await reader.ReadLineAsync(_stop.Token);
                    if (header is null || !header.StartsWith('*')) return;
                    var args = new List<string>();
                    for (int i = int.Parse(header[1..], CultureInfo.InvariantCulture); i > 0; i--)
                    {
                        await reader.ReadLineAsync(_stop.Token); // $len
                        args.Add((await reader.ReadLineAsync(_stop.Token))!);
                    }

                    string sub = args.Count > 1 ? args[1].ToLowerInvariant() : "";
                    string reply = (args[0].ToUpperInvariant(), sub) switch
                    {
                        ("SENTINEL", "get-master-addr-by-name") => AddressReply(NextAnswer()),
                        ("SENTINEL", "sentinels") => "*0\r\n",
                        _ => "-ERR fake sentinel\r\n",
                    };
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(reply), _stop.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static string AddressReply(string address)
    {
        int colon = address.LastIndexOf(':');
        (string host, string port) = (address[..colon], address[(colon + 1)..]);
        return $"*2\r\n${host.Length}\r\n{host}\r\n${port.Length}\r\n{port}\r\n";
    }
}
