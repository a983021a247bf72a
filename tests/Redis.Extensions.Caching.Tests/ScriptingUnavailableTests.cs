using System.Globalization;
using Garnet;
using Microsoft.Extensions.Caching.Distributed;
using Redis.Testing;

namespace Redis.Extensions.Caching.Tests;

/// <summary>
/// A server without scripting (here: a redis-server whose EVALSHA and EVAL are renamed away, as on Garnet
/// without --lua or services that disable scripting) still serves the cache, with plain commands.
/// </summary>
public class ScriptingUnavailableTests
{
    [SkippableFact]
    public async Task WithoutScripting_TheCacheFallsBackToPlainCommands_AndKeepsTheExpirationRules()
    {
        string hidden = Guid.NewGuid().ToString("N");
        await using TestServer server = await DedicatedServer.StartAsync(new TestServerOptions
        {
            Reason = "a server without EVAL/EVALSHA",
            ExtraArgs = ["--rename-command", "EVALSHA", "evalsha-" + hidden, "--rename-command", "EVAL", "eval-" + hidden],
        });
        await using var client = await RedisClient.ConnectAsync(server.Url);
        var cache = new RedisDistributedCache(client, "noscript:");

        await cache.SetAsync("k", [3], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(10) });
        Assert.Equal("6000000000"u8.ToArray(), await client.DoAsync("HGET", "noscript:k", "sldexp")); // 10 minutes in ticks
        await client.DoAsync("PEXPIRE", "noscript:k", 1_000);

        ClientStats before = client.Stats;
        Assert.Equal([3], cache.Get("k"));
        ClientStats after = client.Stats;
        Assert.Equal(2, after.Commands - before.Commands); // HMGET, then PEXPIRE: the script is no longer tried
        Assert.InRange((long)(await client.DoAsync("PTTL", "noscript:k"))!, 1_001, 600_000);
    }

    [Fact]
    public async Task OnGarnetWithoutLua_TheCacheFallsBackToPlainCommands_AndAspNetCoresCacheReadsItsEntries()
    {
        // Garnet's default: no --lua, so EVALSHA answers "ERR This instance has Lua scripting support disabled".
        int port = TestServer.AllocateFreePort();
        using var garnet = new GarnetServer(["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "-q"]);
        garnet.Start();
        await using var client = await RedisClient.ConnectAsync($"redis://127.0.0.1:{port}");
        var error = await Assert.ThrowsAsync<RedisServerException>(async () => await client.DoAsync("EVALSHA", new string('0', 40), 0));
        Assert.Contains("disabled", error.Message, StringComparison.OrdinalIgnoreCase);

        var cache = new RedisDistributedCache(client, "nolua:");
        await cache.SetAsync("k", [4], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(10) });
        await client.DoAsync("PEXPIRE", "nolua:k", 1_000);
        ClientStats before = client.Stats;
        Assert.Equal([4], await cache.GetAsync("k"));
        Assert.Equal(2, client.Stats.Commands - before.Commands);
        Assert.InRange((long)(await client.DoAsync("PTTL", "nolua:k"))!, 1_001, 600_000);

        await using var aspNet = await AspNetCoreRedisCache.ConnectAsync("127.0.0.1", port);
        Assert.Equal([4], await aspNet.NewCache("nolua:").GetAsync("k"));
    }
}
