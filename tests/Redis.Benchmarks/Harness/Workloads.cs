using System.Diagnostics;
using StackExchange.Redis;

namespace Redis.Benchmarks.Harness;

/// <summary>Who produced a number: this project, StackExchange.Redis, or the C reference.</summary>
internal enum Peer
{
    Ours,
    StackExchangeRedis,
    RedisBenchmark,
}

/// <summary>One client's way of running one workload; <see cref="Measure"/> returns operations per second.</summary>
internal sealed record Contender(string Workload, string Name, Peer Peer, Func<Task<double>> Measure);

/// <summary>
/// The workloads of the README's benchmark table (W1 to W4 and the cache's W6), each through this project's clients, StackExchange.Redis and
/// redis-benchmark. Every measurement opens its own connection (outside the timed part), warms up,
/// then times the operations. Keys and values match what redis-benchmark uses: <c>key:NNNNNNNNNNNN</c>
/// with <c>-r</c>, the literal <c>key:__rand_int__</c> without it.
/// </summary>
internal sealed class Workloads
{
    public const string LiteralKey = "key:__rand_int__";
    private const int Keyspace = 100_000;
    private const int Callers = 64;
    private const int PipelineDepth = 100;
    private const int SmallValueSize = 16;
    private const int LargeValueSize = 100 * 1024;

    private readonly string _host;
    private readonly int _port;
    private readonly HarnessOptions _options;
    private readonly RedisBenchmarkTool? _redisBenchmark;
    private readonly string[] _keys;
    private readonly byte[] _smallValue = "0123456789abcdef"u8.ToArray();
    private readonly byte[] _largeValue = new byte[LargeValueSize];

    public Workloads(string host, int port, HarnessOptions options, RedisBenchmarkTool? redisBenchmark)
    {
        _host = host;
        _port = port;
        _options = options;
        _redisBenchmark = redisBenchmark;
        _keys = Enumerable.Range(0, Keyspace).Select(i => $"key:{i:D12}").ToArray();
        Array.Fill(_largeValue, (byte)'x');
    }

    private string Address => $"{_host}:{_port}";

    public int W1Count => _options.Scale(100_000);
    public int W2Count => _options.Scale(1_000_000);
    public int W3Count => _options.Scale(500_000);
    public int W4Count => _options.Scale(20_000);
    public int W6Count => _options.Scale(1_000_000);

    /// <summary>W6: bytes allocated per cached hit on the calling thread (10,000 sync hits of a 16 B value), from the last W6 hit run.</summary>
    public double W6BytesPerSyncHit { get; private set; } = double.NaN;

    /// <summary>W6: bytes allocated per cached hit by the 64 async callers (GC.GetTotalAllocatedBytes over the timed run), from the last W6 hit run.</summary>
    public double W6BytesPerAsyncHit { get; private set; } = double.NaN;

    public static IReadOnlyList<(string Id, string Title)> Titles { get; } =
    [
        ("W1", "sequential SET then GET, 16 B values, one connection"),
        ("W2", "GET in explicit pipelines of 100, one connection"),
        ("W3", "64 concurrent callers doing GET, one shared connection"),
        ("W4", "GET of a 100 KB value, one connection"),
        ("W6", "64 concurrent callers doing GET of 1,000 keys, client-side cache hits vs uncached, one RedisClient"),
    ];

    /// <summary>Writes the keys the workloads read (the 16 B value under the literal key, the 100 KB one under its own).</summary>
    public void Prepare()
    {
        using IConn conn = Conn.Dial("tcp", Address);
        conn.Do("FLUSHALL");
        conn.Do("SET", LiteralKey, _smallValue);
        conn.Do("SET", LargeKey, _largeValue);
    }

    // redis-benchmark reads the literal key; for W4 it must hold the 100 KB value while W4 runs.
    private const string LargeKey = "harness:large";

