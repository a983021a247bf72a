using System.Diagnostics;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests.Sentinel;

/// <summary>
/// Client-side caching on a Sentinel-backed client through SENTINEL FAILOVER (a set of the test's own), RESP2 (tracking
/// redirected to an invalidation connection, which must move too) and RESP3 (invalidations on the data connection).
/// </summary>
[Trait("Server", "RedisOnly")]
public class SentinelClientCacheTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Ttl = TimeSpan.FromMinutes(1);

    private void Log(string line)
    {
        output.WriteLine(line);
        Console.Error.WriteLine(line);
    }

    [SkippableTheory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task CachingClient_FollowsSentinelFailover_AndServesTheNewMastersValues(int protocol)
    {
        await using LocalSentinelSet set = await DedicatedSentinelSet.StartAsync(options: new LocalSentinelOptions { Log = Log });
        LocalSentinelNode old = await set.GetMasterAsync();
        var options = SentinelClientKit.ClientOptions with { Cache = new CacheOptions() };
        await using RedisClient client = RedisClient.Connect(SentinelClientKit.For(set), new DialOptions { Protocol = protocol }, options);
        string key = SentinelFixture.Key("cached");
        await client.DoAsync("SET", key, "before");
        Assert.Equal("before", Text(await client.DoCachedAsync(Ttl, "GET", [key])));
        Assert.Equal("before", Text(await client.DoCachedAsync(Ttl, "GET", [key])));

        var clock = Stopwatch.StartNew();
        LocalSentinelNode promoted = await set.FailoverAsync();
        TimeSpan switched = clock.Elapsed;

        // Writes reach the new master within the bound (a RESP2 reconnect must redirect tracking to a listener there).
        TimeSpan? served = null;
        while (clock.Elapsed - switched < Bound + Bound)
        {
            try
            {
                await client.DoAsync("SET", key, "after");
                if (Text(await SentinelClientKit.On(set, promoted, "GET", key)) == "after")
                {
                    served = clock.Elapsed;
                    break;
                }
            }
            catch (RedisConnectionException)
            {
            }

            await Task.Delay(20);
        }

        Log($"caching client (RESP{protocol}) across SENTINEL FAILOVER {old.Address} -> {promoted.Address}: first write on the new master {SentinelClientKit.Ms(served - switched)} after the sentinels agreed");
        Assert.True(served is { } s && s - switched < Bound, $"no write on the new master within {Bound.TotalSeconds} s of the switch ({SentinelClientKit.Ms(served - switched)})");

        // The cache was flushed at the move and tracks the new master: a cached read sees its value, then its changes.
        Assert.Equal("after", Text(await client.DoCachedAsync(Ttl, "GET", [key])));
        await SentinelClientKit.On(set, promoted, "SET", key, "changed-on-new-master");
        var wait = Stopwatch.StartNew();
        string seen;
        while ((seen = Text(await client.DoCachedAsync(Ttl, "GET", [key]))) != "changed-on-new-master" && wait.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(20);
        Assert.Equal("changed-on-new-master", seen);
    }
}
