using System.Text;
using Redis.Commands;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests;

/// <summary>
/// RedisCluster against a real local cluster (3 masters + 3 replicas, shared by this class): slot computation,
/// routing of every key-spec shape (typed and untyped, sync and async), split and fan-out commands, cross-slot
/// refusals, transactions, scripts and replica reads. A fresh client per test, so <see cref="ClusterStats.Moved"/>
/// == 0 proves a command went straight to the owner of its slot.
/// </summary>
[Trait("Server", "RedisOnly")]
public class RedisClusterRoutingTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    internal static readonly DialOptions Bounded = new() { ConnectTimeout = TimeSpan.FromSeconds(5), ReadTimeout = TimeSpan.FromSeconds(10), WriteTimeout = TimeSpan.FromSeconds(10) };

    public static TheoryData<bool> Modes() => new() { false, true };

    private Task<RedisCluster> ConnectAsync(ClusterOptions? options = null) =>
        RedisCluster.ConnectAsync(fixture.Cluster.Seeds, Bounded, options ?? new ClusterOptions { CommandTimeout = TimeSpan.FromSeconds(10) }).AsTask();

    private static async Task<object?> Do(RedisCluster cluster, bool useAsync, string command, params object?[] args)
        => useAsync ? await cluster.DoAsync(command, args) : cluster.Do(command, args);

    private static async Task<T> Run<T>(bool useAsync, Func<T> sync, Func<ValueTask<T>> async) => useAsync ? await async() : sync();

    private static string? Str(byte[]? value) => value is null ? null : Encoding.UTF8.GetString(value);

    [SkippableFact]
    public async Task Slot_MatchesClusterKeySlot_ForThousandsOfRandomKeysAndHashTags_StringAndBytes()
    {
        await using RedisCluster cluster = await ConnectAsync();
        var random = new Random(20261205);
        const string alphabet = "ab{}{}x:9é";
        var keys = new List<string> { "", "{}", "foo{}{bar}", "foo{{bar}}zap", "{user1}:a", "{user1}:b", "foo{bar}{zap}", "{", "}", "}{", "a{b", "{a}", "foo", "é{é}" };
        while (keys.Count < 3000)
        {
            var sb = new StringBuilder();
            int length = random.Next(0, 14);
            for (int i = 0; i < length; i++) sb.Append(alphabet[random.Next(alphabet.Length)]);
            keys.Add(sb.ToString());
        }
        var byteKeys = new List<byte[]> { Array.Empty<byte>(), new byte[] { 0xff, (byte)'{', 0x80, (byte)'}' }, new byte[] { (byte)'{', 0xc3, (byte)'}', 0xfe } };
        while (byteKeys.Count < 1000)
        {
            var key = new byte[random.Next(0, 12)];
            random.NextBytes(key);
            for (int i = 0; i < key.Length; i++) if (random.Next(4) == 0) key[i] = random.Next(2) == 0 ? (byte)'{' : (byte)'}';
            byteKeys.Add(key);
        }

        // The server's answer (CLUSTER KEYSLOT is keyless, so any master computes it), all in flight at once.
        long[] serverSlots = await Task.WhenAll(keys.Select(async k => (long)(await cluster.DoAsync("CLUSTER", "KEYSLOT", k))!));
        long[] serverByteSlots = await Task.WhenAll(byteKeys.Select(async k => (long)(await cluster.DoAsync("CLUSTER", "KEYSLOT", k))!));

        var mismatches = new List<string>();
        for (int i = 0; i < keys.Count; i++)
        {
            if (RedisCluster.Slot(keys[i]) != serverSlots[i]) mismatches.Add($"'{keys[i]}': client {RedisCluster.Slot(keys[i])}, server {serverSlots[i]}");
            if (RedisCluster.Slot(Encoding.UTF8.GetBytes(keys[i])) != serverSlots[i]) mismatches.Add($"bytes of '{keys[i]}'");
        }
        for (int i = 0; i < byteKeys.Count; i++)
        {
            if (RedisCluster.Slot(byteKeys[i]) != serverByteSlots[i]) mismatches.Add($"{Convert.ToHexString(byteKeys[i])}: client {RedisCluster.Slot(byteKeys[i])}, server {serverByteSlots[i]}");
        }
        Assert.Empty(mismatches);
        Assert.Equal(RedisCluster.Slot("bar"), RedisCluster.Slot("foo{bar}{zap}"));
        Assert.Equal(RedisCluster.Slot("{bar"), RedisCluster.Slot("foo{{bar}}zap"));
        Assert.Equal(RedisCluster.Slot("foo{}{bar}"), serverSlots[keys.IndexOf("foo{}{bar}")]);
        Assert.Equal(RedisCluster.Slot("user1"), RedisCluster.Slot("{user1}:a"));
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task EveryKeySpecShape_IsRoutedToTheSlotOwner_Untyped(bool useAsync)
    {
        await using RedisCluster cluster = await ConnectAsync();
        string tag = Guid.NewGuid().ToString("N");
        string k = $"rt:{{{tag}}}:k", k2 = $"rt:{{{tag}}}:k2", s1 = $"rt:{{{tag}}}:s1", s2 = $"rt:{{{tag}}}:s2";
        string z1 = $"rt:{{{tag}}}:z1", z2 = $"rt:{{{tag}}}:z2", dest = $"rt:{{{tag}}}:dest", l1 = $"rt:{{{tag}}}:l1", l2 = $"rt:{{{tag}}}:l2";

        Assert.Equal("OK", Text(await Do(cluster, useAsync, "SET", k, "v1")));                                   // index + range
        Assert.Equal("v1", Text(await Do(cluster, useAsync, "GET", k)));
        Assert.Equal("OK", Text(await Do(cluster, useAsync, "MSET", k, "a", k2, "b")));                         // range, step 2
        Assert.Equal("b", Text(await Do(cluster, useAsync, "EVAL", "return redis.call('GET', KEYS[1])", 1, k2)));  // keynum
        await Do(cluster, useAsync, "XADD", s1, "*", "f", "1");
        await Do(cluster, useAsync, "XADD", s2, "*", "f", "2");
        var streams = Assert.IsType<object?[]>(await Do(cluster, useAsync, "XREAD", "COUNT", 10, "STREAMS", s1, s2, "0", "0")); // keyword
        Assert.Equal(2, streams.Length);
        await Do(cluster, useAsync, "ZADD", z1, 1, "a");
        await Do(cluster, useAsync, "ZADD", z2, 2, "b");
        Assert.Equal(2L, await Do(cluster, useAsync, "ZUNIONSTORE", dest, 2, z1, z2));                         // dest + keynum
        await Do(cluster, useAsync, "RPUSH", l2, "x");
        var popped = Assert.IsType<object?[]>(await Do(cluster, useAsync, "LMPOP", 2, l1, l2, "LEFT"));          // keynum, first empty
        Assert.Equal(l2, Text(popped[0]));
        Assert.Equal(0L, await Do(cluster, useAsync, "SPUBLISH", $"rt:{{{tag}}}:ch", "hello"));                  // not_key channel
        Assert.Equal("embstr", Text(await Do(cluster, useAsync, "OBJECT", "ENCODING", k)));                      // subcommand

        ClusterStats stats = cluster.Stats;
        Assert.Equal(0, stats.Moved);
        Assert.Equal(0, stats.Asked);
        Assert.Equal(0, stats.SplitCommands);
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task EveryKeySpecShape_IsRoutedToTheSlotOwner_Typed(bool useAsync)
    {
        await using RedisCluster cluster = await ConnectAsync();
        IRedisCommands c = cluster.Commands();
        string tag = Guid.NewGuid().ToString("N");
        string k = $"rt:{{{tag}}}:k", k2 = $"rt:{{{tag}}}:k2", s1 = $"rt:{{{tag}}}:s1", s2 = $"rt:{{{tag}}}:s2";
        string z1 = $"rt:{{{tag}}}:z1", z2 = $"rt:{{{tag}}}:z2", dest = $"rt:{{{tag}}}:dest", l1 = $"rt:{{{tag}}}:l1", l2 = $"rt:{{{tag}}}:l2";
        cluster.Do("XADD", s1, "*", "f", "1");
        cluster.Do("XADD", s2, "*", "f", "2");
        cluster.Do("ZADD", z1, 1, "a");
        cluster.Do("ZADD", z2, 2, "b");
        cluster.Do("RPUSH", l2, "x");

        Assert.True(await Run(useAsync, () => c.Set(k, "v1"), () => c.SetAsync(k, "v1")));
        Assert.Equal("v1", Str(await Run(useAsync, () => c.Get(k), () => c.GetAsync(k))));
        await Run(useAsync, () => { c.MSet([(k, "a"), (k2, "b")]); return true; }, async () => { await c.MSetAsync([(k, "a"), (k2, "b")]); return true; });
        Assert.Equal("a", Text(await Run(useAsync, () => c.Eval("return redis.call('GET', KEYS[1])", [k], []), () => c.EvalAsync("return redis.call('GET', KEYS[1])", [k], []))));
        var streams = await Run(useAsync, () => c.XRead([(s1, "0"), (s2, "0")]), () => c.XReadAsync([(s1, "0"), (s2, "0")]));
        Assert.Equal(2, streams!.Count);
        Assert.Equal(2L, await Run(useAsync, () => c.ZUnionStore(dest, [z1, z2]), () => c.ZUnionStoreAsync(dest, [z1, z2])));
        var popped = await Run(useAsync, () => c.LMPop([l1, l2], ListSide.Left), () => c.LMPopAsync([l1, l2], ListSide.Left));
        Assert.NotNull(popped);
        Assert.Equal(l2, Str(popped.Value.Key));
        Assert.Equal(0L, await Run(useAsync, () => c.SPublish($"rt:{{{tag}}}:ch", "hello"), () => c.SPublishAsync($"rt:{{{tag}}}:ch", "hello")));
        Assert.Equal("embstr", Str(await Run(useAsync, () => c.ObjectEncoding(k), () => c.ObjectEncodingAsync(k))));

        ClusterStats stats = cluster.Stats;
        Assert.Equal(0, stats.Moved);
        Assert.Equal(0, stats.Asked);
        Assert.Equal(0, stats.SplitCommands);
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task SplitCommands_AcrossSlots_MergeInTheCallersKeyOrder(bool useAsync)
    {
        await using RedisCluster cluster = await ConnectAsync();
        string prefix = $"split:{Guid.NewGuid():N}:";
        string[] keys = [.. Enumerable.Range(0, 24).Select(i => $"{prefix}{i}")];
        Assert.True(keys.Select(RedisCluster.Slot).Distinct().Count() > 3);
        Assert.True(keys.Select(RedisCluster.Slot).Select(s => cluster.Topology.ShardOf(s)!.Master.Endpoint).Distinct().Count() == 3, "the keys should span all three masters");

        Assert.Equal("OK", Text(await Do(cluster, useAsync, "MSET", [.. keys.SelectMany(k => new object?[] { k, "v-" + k })])));
        var values = Assert.IsType<object?[]>(await Do(cluster, useAsync, "MGET", [.. keys.Take(12), "missing:" + prefix, .. keys.Skip(12)]));
        string?[] expectedValues = [.. keys.Take(12).Select(k => "v-" + k), null, .. keys.Skip(12).Select(k => "v-" + k)];
        Assert.Equal(expectedValues, values.Select(v => v is null ? null : Text(v)));

        IRedisCommands c = cluster.Commands();
        byte[]?[] typed = await Run(useAsync, () => c.MGet([.. Enumerable.Reverse(keys).Select(k => (RedisKey)k)]), () => c.MGetAsync([.. Enumerable.Reverse(keys).Select(k => (RedisKey)k)]));
        Assert.Equal(Enumerable.Reverse(keys).Select(k => "v-" + k), typed.Select(Str));

        Assert.Equal((long)keys.Length, await Do(cluster, useAsync, "EXISTS", [.. keys]));
        Assert.Equal(3L, await Do(cluster, useAsync, "EXISTS", keys[0], "nope:" + prefix, keys[5], keys[5]));
        Assert.Equal(5L, await Do(cluster, useAsync, "DEL", [.. keys.Take(5), "nope:" + prefix]));
        Assert.Equal((long)keys.Length - 5, await Do(cluster, useAsync, "EXISTS", [.. keys]));
        Assert.True(cluster.Stats.SplitCommands >= 6);
        Assert.Equal(0, cluster.Stats.Moved);

        // KEYS concatenates every master's keys.
        var found = Assert.IsType<object?[]>(await Do(cluster, useAsync, "KEYS", prefix + "*")).Select(Text).Order().ToArray();
        Assert.Equal(keys.Skip(5).Order(), found);

        // DBSIZE sums the masters' counts.
        long expected = 0;
        foreach (LocalClusterNode master in await fixture.Cluster.GetMastersAsync()) expected += (long)(await master.ExecuteAsync("DBSIZE"))!;
        Assert.Equal(expected, await Do(cluster, useAsync, "DBSIZE"));
        Assert.True(expected >= keys.Length - 5);
        Assert.True(cluster.Stats.FanOutCommands >= 2);
    }

    [SkippableFact]
    public async Task FlushAll_RunsOnEveryMaster_AndSucceedsOnlyWhenAllDo()
    {
        await using RedisCluster cluster = await ConnectAsync();
        string prefix = $"flush:{Guid.NewGuid():N}:";
        cluster.Do("MSET", [.. Enumerable.Range(0, 30).SelectMany(i => new object?[] { prefix + i, "x" })]);
        Assert.Equal("OK", Text(await cluster.DoAsync("FLUSHALL")));
        Assert.Equal(0L, cluster.Do("DBSIZE"));
        foreach (LocalClusterNode master in await fixture.Cluster.GetMastersAsync()) Assert.Equal(0L, await master.ExecuteAsync("DBSIZE"));
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task CrossSlot_NonSplittableCommands_AreRefusedBeforeSending(bool useAsync)
    {
        await using RedisCluster cluster = await ConnectAsync();
        string a = $"xs:{{a-{Guid.NewGuid():N}}}", b = $"xs:{{b-{Guid.NewGuid():N}}}", dest = $"xs:{{c-{Guid.NewGuid():N}}}";
        for (int i = 0; RedisCluster.Slot(a) == RedisCluster.Slot(b) && i < 10; i++) b += "x";
        Assert.NotEqual(RedisCluster.Slot(a), RedisCluster.Slot(b));
        cluster.Do("SADD", a, "1");
        cluster.Do("SADD", b, "2");

        var sunion = await Assert.ThrowsAsync<RedisException>(() => Do(cluster, useAsync, "SUNION", a, b));
        Assert.Contains("Nothing was sent", sunion.Message);
        var store = await Assert.ThrowsAsync<RedisException>(() => Do(cluster, useAsync, "SUNIONSTORE", dest, a, b));
        Assert.Contains("slots", store.Message);
        IRedisCommands c = cluster.Commands();
        await Assert.ThrowsAsync<RedisException>(() => Run(useAsync, () => c.ZUnionStore(dest, [a, b]), () => c.ZUnionStoreAsync(dest, [a, b])));
        Assert.Equal(0L, cluster.Do("EXISTS", dest));
        Assert.Equal(0, cluster.Stats.Moved);
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task Transaction_InOneSlotRuns_AcrossSlotsIsRefusedBeforeSending_AndWatchRetries(bool useAsync)
    {
        await using RedisCluster cluster = await ConnectAsync();
        string tag = Guid.NewGuid().ToString("N");
        string a = $"tx:{{{tag}}}:a", b = $"tx:{{{tag}}}:b", other = $"tx:{{o{tag}}}:c";
        for (int i = 0; RedisCluster.Slot(other) == RedisCluster.Slot(a) && i < 10; i++) other += "x";

        Action<IConn> oneSlot = tx =>
        {
            tx.Send("SET", a, "1");
            tx.Send("INCR", b);
            tx.Send("INCR", b);
        };
        object?[] replies = useAsync ? await cluster.TransactionAsync(oneSlot) : cluster.Transaction(oneSlot);
        Assert.Equal(3, replies.Length);
        Assert.Equal("OK", Text(replies[0]));
        Assert.Equal(2L, replies[2]);

        Action<IConn> crossSlot = tx =>
        {
            tx.Send("SET", a, "2");
            tx.Send("SET", other, "2");
        };
        var refused = useAsync
            ? await Assert.ThrowsAsync<RedisException>(async () => await cluster.TransactionAsync(crossSlot))
            : Assert.Throws<RedisException>(() => cluster.Transaction(crossSlot));
        Assert.Contains("Nothing was sent", refused.Message);
        Assert.Equal("1", Text(cluster.Do("GET", a)));
        Assert.Equal(0L, cluster.Do("EXISTS", other));

        // WATCH: a concurrent change between WATCH and EXEC aborts the first attempt; the second commits.
        int attempts = 0;
        Action<IConn>? Prepare(IConn conn)
        {
            attempts++;
            long value = Reply.Int64(conn.Do("GET", b));
            if (attempts == 1) cluster.Do("INCRBY", b, 10);
            return tx => tx.Send("SET", b, value * 2);
        }
        object?[]? watched = useAsync
            ? await cluster.TransactionAsync([b], (conn, _) => ValueTask.FromResult(Prepare(conn)))
            : cluster.Transaction([b], Prepare);
        Assert.Equal(2, attempts);
        Assert.Equal("OK", Text(Assert.Single(watched!)));
        Assert.Equal("24", Text(cluster.Do("GET", b)));

        Assert.Throws<RedisException>(() => cluster.Transaction([a, other], _ => null));
    }

    [SkippableFact]
    public async Task Scripts_EvalShaAnswersNoScriptUntilLoaded_EvalWorks_AndScriptHelperFallsBackOnTheKeysOwner()
    {
        await using RedisCluster cluster = await ConnectAsync();
        string key = $"script:{Guid.NewGuid():N}";
        string source = $"return 'script-{Guid.NewGuid():N}'";
        var script = new Script(1, source);

        var missing = Assert.Throws<RedisServerException>(() => cluster.Do("EVALSHA", script.Hash, 1, key));
        Assert.Equal("NOSCRIPT", missing.Prefix);
        Assert.StartsWith("script-", Text(cluster.Do("EVAL", source, 1, key)));
        Assert.StartsWith("script-", Text(await cluster.DoAsync("EVALSHA", script.Hash, 1, key))); // EVAL cached it on the key's owner

        // Script through the cluster itself: EVALSHA routed by its key, NOSCRIPT there, then EVAL (which caches it on that node).
        var fresh = new Script(1, $"return KEYS[1] .. '-{Guid.NewGuid():N}'");
        Assert.StartsWith(key + "-", Text(fresh.Do(cluster, key)));
        Assert.StartsWith(key + "-", Text(cluster.Do("EVALSHA", fresh.Hash, 1, key)));
        var freshAsync = new Script(1, $"return KEYS[1] .. '-async-{Guid.NewGuid():N}'");
        Assert.StartsWith(key + "-async-", Text(await freshAsync.DoAsync(cluster, [key])));

        // And on the key owner's dedicated connection (Script over IConn).
        var onConn = new Script(1, $"return KEYS[1] .. '-conn-{Guid.NewGuid():N}'");
        using (IConnWithTimeout conn = cluster.GetDedicated(key))
        {
            Assert.StartsWith(key + "-conn-", Text(onConn.Do(conn, key)));
        }

        // SCRIPT LOAD goes to every node (all_nodes), so EVALSHA then works for keys of any slot.
        var loaded = new Script(0, $"return 'loaded-{Guid.NewGuid():N}'");
        Assert.Equal(loaded.Hash, Text(cluster.Do("SCRIPT", "LOAD", loaded.Source)));
        foreach (int i in Enumerable.Range(0, 12)) Assert.StartsWith("loaded-", Text(cluster.Do("EVALSHA", loaded.Hash, 1, $"any:{i}")));
        Assert.Equal(0, cluster.Stats.Moved);
    }

    [SkippableTheory]
    [InlineData(ReadFrom.Replica)]
    [InlineData(ReadFrom.PreferReplica)]
    public async Task ReadFromReplica_ServesReadsOnReplicas_AndWritesOnMasters(ReadFrom readFrom)
    {
        LocalCluster local = fixture.Cluster;
        await using RedisCluster cluster = await ConnectAsync(new ClusterOptions { ReadFrom = readFrom, CommandTimeout = TimeSpan.FromSeconds(10) });
        string key = $"rf:{Guid.NewGuid():N}";
        LocalClusterNode master = await local.GetMasterOfKeyAsync(key);
        LocalClusterNode replica = await local.GetReplicaOfAsync(master);
        await master.ExecuteAsync("CONFIG", "RESETSTAT");
        await replica.ExecuteAsync("CONFIG", "RESETSTAT");

        Assert.Equal("OK", Text(cluster.Do("SET", key, "v")));
        // The replica may lag: read until the write arrived (bounded), then a fixed number of reads.
        object? value = null;
        for (int i = 0; i < 100 && value is null; i++)
        {
            value = await cluster.DoAsync("GET", key);
            if (value is null) await Task.Delay(50);
        }
        Assert.Equal("v", Text(value));
        for (int i = 0; i < 20; i++) Assert.Equal("v", Str(await cluster.Commands().GetAsync(key)));

        Assert.Equal(0L, GetCalls(await master.ExecuteAsync("INFO", "commandstats")));
        Assert.True(GetCalls(await replica.ExecuteAsync("INFO", "commandstats")) >= 21);
        Assert.Contains("cmdstat_set:calls=1,", (string)(await master.ExecuteAsync("INFO", "commandstats"))!);

        // A write is never sent to a replica.
        Assert.Equal(1L, cluster.Do("INCR", key + ":n"));
        Assert.Equal(0, cluster.Stats.Moved);
    }

    [SkippableFact]
    public async Task ReadFromReplica_TheFirstReadRightAfterConnect_IsServed()
    {
        string key = $"rf0:{Guid.NewGuid():N}";
        await using (RedisCluster writer = await ConnectAsync()) writer.Do("SET", key, "v");
        await using RedisCluster cluster = await ConnectAsync(new ClusterOptions { ReadFrom = ReadFrom.Replica, CommandTimeout = TimeSpan.FromSeconds(10) });
        object? first = await cluster.DoAsync("GET", key); // nil if the replica lags; must not throw
        Assert.True(first is null || Text(first) == "v");
        await using RedisCluster sync = await ConnectAsync(new ClusterOptions { ReadFrom = ReadFrom.Replica, CommandTimeout = TimeSpan.FromSeconds(10) });
        object? firstSync = sync.Do("GET", key);
        Assert.True(firstSync is null || Text(firstSync) == "v");
    }

    private static long GetCalls(object? info)
    {
        string text = (string)info!;
        int at = text.IndexOf("cmdstat_get:calls=", StringComparison.Ordinal);
        if (at < 0) return 0;
        at += "cmdstat_get:calls=".Length;
        int end = text.IndexOf(',', at);
        return long.Parse(text.AsSpan(at, end - at), System.Globalization.CultureInfo.InvariantCulture);
    }
}