    public IReadOnlyList<Contender> All()
    {
        var list = new List<Contender>
        {
            new("W1", "ours: Conn typed Execute (sync)", Peer.Ours, () => Task.FromResult(W1ConnTyped())),
            new("W1", "ours: Conn typed Execute (sync, no spin)", Peer.Ours, () => Task.FromResult(W1ConnTyped(spinMicroseconds: 0))),
            new("W1", "ours: Conn.Do (sync)", Peer.Ours, () => Task.FromResult(W1ConnDo())),
            new("W1", "ours: Conn.DoAsync (async)", Peer.Ours, W1ConnDoAsync),
            new("W1", "ours: RedisClient Commands().Set/Get (sync, spin 50 us)", Peer.Ours, () => Task.FromResult(W1Client(spinMicroseconds: 50))),
            new("W1", "ours: RedisClient Commands().Set/Get (sync, no spin)", Peer.Ours, () => Task.FromResult(W1Client(spinMicroseconds: 0))),
            new("W1", "ours: RedisClient Commands().SetAsync/GetAsync (async)", Peer.Ours, W1ClientAsync),
            new("W1", "StackExchange.Redis (sync)", Peer.StackExchangeRedis, () => Task.FromResult(W1StackExchange())),

            new("W2", "ours: Conn Send/Flush/Receive (sync)", Peer.Ours, () => Task.FromResult(W2ConnPipeline())),
            new("W2", "ours: RedisClient 100 x ExecuteAsync (async)", Peer.Ours, W2ClientPipeline),
            new("W2", "StackExchange.Redis IBatch (async)", Peer.StackExchangeRedis, W2StackExchange),

            new("W3", "ours: RedisClient typed ExecuteAsync", Peer.Ours, () => W3Client(typed: true)),
            new("W3", "ours: RedisClient DoAsync", Peer.Ours, () => W3Client(typed: false)),
            new("W3", "ours: RedisClient typed Execute (64 threads, sync)", Peer.Ours, () => Task.FromResult(W3ClientSync())),
            new("W3", "StackExchange.Redis (async)", Peer.StackExchangeRedis, W3StackExchange),

            new("W6", W6CachedName, Peer.Ours, () => W6Client(cached: true)),
            new("W6", W6UncachedName, Peer.Ours, () => W6Client(cached: false)),

            new("W4", "ours: Conn typed Execute, BytesParser (sync)", Peer.Ours, () => Task.FromResult(W4ConnTyped(copy: false))),
            new("W4", "ours: Conn typed Execute, copy into a reused buffer (sync)", Peer.Ours, () => Task.FromResult(W4ConnTyped(copy: true))),
            new("W4", "ours: Conn.Do (sync)", Peer.Ours, () => Task.FromResult(W4ConnDo())),
            new("W4", "ours: Conn Commands().Get, byte[] (sync)", Peer.Ours, () => Task.FromResult(W4Commands(client: false, lease: false))),
            new("W4", "ours: Conn Commands().GetLease (sync)", Peer.Ours, () => Task.FromResult(W4Commands(client: false, lease: true))),
            new("W4", "ours: RedisClient Commands().Get, byte[] (sync)", Peer.Ours, () => Task.FromResult(W4Commands(client: true, lease: false))),
            new("W4", "ours: RedisClient Commands().GetLease (sync)", Peer.Ours, () => Task.FromResult(W4Commands(client: true, lease: true))),
            new("W4", "StackExchange.Redis StringGet (sync)", Peer.StackExchangeRedis, () => Task.FromResult(W4StackExchange(lease: false))),
            new("W4", "StackExchange.Redis StringGetLease (sync)", Peer.StackExchangeRedis, () => Task.FromResult(W4StackExchange(lease: true))),
        };
        if (_redisBenchmark is not null)
        {
            list.Add(new("W1", "redis-benchmark -c 1 -P 1", Peer.RedisBenchmark, W1RedisBenchmark));
            list.Add(new("W2", "redis-benchmark -c 1 -P 100", Peer.RedisBenchmark, () => RedisBenchmark($"-c 1 -P {PipelineDepth} -t get -n {W2Count} -d {SmallValueSize}", "GET")));
            list.Add(new("W3", "redis-benchmark -c 64", Peer.RedisBenchmark, () => RedisBenchmark($"-c {Callers} -t get -n {W3Count} -d {SmallValueSize}", "GET")));
            list.Add(new("W4", "redis-benchmark -c 1 -d 102400", Peer.RedisBenchmark, W4RedisBenchmark));
        }
        return _options.Only is { } only ? list.Where(c => only.Contains(c.Workload)).ToList() : list;
    }

