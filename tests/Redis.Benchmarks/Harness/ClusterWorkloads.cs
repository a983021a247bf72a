using System.Diagnostics;
using StackExchange.Redis;
using SeKey = StackExchange.Redis.RedisKey;
using SeValue = StackExchange.Redis.RedisValue;

namespace Redis.Benchmarks.Harness;

/// <summary>
/// The cluster workloads, through <see cref="RedisCluster"/> (the generated typed API,
/// <c>cluster.Commands()</c>) and StackExchange.Redis in cluster mode (one <see cref="ConnectionMultiplexer"/>
/// given the seed endpoints). Every measurement connects its own client (outside the timed part), warms up,
/// then times the operations.
/// <list type="bullet">
/// <item>C1: 64 concurrent callers, each operation a GET or a SET (50/50, random) of a random key of a
/// 100,000-key space spread over every slot.</item>
/// <item>C2: 16 concurrent callers, each operation an MGET of 100 random keys (about 100 different slots on
/// all masters). Ours sends one MGET and the client splits it per slot; StackExchange.Redis cannot send a
/// cross-slot MGET (the server answers CROSSSLOT), so its row does what a user has to: group the keys by
/// <see cref="ConnectionMultiplexer.HashSlot"/> on every call, one <c>StringGetAsync(keys[])</c> per slot
/// in parallel, and merge the values in key order.</item>
/// <item>C3: as C2 but the 100 keys share a hash tag (one slot, one node): one plain MGET on both sides.</item>
/// </list>
/// </summary>
internal sealed class ClusterWorkloads
{
    public const int Callers = 64;
    public const int MGetCallers = 16;
    public const int MGetKeys = 100;
    private const int Keyspace = 100_000;
    private const int KeyGroups = 1000;
    private const int TaggedGroups = 200;

    private readonly string _seeds;
    private readonly HarnessOptions _options;
    private readonly byte[] _value = "0123456789abcdef"u8.ToArray();
    private readonly string[] _keys;
    private readonly RedisKey[] _ourKeys;
    private readonly RedisKey[][] _ourGroups;       // C2: 100 random keys each
    private readonly SeKey[][] _seGroups;
    private readonly RedisKey[][] _ourTagged;       // C3: 100 keys of one hash tag each
    private readonly SeKey[][] _seTagged;

    public ClusterWorkloads(string seeds, HarnessOptions options)
    {
        _seeds = seeds;
        _options = options;
        _keys = Enumerable.Range(0, Keyspace).Select(i => $"key:{i:D12}").ToArray();
        _ourKeys = _keys.Select(k => (RedisKey)k).ToArray();
        var random = new Random(42);
        int[][] groups = Enumerable.Range(0, KeyGroups).Select(_ => Enumerable.Range(0, MGetKeys).Select(_ => random.Next(Keyspace)).ToArray()).ToArray();
        _ourGroups = groups.Select(g => g.Select(i => _ourKeys[i]).ToArray()).ToArray();
        _seGroups = groups.Select(g => g.Select(i => (SeKey)_keys[i]).ToArray()).ToArray();
        string[][] tagged = Enumerable.Range(0, TaggedGroups).Select(g => Enumerable.Range(0, MGetKeys).Select(i => $"{{mget:{g}}}:key:{i:D3}").ToArray()).ToArray();
        _ourTagged = tagged.Select(g => g.Select(k => (RedisKey)k).ToArray()).ToArray();
        _seTagged = tagged.Select(g => g.Select(k => (SeKey)k).ToArray()).ToArray();
        // About 100 slots per split MGET: say how many, measured on the groups used.
        AverageSlotsPerSplitMGet = groups.Average(g => g.Select(i => RedisCluster.Slot(_keys[i])).Distinct().Count());
    }

    public int C1Count => _options.Scale(300_000);
    public int C2Count => _options.Scale(10_000);
    public int C3Count => _options.Scale(50_000);

    /// <summary>Distinct slots in one C2 MGET, averaged over the key groups.</summary>
    public double AverageSlotsPerSplitMGet { get; }

    public static IReadOnlyList<(string Id, string Title)> Titles { get; } =
    [
        ("C1", $"cluster, {Callers} concurrent callers, GET/SET (50/50) of random keys"),
        ("C2", $"cluster, {MGetCallers} concurrent callers, MGET of {MGetKeys} random keys across slots (ops = MGETs)"),
        ("C3", $"cluster, {MGetCallers} concurrent callers, MGET of {MGetKeys} hash-tagged keys, one slot (ops = MGETs)"),
    ];

