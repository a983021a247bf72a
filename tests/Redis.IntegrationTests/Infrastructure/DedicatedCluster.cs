using Redis.Testing;

namespace Redis.Tests.Infrastructure;

/// <summary>
/// A local Redis Cluster of a test's own, for destructive tests (kill -9, failover, pause) that must not disturb
/// others: <c>await using var cluster = await DedicatedCluster.StartAsync();</c>. When none can be started the test
/// is skipped with the reason, except under <c>CI=true</c>, where it fails: CI installs redis-server and redis-tools,
/// so a missing one there is a broken build, not a reason to skip.
/// </summary>
public static class DedicatedCluster
{
    /// <summary>Starts a cluster or skips/fails as described.</summary>
    public static async Task<LocalCluster> StartAsync(int masters = 3, int replicasPerMaster = 1, LocalClusterOptions? options = null)
    {
        try
        {
            return await LocalCluster.StartAsync(masters, replicasPerMaster, options);
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
        if (TestServer.IsCi) Assert.Fail($"CI must run the cluster tests: {reason}");
        Skip.If(true, $"needs a local Redis Cluster: {reason}");
    }
}
