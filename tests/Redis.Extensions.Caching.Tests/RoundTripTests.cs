using System.Globalization;
using Microsoft.Extensions.Caching.Distributed;
using Redis.Testing;
using Xunit.Abstractions;

namespace Redis.Extensions.Caching.Tests;

/// <summary>
/// A read of an entry with a sliding expiration costs one round trip with this cache and two with ASP.NET
/// Core's. Counted on the client: <see cref="RedisClient.Stats"/> (commands queued and socket writes of a
/// client of the test's own) for ours, StackExchange.Redis's profiler (every command it sends) for theirs;
/// and on a server of its own, <c>INFO commandstats</c>, which shows which commands the client sent
/// (EVALSHA) and which the script ran inside it (HMGET, PEXPIRE).
/// </summary>
[Collection(CacheCollection.Name)]
public class RoundTripTests(CacheFixture fixture, ITestOutputHelper output)
{
    private static readonly DistributedCacheEntryOptions Sliding = new() { SlidingExpiration = TimeSpan.FromMinutes(10) };

    private async Task<(long Commands, long Writes)> MeasureOurSlidingReadAsync(bool useScripts, bool useAsync)
    {
        await using var client = await RedisClient.ConnectAsync(fixture.Server.Url);
        string prefix = CacheFixture.NewInstanceName("roundtrip");
        var cache = new RedisDistributedCache(new RedisDistributedCacheOptions { Client = client, InstanceName = prefix, UseScripts = useScripts });
        await cache.SetAsync("k", [7], Sliding);
        await cache.GetAsync("k"); // the first EVALSHA of a script the server has not seen is answered NOSCRIPT, then EVAL
        await fixture.Client.DoAsync("PEXPIRE", prefix + "k", 1_000); // so that the refresh shows

        ClientStats before = client.Stats;
        byte[]? value = useAsync ? await cache.GetAsync("k") : cache.Get("k");
        ClientStats after = client.Stats;

        Assert.Equal([7], value);
        Assert.InRange(await fixture.PttlAsync(prefix + "k"), 1_001, 600_000); // the read did refresh
        var measured = (after.Commands - before.Commands, after.Writes - before.Writes);
        output.WriteLine($"ours (scripts {(useScripts ? "on" : "off")}, {(useAsync ? "async" : "sync")}): {measured.Item1} command(s), {measured.Item2} socket write(s)");
        return measured;
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task OurSlidingRead_IsOneCommandInOneWrite(bool useAsync)
    {
        Assert.Equal((1L, 1L), await MeasureOurSlidingReadAsync(useScripts: true, useAsync));
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task WithoutScripts_OurSlidingReadTakesTwoCommands(bool useAsync)
    {
        Assert.Equal((2L, 2L), await MeasureOurSlidingReadAsync(useScripts: false, useAsync));
    }

    [Fact]
    public async Task TheirSlidingRead_IsTwoCommands_HmgetThenExpire()
    {
        await using var aspNet = await AspNetCoreRedisCache.ConnectAsync(fixture.Server.Host, fixture.Server.Port);
        string prefix = CacheFixture.NewInstanceName("roundtrip-theirs");
        var theirs = aspNet.NewCache(prefix);
        await theirs.SetAsync("k", [7], Sliding);
        await theirs.GetAsync("k");
        await fixture.Client.DoAsync("PEXPIRE", prefix + "k", 1_000);

        byte[]? value = null;
        var commands = await aspNet.RecordAsync(async () => value = await theirs.GetAsync("k"));

        Assert.Equal([7], value);
        Assert.InRange(await fixture.PttlAsync(prefix + "k"), 1_001, 600_000);
        string[] names = [.. commands.Select(c => c.Command)];
        output.WriteLine($"theirs: {names.Length} command(s): {string.Join(", ", names)}");
        // The EXPIRE's time to live is computed from the HMGET's reply, so it cannot leave before that reply is back: two round trips.
        Assert.Equal(2, names.Length);
        Assert.Equal("HMGET", names[0]);
        Assert.Contains(names[1], new[] { "EXPIRE", "PEXPIRE" });
    }

    [SkippableFact]
    public async Task ServerCommandStats_OurReadIsOneEvalshaRunningHmgetAndPexpire_TheirsIsHmgetThenExpire()
    {
        await using TestServer server = await DedicatedServer.StartAsync(new TestServerOptions { Reason = "INFO commandstats of a server of its own" });
        await using var client = await RedisClient.ConnectAsync(server.Url);
        await using var aspNet = await AspNetCoreRedisCache.ConnectAsync(server.Host, server.Port);
        var ours = new RedisDistributedCache(client, "ours:");
        var theirs = aspNet.NewCache("theirs:");
        await ours.SetAsync("k", [7], Sliding);
        await theirs.SetAsync("k", [7], Sliding);
        await ours.GetAsync("k");
        await theirs.GetAsync("k");

        var before = await CommandStatsAsync(client);
        await ours.GetAsync("k");
        var afterOurs = await CommandStatsAsync(client);
        await theirs.GetAsync("k");
        var afterTheirs = await CommandStatsAsync(client);

        var ourDelta = Delta(before, afterOurs);
        var theirDelta = Delta(afterOurs, afterTheirs);
        output.WriteLine("ours:   " + string.Join(", ", ourDelta.Select(p => $"{p.Key}+{p.Value}")));
        output.WriteLine("theirs: " + string.Join(", ", theirDelta.Select(p => $"{p.Key}+{p.Value}")));
        // Commands run by a script are counted too: ours is one EVALSHA whose script ran HMGET and PEXPIRE.
        Assert.Equal(new Dictionary<string, long> { ["evalsha"] = 1, ["hmget"] = 1, ["pexpire"] = 1 }, ourDelta);
        Assert.Equal(1, theirDelta["hmget"]);
        Assert.Equal(1, theirDelta.GetValueOrDefault("expire") + theirDelta.GetValueOrDefault("pexpire"));
        Assert.False(theirDelta.ContainsKey("evalsha"));
    }

    // calls per command, without the INFO that reads them
    private static async Task<Dictionary<string, long>> CommandStatsAsync(RedisClient client)
    {
        object? reply = await client.DoAsync("INFO", "commandstats");
        string text = reply is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : (string)reply!;
        var stats = new Dictionary<string, long>();
        foreach (string line in text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith("cmdstat_", StringComparison.Ordinal)) continue;
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string name = line["cmdstat_".Length..colon];
            string calls = line[(colon + 1)..].Split(',')[0]["calls=".Length..];
            if (name != "info") stats[name] = long.Parse(calls, CultureInfo.InvariantCulture);
        }
        return stats;
    }

    private static Dictionary<string, long> Delta(Dictionary<string, long> before, Dictionary<string, long> after) =>
        after.Select(p => (p.Key, Value: p.Value - before.GetValueOrDefault(p.Key)))
            .Where(p => p.Value != 0)
            .ToDictionary(p => p.Key, p => p.Value);
}
