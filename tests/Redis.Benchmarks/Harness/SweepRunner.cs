using System.Diagnostics;
using System.Globalization;
using System.Text;
using Redis.Testing;
using StackExchange.Redis;

namespace Redis.Benchmarks.Harness;

/// <summary>
/// The scaling sweeps: <c>dotnet run -c Release --project tests/Redis.Benchmarks -- sweep [--charts docs] [--runs 3] [--seconds 1]</c>.
/// GET throughput against the value size (16 B to 8 MB, one caller) and against the number of concurrent
/// callers (1 to 256, 16 B values), through <see cref="Conn"/>, <see cref="RedisClient"/>, StackExchange.Redis
/// and redis-benchmark, in one run against one local redis-server; then the memory held per idle
/// connection and per client. Every measurement runs for a fixed time (not a fixed count), so the whole
/// sweep stays within a few minutes. Prints a Markdown report; with <c>--charts DIR</c> it also writes
/// <c>bench-value-size.svg</c>, <c>bench-callers.svg</c> and <c>bench-sweep.md</c> there.
/// </summary>
internal static class SweepRunner
{
    private const string Key = "sweep:value";
    private static readonly int[] ValueSizes = [16, 256, 4 * 1024, 64 * 1024, 1024 * 1024, 8 * 1024 * 1024];
    private static readonly int[] CallerCounts = [1, 4, 16, 64, 256];
    private static readonly string[] Clients = ["Conn", "RedisClient", "StackExchange.Redis", "redis-benchmark"];