    /// <summary>Writes every key the workloads read (the 100,000 random keys and the hash-tagged groups).</summary>
    public async Task PrepareAsync()
    {
        await using RedisCluster cluster = await RedisCluster.ConnectAsync(_seeds).ConfigureAwait(false);
        IRedisCommands redis = cluster.Commands();
        await redis.FlushAllAsync().ConfigureAwait(false);
        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) < Keyspace;) await redis.SetAsync(_ourKeys[i], _value).ConfigureAwait(false);
        }))).ConfigureAwait(false);
        foreach (RedisKey[] group in _ourTagged)
        {
            await redis.MSetAsync([.. group.Select(k => (k, (RedisValue)_value))]).ConfigureAwait(false);
        }
    }

    public IReadOnlyList<Contender> All()
    {
        var list = new List<Contender>
        {
            new("C1", "ours: RedisCluster typed GetAsync/SetAsync", Peer.Ours, C1Ours),
            new("C1", "StackExchange.Redis cluster StringGetAsync/StringSetAsync", Peer.StackExchangeRedis, C1StackExchange),
            new("C2", "ours: RedisCluster typed MGetAsync (split per slot by the client)", Peer.Ours, C2Ours),
            new("C2", "StackExchange.Redis: keys grouped by HashSlot per call, one StringGetAsync(keys[]) per slot, merged", Peer.StackExchangeRedis, C2StackExchange),
            new("C3", "ours: RedisCluster typed MGetAsync", Peer.Ours, C3Ours),
            new("C3", "StackExchange.Redis StringGetAsync(keys[])", Peer.StackExchangeRedis, C3StackExchange),
        };
        return _options.Only is { } only ? list.Where(c => only.Contains(c.Workload)).ToList() : list;
    }

    // ---- C1: 64 callers, GET/SET of random keys ----

    private async Task<double> C1Ours()
    {
        await using RedisCluster cluster = await RedisCluster.ConnectAsync(_seeds).ConfigureAwait(false);
        IRedisCommands redis = cluster.Commands();
        return await Timed(Callers, C1Count, Math.Min(C1Count, 20_000), Operation).ConfigureAwait(false);

        async Task Operation(uint random)
        {
            RedisKey key = _ourKeys[random % Keyspace];
            if ((random & 0x8000_0000) != 0)
            {
                if (!await redis.SetAsync(key, _value).ConfigureAwait(false)) throw new InvalidOperationException("SET did not answer OK");
            }
            else if (await redis.GetAsync(key).ConfigureAwait(false) is null)
            {
                throw new InvalidOperationException("GET found no value");
            }
        }
    }

    private async Task<double> C1StackExchange()
    {
        using ConnectionMultiplexer mux = await ConnectStackExchangeAsync().ConfigureAwait(false);
        IDatabase db = mux.GetDatabase();
        return await Timed(Callers, C1Count, Math.Min(C1Count, 20_000), Operation).ConfigureAwait(false);

        async Task Operation(uint random)
        {
            string key = _keys[random % Keyspace];
            if ((random & 0x8000_0000) != 0)
            {
                if (!await db.StringSetAsync(key, _value).ConfigureAwait(false)) throw new InvalidOperationException("SET did not answer OK");
            }
            else if ((await db.StringGetAsync(key).ConfigureAwait(false)).IsNull)
            {
                throw new InvalidOperationException("GET found no value");
            }
        }
    }

    // ---- C2: MGET of 100 keys across slots ----

    private async Task<double> C2Ours()
    {
        await using RedisCluster cluster = await RedisCluster.ConnectAsync(_seeds).ConfigureAwait(false);
        IRedisCommands redis = cluster.Commands();
        return await Timed(MGetCallers, C2Count, Math.Min(C2Count, 1_000), Operation).ConfigureAwait(false);

        async Task Operation(uint random)
        {
            byte[]?[] values = await redis.MGetAsync(_ourGroups[random % KeyGroups]).ConfigureAwait(false);
            if (values.Length != MGetKeys || values[0] is null || values[^1] is null) throw new InvalidOperationException("MGET returned the wrong values");
        }
    }

    private async Task<double> C2StackExchange()
    {
        using ConnectionMultiplexer mux = await ConnectStackExchangeAsync().ConfigureAwait(false);
        IDatabase db = mux.GetDatabase();
        return await Timed(MGetCallers, C2Count, Math.Min(C2Count, 1_000), Operation).ConfigureAwait(false);

        async Task Operation(uint random)
        {
            SeValue[] values = await SplitMGetAsync(mux, db, _seGroups[random % KeyGroups]).ConfigureAwait(false);
            if (values.Length != MGetKeys || values[0].IsNull || values[^1].IsNull) throw new InvalidOperationException("MGET returned the wrong values");
        }
    }

    // What a StackExchange.Redis user writes for an MGET across slots: group by slot, one MGET per slot, merge.
    private static async Task<SeValue[]> SplitMGetAsync(ConnectionMultiplexer mux, IDatabase db, SeKey[] keys)
    {
        var bySlot = new Dictionary<int, List<int>>();
        for (int i = 0; i < keys.Length; i++)
        {
            int slot = mux.HashSlot(keys[i]);
            if (!bySlot.TryGetValue(slot, out List<int>? indexes)) bySlot.Add(slot, indexes = []);
            indexes.Add(i);
        }
        var pending = new List<(List<int> Indexes, Task<SeValue[]> Values)>(bySlot.Count);
        foreach (List<int> indexes in bySlot.Values)
        {
            var slotKeys = new SeKey[indexes.Count];
            for (int j = 0; j < slotKeys.Length; j++) slotKeys[j] = keys[indexes[j]];
            pending.Add((indexes, db.StringGetAsync(slotKeys)));
        }
        var result = new SeValue[keys.Length];
        foreach ((List<int> indexes, Task<SeValue[]> task) in pending)
        {
            SeValue[] values = await task.ConfigureAwait(false);
            for (int j = 0; j < values.Length; j++) result[indexes[j]] = values[j];
        }
        return result;
    }

    // ---- C3: MGET of 100 hash-tagged keys (one slot) ----

    private async Task<double> C3Ours()
    {
        await using RedisCluster cluster = await RedisCluster.ConnectAsync(_seeds).ConfigureAwait(false);
        IRedisCommands redis = cluster.Commands();
        return await Timed(MGetCallers, C3Count, Math.Min(C3Count, 2_000), Operation).ConfigureAwait(false);

        async Task Operation(uint random)
        {
            byte[]?[] values = await redis.MGetAsync(_ourTagged[random % TaggedGroups]).ConfigureAwait(false);
            if (values.Length != MGetKeys || values[0] is null || values[^1] is null) throw new InvalidOperationException("MGET returned the wrong values");
        }
    }

    private async Task<double> C3StackExchange()
    {
        using ConnectionMultiplexer mux = await ConnectStackExchangeAsync().ConfigureAwait(false);
        IDatabase db = mux.GetDatabase();
        return await Timed(MGetCallers, C3Count, Math.Min(C3Count, 2_000), Operation).ConfigureAwait(false);

        async Task Operation(uint random)
        {
            SeValue[] values = await db.StringGetAsync(_seTagged[random % TaggedGroups]).ConfigureAwait(false);
            if (values.Length != MGetKeys || values[0].IsNull || values[^1].IsNull) throw new InvalidOperationException("MGET returned the wrong values");
        }
    }

    // ---- allocations per typed call on the routed path ----

    /// <summary>
    /// Bytes allocated per typed call through <see cref="RedisCluster"/> (one caller, 10,000 calls after two
    /// warm-up loops), two ways: <see cref="GC.GetAllocatedBytesForCurrentThread"/> (the caller's thread only:
    /// exact, but a reply is parsed, and a GET's result allocated, on the node connection's reader thread, and
    /// an async continuation may run anywhere) and <see cref="GC.GetTotalAllocatedBytes"/> (precise: every
    /// thread, including anything else the process allocated meanwhile).
    /// </summary>
    public async Task<IReadOnlyList<(string Call, double ThreadBytes, double ProcessBytes)>> MeasureAllocationsAsync(int calls = 10_000)
    {
        await using RedisCluster cluster = await RedisCluster.ConnectAsync(_seeds).ConfigureAwait(false);
        IRedisCommands redis = cluster.Commands();
        var keys = new RedisKey[64];
        for (int i = 0; i < keys.Length; i++) keys[i] = _ourKeys[i * 997];   // many slots, on every master
        return
        [
            Sync("Set (sync)", () => { for (int i = 0; i < calls; i++) redis.Set(keys[i & 63], _value); }),
            Sync("Get (sync)", () => { for (int i = 0; i < calls; i++) redis.Get(keys[i & 63]); }),
            await Async("SetAsync", async () => { for (int i = 0; i < calls; i++) await redis.SetAsync(keys[i & 63], _value).ConfigureAwait(false); }).ConfigureAwait(false),
            await Async("GetAsync", async () => { for (int i = 0; i < calls; i++) await redis.GetAsync(keys[i & 63]).ConfigureAwait(false); }).ConfigureAwait(false),
            // Not the single-slot path: for comparison. The result alone is a byte[]?[100] (824 B) + 100 x 40 B = 4,824 B.
            await Async("MGetAsync, 100 keys in one slot", async () => { for (int i = 0; i < calls / 10; i++) await redis.MGetAsync(_ourTagged[i % TaggedGroups]).ConfigureAwait(false); }, calls / 10).ConfigureAwait(false),
            await Async("MGetAsync, 100 keys across ~100 slots (split)", async () => { for (int i = 0; i < calls / 10; i++) await redis.MGetAsync(_ourGroups[i % KeyGroups]).ConfigureAwait(false); }, calls / 10).ConfigureAwait(false),
        ];

        (string, double, double) Sync(string name, Action loop)
        {
            loop();   // warm-up: JIT, tiering, pools
            loop();
            long thread = GC.GetAllocatedBytesForCurrentThread();
            long process = GC.GetTotalAllocatedBytes(precise: true);
            loop();
            long processAfter = GC.GetTotalAllocatedBytes(precise: true);
            return (name, (double)(GC.GetAllocatedBytesForCurrentThread() - thread) / calls, (double)(processAfter - process) / calls);
        }

        async Task<(string, double, double)> Async(string name, Func<Task> loop, int count = 0)
        {
            if (count == 0) count = calls;
            await loop().ConfigureAwait(false);
            await loop().ConfigureAwait(false);
            long process = GC.GetTotalAllocatedBytes(precise: true);
            await loop().ConfigureAwait(false);
            long processAfter = GC.GetTotalAllocatedBytes(precise: true);
            return (name, double.NaN, (double)(processAfter - process) / count);   // continuations run on any thread: no per-thread figure
        }
    }

    // ---- plumbing ----

    /// <summary>Runs <paramref name="warmUp"/> then <paramref name="total"/> operations over <paramref name="callers"/> callers; ops/s of the second.</summary>
    private static async Task<double> Timed(int callers, int total, int warmUp, Func<uint, Task> operation)
    {
        await RunCallers(callers, warmUp, operation).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        await RunCallers(callers, total, operation).ConfigureAwait(false);
        return total / watch.Elapsed.TotalSeconds;
    }

    // Each caller draws its own pseudo-random numbers (xorshift32): no shared Random, nothing allocated per draw.
    private static async Task RunCallers(int callers, int total, Func<uint, Task> operation)
    {
        int remaining = total;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            uint state = (uint)caller * 2_654_435_761u + 12_345u;
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                await operation(state).ConfigureAwait(false);
            }
        }))).ConfigureAwait(false);
    }

    private async Task<ConnectionMultiplexer> ConnectStackExchangeAsync()
    {
        var configuration = new ConfigurationOptions { AbortOnConnectFail = true };
        foreach (string seed in _seeds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (seed.Contains("://", StringComparison.Ordinal))
            {
                var url = new Uri(seed);
                configuration.EndPoints.Add(url.Host, url.Port);
                configuration.Ssl |= url.Scheme == "rediss";
                string[] userInfo = Uri.UnescapeDataString(url.UserInfo).Split(':', 2);
                if (userInfo.Length == 2)
                {
                    if (userInfo[0].Length > 0) configuration.User = userInfo[0];
                    configuration.Password = userInfo[1];
                }
            }
            else
            {
                configuration.EndPoints.Add(seed);
            }
        }
        ConnectionMultiplexer mux = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        if (mux.GetServers().All(s => s.ServerType != ServerType.Cluster))
        {
            mux.Dispose();
            throw new InvalidOperationException("StackExchange.Redis did not see a cluster at " + string.Join(",", configuration.EndPoints));
        }
        return mux;
    }
}
