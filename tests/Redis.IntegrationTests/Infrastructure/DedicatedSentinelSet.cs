using Redis.Testing;

namespace Redis.Tests.Infrastructure;

/// <summary>
/// A local Sentinel set of a test's own, for destructive tests (failover, kill -9, pause, restart) that must not disturb
/// others: <c>await using var set = await DedicatedSentinelSet.StartAsync();</c>. When none can be started the test is
/// skipped with the reason, except under <c>CI=true</c>, where it fails: CI installs redis-server, so a missing one
/// there is a broken build, not a reason to skip.
/// </summary>
public static class DedicatedSentinelSet
{
    /// <summary>Starts a set (see <see cref="LocalSentinelSet.StartAsync"/>) or skips/fails as described.</summary>
    public static async Task<LocalSentinelSet> StartAsync(string masterName = "mymaster", int replicas = 1, int sentinels = 3, LocalSentinelOptions? options = null)
    {
        try
        {
            return await LocalSentinelSet.StartAsync(masterName, replicas, sentinels, options);
        }
        catch (TestServerUnavailableException ex)
        {
            SkipOrFail(ex.Message);
            throw; // unreachable: SkipOrFail throws
        }
    }

    /// <summary>Skips the test with <paramref name="reason"/>, or fails it under <c>CI=true</c>.</summary>
    public static void SkipOrFail(string reason)
    {
        if (TestServer.IsCi) Assert.Fail($"CI must run the sentinel tests: {reason}");
        Skip.If(true, $"needs a local Redis Sentinel set: {reason}");
    }
}