    public static async Task<int> RunAsync(string[] args)
    {
        string? charts = null;
        int runs = 1;
        double seconds = 1.0;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--charts" when i + 1 < args.Length: charts = args[++i]; break;
                case "--runs" when i + 1 < args.Length: runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--seconds" when i + 1 < args.Length: seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown sweep argument '{args[i]}'. Usage: sweep [--charts DIR] [--runs N] [--seconds S]");
            }
        }
        var total = Stopwatch.StartNew();
        await using TestServer server = await TestServer.StartAsync(new TestServerOptions
        {
            RequireLocalRedisServer = true,
            Reason = "the sweep runs redis-benchmark against its own local redis-server",
            Log = line => Console.Error.WriteLine($"// {line}"),
        }).ConfigureAwait(false);
        RedisBenchmarkTool? redisBenchmark = RedisBenchmarkTool.Find(server.ExecutablePath);
        if (redisBenchmark is null) Console.Error.WriteLine("// redis-benchmark not found: its points are skipped");
        var sweep = new Sweep(server.Host, server.Port, TimeSpan.FromSeconds(seconds), redisBenchmark);

        // results[client][point] = the ops/s of each run
        var bySize = Clients.ToDictionary(c => c, _ => ValueSizes.ToDictionary(s => s, _ => new List<double>()));
        var byCallers = Clients.ToDictionary(c => c, _ => CallerCounts.ToDictionary(n => n, _ => new List<double>()));
        for (int run = 0; run < runs; run++)
        {
            foreach (int size in ValueSizes)
            {
                sweep.Store(size);
                await MeasurePoint(run, $"{FormatSize(size)} value", bySize, size, client => sweep.ValueSize(client, size)).ConfigureAwait(false);
            }
            sweep.Store(16);
            foreach (int callers in CallerCounts)
            {
                await MeasurePoint(run, $"{callers} callers", byCallers, callers, client => sweep.Callers(client, callers)).ConfigureAwait(false);
            }
        }
        string memory = MeasureMemory($"{server.Host}:{server.Port}");
        Console.Error.WriteLine($"// sweep done in {total.Elapsed.TotalSeconds:0} s");

        string machine = $"{HarnessRunner.MachineDescription()}; {server.Description}; .NET {Environment.Version}; StackExchange.Redis {HarnessRunner.StackExchangeVersion()}; {runs} run(s) of {seconds:0.##} s per point, median";
        string report = Report(machine, bySize, byCallers, memory);
        Console.WriteLine(report);
        if (charts is not null)
        {
            Directory.CreateDirectory(charts);
            var sizeChart = new SvgLineChart
            {
                Title = "GET throughput against value size (one caller, one connection)",
                Note = machine.Length > 110 ? machine[..110] + "…" : machine,
                XLabel = "value size",
                YLabel = "GETs per second (log)",
                XTicks = [.. ValueSizes.Select(s => ((double)s, FormatSize(s)))],
            };
            var callerChart = new SvgLineChart
            {
                Title = "GET throughput against concurrent callers (16 B values)",
                Note = "Conn: a connection and thread per caller; RedisClient, SE.Redis: one shared connection, async callers",
                XLabel = "concurrent callers",
                YLabel = "GETs per second (log)",
                XTicks = [.. CallerCounts.Select(n => ((double)n, n.ToString(CultureInfo.InvariantCulture)))],
            };
            foreach (string client in Clients)
            {
                sizeChart.Add(client, [.. bySize[client].Where(p => p.Value.Count > 0).Select(p => ((double)p.Key, HarnessRunner.Median(p.Value)))]);
                callerChart.Add(client, [.. byCallers[client].Where(p => p.Value.Count > 0).Select(p => ((double)p.Key, HarnessRunner.Median(p.Value)))]);
            }
            await File.WriteAllTextAsync(Path.Combine(charts, "bench-value-size.svg"), sizeChart.Render()).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(charts, "bench-callers.svg"), callerChart.Render()).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(charts, "bench-sweep.md"), report).ConfigureAwait(false);
            Console.Error.WriteLine($"// wrote {charts}/bench-value-size.svg, bench-callers.svg, bench-sweep.md");
        }
        return 0;
    }

    // Measures every client at one point, in an order that rotates with the point and the run.
    private static async Task MeasurePoint(int run, string label, Dictionary<string, Dictionary<int, List<double>>> results, int point, Func<string, Task<double>> measure)
    {
        int offset = run + Array.IndexOf(results["Conn"].Keys.ToArray(), point);
        for (int k = 0; k < Clients.Length; k++)
        {
            string client = Clients[(k + offset) % Clients.Length];
            GC.Collect();
            GC.WaitForPendingFinalizers();
            double opsPerSecond;
            try
            {
                opsPerSecond = await measure(client).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Console.Error.WriteLine($"// run {run + 1} {label} {client}: failed: {ex.Message}");
                continue;
            }
            if (double.IsNaN(opsPerSecond)) continue;
            results[client][point].Add(opsPerSecond);
            Console.Error.WriteLine($"// run {run + 1} {label} {client}: {opsPerSecond:N0} ops/s");
        }
    }

    // Managed memory held per idle instance (GC.GetTotalMemory(true) after creating N, minus before, over N)
    // and bytes allocated per instance while creating them (GC.GetTotalAllocatedBytes(true), all threads).
    // Native memory is not in these figures: kernel socket buffers, and for RedisClient its reader thread's
    // stack (reserved, committed as it is touched); the process working set moves too much with the GC's
    // own decommits to attribute per instance.
    private static string MeasureMemory(string address)
    {
        var text = new StringBuilder();
        text.AppendLine("Method: N instances created and kept open; managed heap held = `GC.GetTotalMemory(true)` after minus before, over N; allocated = `GC.GetTotalAllocatedBytes(true)` (all threads) over N. Native memory (socket buffers, the client's reader thread stack) is not included. Buffers rented from `ArrayPool<byte>.Shared` may be served by arrays the pool already held, so \"held\" can undercount them; \"allocated\" is the upper bound.");
        text.AppendLine();
        text.AppendLine("| Instance | managed heap held per idle instance | allocated while creating one |");
        text.AppendLine("|---|---:|---:|");
        Row("idle Conn (Conn.Dial, RESP2)", 200, () => Conn.Dial("tcp", address), o => ((IConn)o).Dispose());
        Row("idle RedisClient (RedisClient.Connect)", 50, () => RedisClient.Connect("tcp", address), o => ((RedisClient)o).Dispose());
        Row("idle StackExchange.Redis ConnectionMultiplexer", 20, () => ConnectionMultiplexer.Connect(new ConfigurationOptions { EndPoints = { address }, AbortOnConnectFail = true }), o => ((ConnectionMultiplexer)o).Dispose());
        return text.ToString();

        void Row(string name, int count, Func<object> create, Action<object> dispose)
        {
            // One of each first: statics, JIT and pools are not per instance.
            dispose(create());
            var instances = new object[count];
            Settle();
            long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            for (int i = 0; i < count; i++) instances[i] = create();
            Thread.Sleep(200); // let reader threads and handshakes settle
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            long heap = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
            GC.KeepAlive(instances);
            foreach (object instance in instances) dispose(instance);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} (N = {count}) | {Kb(heap / (double)count)} | {Kb(allocated / (double)count)} |");
        }

        static void Settle()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }

        static string Kb(double bytes) => (bytes / 1024).ToString("N1", CultureInfo.InvariantCulture) + " KB";
    }

    private static string Report(string machine, Dictionary<string, Dictionary<int, List<double>>> bySize, Dictionary<string, Dictionary<int, List<double>>> byCallers, string memory)
    {
        var text = new StringBuilder();
        text.AppendLine("## Scaling sweeps");
        text.AppendLine();
        text.AppendLine(machine + ".");
        text.AppendLine();
        text.AppendLine("### GET throughput against value size (ops/s; one caller, one connection; our rows read a byte[] per GET)");
        text.AppendLine();
        Table(text, "value size", ValueSizes, FormatSize, bySize);
        text.AppendLine();
        text.AppendLine("### GET throughput against concurrent callers (ops/s; 16 B values)");
        text.AppendLine();
        text.AppendLine("Conn: one connection per caller, each on its own thread; RedisClient and StackExchange.Redis: one shared connection, async callers; redis-benchmark: `-c N`.");
        text.AppendLine();
        Table(text, "callers", CallerCounts, n => n.ToString(CultureInfo.InvariantCulture), byCallers);
        text.AppendLine();
        text.AppendLine("### Memory per idle instance");
        text.AppendLine();
        text.Append(memory);
        return text.ToString();
    }

    private static void Table(StringBuilder text, string title, int[] points, Func<int, string> label, Dictionary<string, Dictionary<int, List<double>>> results)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"| {title} | {string.Join(" | ", Clients)} | Conn / redis-benchmark | RedisClient / StackExchange.Redis |");
        text.AppendLine($"|---|{string.Concat(Clients.Select(_ => "---:|"))}---:|---:|");
        foreach (int point in points)
        {
            double? Median(string client) => results[client][point].Count > 0 ? HarnessRunner.Median(results[client][point]) : null;
            string cells = string.Join(" | ", Clients.Select(c => Median(c) is { } m ? m.ToString("N0", CultureInfo.InvariantCulture) : "–"));
            string connVsBench = Median("Conn") is { } a && Median("redis-benchmark") is { } b ? $"{a / b:0.00}x" : "";
            string clientVsSe = Median("RedisClient") is { } c && Median("StackExchange.Redis") is { } d ? $"{c / d:0.00}x" : "";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {label(point)} | {cells} | {connVsBench} | {clientVsSe} |");
        }
    }

    internal static string FormatSize(int bytes) => bytes switch
    {
        >= 1024 * 1024 => $"{bytes / (1024 * 1024)} MB",
        >= 1024 => $"{bytes / 1024} KB",
        _ => $"{bytes} B",
    };

    /// <summary>The measurements of one sweep run against one server.</summary>
    private sealed class Sweep(string host, int port, TimeSpan duration, RedisBenchmarkTool? redisBenchmark)
    {
        private readonly string _address = $"{host}:{port}";
        private double _lastOursRate = 10_000;

        // The value under the sweep's key and under redis-benchmark's literal key.
        public void Store(int size)
        {
            byte[] value = new byte[size];
            Array.Fill(value, (byte)'v');
            using IConn conn = Conn.Dial("tcp", _address);
            conn.Do("SET", Key, value);
            conn.Do("SET", Workloads.LiteralKey, value);
        }

        public Task<double> ValueSize(string client, int size) => client switch
        {
            "Conn" => Task.Run(() => Ours(ConnValue(size))),
            "RedisClient" => Task.Run(() => Ours(ClientValue(size))),
            "StackExchange.Redis" => Task.Run(() => StackExchangeValue(size)),
            _ => Bench($"-c 1 -d {size} -t get", 1),
        };

        public Task<double> Callers(string client, int callers) => client switch
        {
            "Conn" => Task.Run(() => Ours(ConnCallers(callers))),
            "RedisClient" => OursAsync(ClientCallersAsync(callers)),
            "StackExchange.Redis" => StackExchangeCallersAsync(callers),
            _ => Bench($"-c {callers} -d 16 -t get", callers),
        };

        private async Task<double> OursAsync(Task<double> measuring) => Ours(await measuring.ConfigureAwait(false));

        private double Ours(double rate)
        {
            _lastOursRate = rate;
            return rate;
        }

        // Runs `step` for the duration after a warm-up of a fifth of it; ops/s.
        private double Timed(Action step)
        {
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed < duration / 5) step();
            long n = 0;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < duration)
            {
                step();
                n++;
            }
            return n / watch.Elapsed.TotalSeconds;
        }

        private double ConnValue(int size)
        {
            using var conn = (Conn)Conn.Dial("tcp", _address);
            IRedisCommands commands = ((IConn)conn).Commands();
            RedisKey key = Key;
            return Timed(() =>
            {
                if (commands.Get(key)?.Length != size) throw new InvalidOperationException("wrong value");
            });
        }

        private double ClientValue(int size)
        {
            using RedisClient client = RedisClient.Connect("tcp", _address, clientOptions: new ClientOptions { CommandTimeout = TimeSpan.FromSeconds(30) });
            IRedisCommands commands = client.Commands();
            RedisKey key = Key;
            return Timed(() =>
            {
                if (commands.Get(key)?.Length != size) throw new InvalidOperationException("wrong value");
            });
        }

        private double StackExchangeValue(int size)
        {
            using ConnectionMultiplexer mux = ConnectionMultiplexer.Connect(new ConfigurationOptions { EndPoints = { { host, port } }, AbortOnConnectFail = true, SyncTimeout = 30_000 });
            IDatabase db = mux.GetDatabase();
            return Timed(() =>
            {
                if (((byte[]?)db.StringGet(Key))?.Length != size) throw new InvalidOperationException("wrong value");
            });
        }

        // Callers: each with its own connection, on its own thread, until a shared deadline.
        private double ConnCallers(int callers)
        {
            var conns = Enumerable.Range(0, callers).Select(_ => (Conn)Conn.Dial("tcp", _address)).ToArray();
            try
            {
                return ParallelTimed(callers, i =>
                {
                    IRedisCommands commands = ((IConn)conns[i]).Commands();
                    RedisKey key = Key;
                    return () => commands.Get(key);
                });
            }
            finally
            {
                foreach (Conn conn in conns) conn.Dispose();
            }
        }

        private double ParallelTimed(int callers, Func<int, Action> makeStep)
        {
            long done = 0;
            var start = new Barrier(callers + 1);
            var stopAt = new long[1];
            var threads = Enumerable.Range(0, callers).Select(i => new Thread(() =>
            {
                Action step = makeStep(i);
                for (int w = 0; w < 50; w++) step();
                start.SignalAndWait();
                long mine = 0;
                while (Stopwatch.GetTimestamp() < Volatile.Read(ref stopAt[0]))
                {
                    step();
                    mine++;
                }
                Interlocked.Add(ref done, mine);
            }) { IsBackground = true }).ToArray();
            foreach (Thread thread in threads) thread.Start();
            Volatile.Write(ref stopAt[0], long.MaxValue);
            start.SignalAndWait();
            long begin = Stopwatch.GetTimestamp();
            Volatile.Write(ref stopAt[0], begin + (long)(duration.TotalSeconds * Stopwatch.Frequency));
            foreach (Thread thread in threads) thread.Join();
            return done / Stopwatch.GetElapsedTime(begin).TotalSeconds;
        }

        private async Task<double> ClientCallersAsync(int callers)
        {
            await using RedisClient client = await RedisClient.ConnectAsync("tcp", _address).ConfigureAwait(false);
            IRedisCommands commands = client.Commands();
            RedisKey key = Key;
            return await AsyncTimed(callers, async () => await commands.GetAsync(key).ConfigureAwait(false)).ConfigureAwait(false);
        }

        private async Task<double> StackExchangeCallersAsync(int callers)
        {
            using ConnectionMultiplexer mux = ConnectionMultiplexer.Connect(new ConfigurationOptions { EndPoints = { { host, port } }, AbortOnConnectFail = true });
            IDatabase db = mux.GetDatabase();
            return await AsyncTimed(callers, async () => await db.StringGetAsync(Key).ConfigureAwait(false)).ConfigureAwait(false);
        }

        private async Task<double> AsyncTimed(int callers, Func<Task> step)
        {
            async Task<long> Caller(TimeSpan length)
            {
                long n = 0;
                var watch = Stopwatch.StartNew();
                while (watch.Elapsed < length)
                {
                    await step().ConfigureAwait(false);
                    n++;
                }
                return n;
            }
            await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(() => Caller(duration / 5)))).ConfigureAwait(false);
            var watch = Stopwatch.StartNew();
            long[] counts = await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(() => Caller(duration)))).ConfigureAwait(false);
            return counts.Sum() / watch.Elapsed.TotalSeconds;
        }

        // redis-benchmark for about the same time as ours took: its request count from our last rate.
        private async Task<double> Bench(string arguments, int callers)
        {
            if (redisBenchmark is null) return double.NaN;
            long requests = Math.Clamp((long)(_lastOursRate * duration.TotalSeconds), Math.Max(50, callers * 20L), 5_000_000);
            IReadOnlyDictionary<string, double> rates = await redisBenchmark.RunAsync(host, port, $"{arguments} -n {requests}").ConfigureAwait(false);
            return rates["GET"];
        }
    }
}