    // ---- W1: sequential SET then GET ----

    // spinMicroseconds: how long a sync read right after a write polls the socket before blocking (null: the default).
    private double W1ConnTyped(int? spinMicroseconds = null)
    {
        int saved = Conn.SyncSpinMicroseconds;
        if (spinMicroseconds is { } spin) Conn.SyncSpinMicroseconds = spin;
        try
        {
            using var conn = (Conn)Conn.Dial("tcp", Address);
            int n = W1Count;
            for (int i = 0; i < 1000; i++) W1TypedStep(conn, i);
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < n; i++) conn.Execute<SetCommand, OkParser, bool>(new SetCommand(_keys[i % Keyspace], _smallValue), default);
            for (int i = 0; i < n; i++) conn.Execute<GetCommand, BytesParser, byte[]?>(new GetCommand(_keys[i % Keyspace]), default);
            return 2.0 * n / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            Conn.SyncSpinMicroseconds = saved;
        }
    }

    private void W1TypedStep(Conn conn, int i)
    {
        conn.Execute<SetCommand, OkParser, bool>(new SetCommand(_keys[i], _smallValue), default);
        conn.Execute<GetCommand, BytesParser, byte[]?>(new GetCommand(_keys[i]), default);
    }

    private double W1ConnDo()
    {
        using IConn conn = Conn.Dial("tcp", Address);
        int n = W1Count;
        for (int i = 0; i < 1000; i++)
        {
            conn.Do("SET", _keys[i], _smallValue);
            conn.Do("GET", _keys[i]);
        }
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < n; i++) conn.Do("SET", _keys[i % Keyspace], _smallValue);
        for (int i = 0; i < n; i++) conn.Do("GET", _keys[i % Keyspace]);
        return 2.0 * n / watch.Elapsed.TotalSeconds;
    }

    private async Task<double> W1ConnDoAsync()
    {
        await using IConn conn = await Conn.DialAsync("tcp", Address).ConfigureAwait(false);
        int n = W1Count;
        for (int i = 0; i < 1000; i++)
        {
            await conn.DoAsync("SET", _keys[i], _smallValue).ConfigureAwait(false);
            await conn.DoAsync("GET", _keys[i]).ConfigureAwait(false);
        }
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < n; i++) await conn.DoAsync("SET", _keys[i % Keyspace], _smallValue).ConfigureAwait(false);
        for (int i = 0; i < n; i++) await conn.DoAsync("GET", _keys[i % Keyspace]).ConfigureAwait(false);
        return 2.0 * n / watch.Elapsed.TotalSeconds;
    }

    // The shared client as a user calls it: the generated typed API, one caller. spinMicroseconds sets how
    // long a lone sync caller spins for its reply before blocking (0: blocks at once), to compare the two.
    private double W1Client(int spinMicroseconds)
    {
        int saved = RedisClient.SyncSpinMicroseconds;
        RedisClient.SyncSpinMicroseconds = spinMicroseconds;
        try
        {
            using RedisClient client = RedisClient.Connect("tcp", Address);
            IRedisCommands commands = client.Commands();
            RedisKey[] keys = [.. _keys.Select(k => (RedisKey)k)];
            int n = W1Count;
            for (int i = 0; i < 1000; i++)
            {
                commands.Set(keys[i], _smallValue);
                commands.Get(keys[i]);
            }
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < n; i++) commands.Set(keys[i % Keyspace], _smallValue);
            for (int i = 0; i < n; i++) commands.Get(keys[i % Keyspace]);
            return 2.0 * n / watch.Elapsed.TotalSeconds;
        }
        finally
        {
            RedisClient.SyncSpinMicroseconds = saved;
        }
    }

    private async Task<double> W1ClientAsync()
    {
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", Address).ConfigureAwait(false);
        IRedisCommands commands = client.Commands();
        RedisKey[] keys = [.. _keys.Select(k => (RedisKey)k)];
        int n = W1Count;
        for (int i = 0; i < 1000; i++)
        {
            await commands.SetAsync(keys[i], _smallValue).ConfigureAwait(false);
            await commands.GetAsync(keys[i]).ConfigureAwait(false);
        }
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < n; i++) await commands.SetAsync(keys[i % Keyspace], _smallValue).ConfigureAwait(false);
        for (int i = 0; i < n; i++) await commands.GetAsync(keys[i % Keyspace]).ConfigureAwait(false);
        return 2.0 * n / watch.Elapsed.TotalSeconds;
    }

    private double W1StackExchange()
    {
        using ConnectionMultiplexer mux = ConnectStackExchange();
        IDatabase db = mux.GetDatabase();
        int n = W1Count;
        for (int i = 0; i < 1000; i++)
        {
            db.StringSet(_keys[i], _smallValue);
            db.StringGet(_keys[i]);
        }
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < n; i++) db.StringSet(_keys[i % Keyspace], _smallValue);
        for (int i = 0; i < n; i++) db.StringGet(_keys[i % Keyspace]);
        return 2.0 * n / watch.Elapsed.TotalSeconds;
    }

    private async Task<double> W1RedisBenchmark()
    {
        int n = W1Count;
        IReadOnlyDictionary<string, double> rates = await _redisBenchmark!.RunAsync(_host, _port, $"-c 1 -P 1 -t set,get -n {n} -d {SmallValueSize} -r {Keyspace}").ConfigureAwait(false);
        // Both phases together, as ours are timed: 2n operations over the sum of the two durations.
        return 2.0 * n / (n / rates["SET"] + n / rates["GET"]);
    }

    // ---- W2: explicit pipelines of 100 ----

    private double W2ConnPipeline()
    {
        using IConn conn = Conn.Dial("tcp", Address);
        object?[] args = [LiteralKey];
        int batches = W2Count / PipelineDepth;
        for (int b = 0; b < 100; b++) Pipeline(conn, args);
        var watch = Stopwatch.StartNew();
        for (int b = 0; b < batches; b++) Pipeline(conn, args);
        return (double)batches * PipelineDepth / watch.Elapsed.TotalSeconds;

        static void Pipeline(IConn conn, object?[] args)
        {
            for (int i = 0; i < PipelineDepth; i++) conn.Send("GET", args);
            conn.Flush();
            for (int i = 0; i < PipelineDepth; i++) conn.Receive();
        }
    }

    private async Task<double> W2ClientPipeline()
    {
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", Address).ConfigureAwait(false);
        var pending = new ValueTask<byte[]?>[PipelineDepth];
        int batches = W2Count / PipelineDepth;
        for (int b = 0; b < 100; b++) await Pipeline(client, pending).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        for (int b = 0; b < batches; b++) await Pipeline(client, pending).ConfigureAwait(false);
        return (double)batches * PipelineDepth / watch.Elapsed.TotalSeconds;

        static async Task Pipeline(RedisClient client, ValueTask<byte[]?>[] pending)
        {
            for (int i = 0; i < PipelineDepth; i++) pending[i] = client.ExecuteAsync<GetCommand, BytesParser, byte[]?>(new GetCommand(LiteralKey), default);
            for (int i = 0; i < PipelineDepth; i++) await pending[i].ConfigureAwait(false);
        }
    }

    private async Task<double> W2StackExchange()
    {
        using ConnectionMultiplexer mux = ConnectStackExchange();
        IDatabase db = mux.GetDatabase();
        var pending = new Task<StackExchange.Redis.RedisValue>[PipelineDepth];
        int batches = W2Count / PipelineDepth;
        for (int b = 0; b < 100; b++) await Pipeline(db, pending).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        for (int b = 0; b < batches; b++) await Pipeline(db, pending).ConfigureAwait(false);
        return (double)batches * PipelineDepth / watch.Elapsed.TotalSeconds;

        static async Task Pipeline(IDatabase db, Task<StackExchange.Redis.RedisValue>[] pending)
        {
            IBatch batch = db.CreateBatch();
            for (int i = 0; i < PipelineDepth; i++) pending[i] = batch.StringGetAsync(LiteralKey);
            batch.Execute();
            await Task.WhenAll(pending).ConfigureAwait(false);
        }
    }

    // ---- W3: 64 concurrent callers on one shared connection ----

    private async Task<double> W3Client(bool typed)
    {
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", Address).ConfigureAwait(false);
        await RunCallers(Math.Min(W3Count, 20_000), typed ? TypedGet : RawGet).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        await RunCallers(W3Count, typed ? TypedGet : RawGet).ConfigureAwait(false);
        return W3Count / watch.Elapsed.TotalSeconds;

        async Task TypedGet() => await client.ExecuteAsync<GetCommand, BytesParser, byte[]?>(new GetCommand(LiteralKey), default).ConfigureAwait(false);
        async Task RawGet() => await client.DoAsync("GET", LiteralKey).ConfigureAwait(false);
    }

    private double W3ClientSync()
    {
        using RedisClient client = RedisClient.Connect("tcp", Address);
        Run(Math.Min(W3Count, 20_000));
        var watch = Stopwatch.StartNew();
        Run(W3Count);
        return W3Count / watch.Elapsed.TotalSeconds;

        void Run(int total)
        {
            int remaining = total;
            var threads = Enumerable.Range(0, Callers).Select(_ => new Thread(() =>
            {
                while (Interlocked.Decrement(ref remaining) >= 0) client.Execute<GetCommand, BytesParser, byte[]?>(new GetCommand(LiteralKey), default);
            })).ToArray();
            foreach (Thread thread in threads) thread.Start();
            foreach (Thread thread in threads) thread.Join();
        }
    }

    private async Task<double> W3StackExchange()
    {
        using ConnectionMultiplexer mux = ConnectStackExchange();
        IDatabase db = mux.GetDatabase();
        await RunCallers(Math.Min(W3Count, 20_000), Get).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        await RunCallers(W3Count, Get).ConfigureAwait(false);
        return W3Count / watch.Elapsed.TotalSeconds;

        async Task Get() => await db.StringGetAsync(LiteralKey).ConfigureAwait(false);
    }

    private static async Task RunCallers(int total, Func<Task> operation)
    {
        int remaining = total;
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0) await operation().ConfigureAwait(false);
        }))).ConfigureAwait(false);
    }

    // ---- W6: client-side cache hits vs uncached GETs, 64 callers, same client type and keys ----

    public const string W6CachedName = "ours: RedisClient (Cache on) Cached(ttl).GetAsync: hits";
    public const string W6UncachedName = "ours: RedisClient (Cache on) Commands().GetAsync: uncached";
    private const int W6Keys = 1_000;

    private async Task<double> W6Client(bool cached)
    {
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", Address, clientOptions: new ClientOptions { Cache = new CacheOptions() }).ConfigureAwait(false);
        IRedisCommands plain = client.Commands();
        IRedisCommands commands = cached ? client.Cached(TimeSpan.FromMinutes(5)) : plain;
        RedisKey[] keys = [.. _keys.Take(W6Keys).Select(k => (RedisKey)k)];
        for (int i = 0; i < W6Keys; i++) await plain.SetAsync(_keys[i], _smallValue).ConfigureAwait(false);
        for (int i = 0; i < W6Keys; i++) await commands.GetAsync(_keys[i]).ConfigureAwait(false); // fills the cache (cached run)
        // Warm-up long enough for tiered JIT to reach the optimized code of both paths.
        await Run(Math.Min(W6Count, 200_000)).ConfigureAwait(false);
        CacheStats before = client.Stats.Cache!.Value;
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        int done = await Run(W6Count).ConfigureAwait(false);
        double opsPerSecond = done / watch.Elapsed.TotalSeconds;
        if (cached)
        {
            W6BytesPerAsyncHit = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)done;
            CacheStats after = client.Stats.Cache!.Value;
            if (after.Misses != before.Misses) throw new InvalidOperationException($"W6: {after.Misses - before.Misses} misses in a run that should be all hits");
            RedisKey key = _keys[0];
            for (int i = 0; i < 1000; i++) commands.Get(key);
            long mine = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10_000; i++) commands.Get(key);
            W6BytesPerSyncHit = (GC.GetAllocatedBytesForCurrentThread() - mine) / 10_000.0;
        }
        return opsPerSecond;

        // Each caller does its share with counters of its own (no shared counter for the callers to contend on;
        // the same loop for both rows), over keys converted to RedisKey once.
        async Task<int> Run(int total)
        {
            int share = total / Callers;
            await Task.WhenAll(Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
            {
                for (int i = 0; i < share; i++)
                {
                    byte[]? value = await commands.GetAsync(keys[(caller * 7919 + i) % W6Keys]).ConfigureAwait(false);
                    if (value?.Length != SmallValueSize) throw new InvalidOperationException("W6: wrong value");
                }
            }))).ConfigureAwait(false);
            return share * Callers;
        }
    }

    // ---- W4: 100 KB values ----

    private double W4ConnTyped(bool copy)
    {
        using var conn = (Conn)Conn.Dial("tcp", Address);
        byte[] buffer = new byte[LargeValueSize];
        int n = W4Count;
        for (int i = 0; i < 200; i++) Step();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < n; i++) Step();
        return n / watch.Elapsed.TotalSeconds;

        void Step()
        {
            int length = copy
                ? conn.Execute<GetCommand, CopyToBufferParser, int>(new GetCommand(LargeKey), new CopyToBufferParser(buffer))
                : conn.Execute<GetCommand, BytesParser, byte[]?>(new GetCommand(LargeKey), default)!.Length;
            if (length != LargeValueSize) throw new InvalidOperationException($"GET returned {length} bytes");
        }
    }

    // The generated typed API as a user calls it: Get (a byte[] per call) or GetLease (pooled, disposed).
    private double W4Commands(bool client, bool lease)
    {
        using RedisClient? shared = client ? RedisClient.Connect("tcp", Address) : null;
        using IConn? conn = client ? null : Conn.Dial("tcp", Address);
        IRedisCommands commands = shared is not null ? shared.Commands() : conn!.Commands();
        RedisKey key = LargeKey;
        int n = W4Count;
        for (int i = 0; i < 200; i++) Step();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < n; i++) Step();
        return n / watch.Elapsed.TotalSeconds;

        void Step()
        {
            int length;
            if (lease)
            {
                using RedisLease value = commands.GetLease(key)!.Value;
                length = value.Length;
            }
            else
            {
                length = commands.Get(key)!.Length;
            }
            if (length != LargeValueSize) throw new InvalidOperationException($"GET returned {length} bytes");
        }
    }

    private double W4ConnDo()
    {
        using IConn conn = Conn.Dial("tcp", Address);
        int n = W4Count;
        for (int i = 0; i < 200; i++) conn.Do("GET", LargeKey);
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < n; i++) conn.Do("GET", LargeKey);
        return n / watch.Elapsed.TotalSeconds;
    }

    private double W4StackExchange(bool lease)
    {
        using ConnectionMultiplexer mux = ConnectStackExchange();
        IDatabase db = mux.GetDatabase();
        int n = W4Count;
        for (int i = 0; i < 200; i++) Step();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < n; i++) Step();
        return n / watch.Elapsed.TotalSeconds;

        void Step()
        {
            if (lease)
            {
                using Lease<byte>? value = db.StringGetLease(LargeKey);
                if (value?.Length != LargeValueSize) throw new InvalidOperationException("short value");
            }
            else if (((byte[]?)db.StringGet(LargeKey))?.Length != LargeValueSize)
            {
                throw new InvalidOperationException("short value");
            }
        }
    }

    private async Task<double> W4RedisBenchmark()
    {
        // redis-benchmark GETs the literal key: it holds the 100 KB value for this run only.
        using (IConn conn = Conn.Dial("tcp", Address)) conn.Do("SET", LiteralKey, _largeValue);
        try
        {
            return await RedisBenchmark($"-c 1 -d {LargeValueSize} -t get -n {W4Count}", "GET").ConfigureAwait(false);
        }
        finally
        {
            using IConn conn = Conn.Dial("tcp", Address);
            conn.Do("SET", LiteralKey, _smallValue);
        }
    }

    private async Task<double> RedisBenchmark(string arguments, string test)
        => (await _redisBenchmark!.RunAsync(_host, _port, arguments).ConfigureAwait(false))[test];

    private ConnectionMultiplexer ConnectStackExchange()
        => ConnectionMultiplexer.Connect(new ConfigurationOptions { EndPoints = { { _host, _port } }, AbortOnConnectFail = true });
}
