using Redis.Testing;

namespace Redis.Extensions.DependencyInjection.Tests;

/// <summary>
/// Local clusters and Sentinel sets for the tests that need one. When none can start (no redis-server or redis-cli) the
/// test is skipped with the reason, except under <c>CI=true</c>, where it fails (as in the integration tests'
/// <c>DedicatedCluster</c>): CI installs both, so a missing one there is a broken build.
/// </summary>
internal static class Deployments
{
    public static async Task<LocalCluster> StartClusterAsync()
    {
        try
        {
            return await LocalCluster.StartAsync(masters: 3, replicasPerMaster: 0);
        }
        catch (TestServerUnavailableException ex)
        {
            SkipOrFail("a local Redis Cluster", ex.Message);
            throw; // unreachable: SkipOrFail throws
        }
    }

    public static async Task<LocalSentinelSet> StartSentinelSetAsync(LocalSentinelOptions options)
    {
        try
        {
            return await LocalSentinelSet.StartAsync(replicas: 1, sentinels: 2, options: options);
        }
        catch (TestServerUnavailableException ex)
        {
            SkipOrFail("a local Sentinel set", ex.Message);
            throw; // unreachable: SkipOrFail throws
        }
    }

    private static void SkipOrFail(string what, string reason)
    {
        if (TestServer.IsCi) Assert.Fail($"CI must run the tests that need {what}: {reason}");
        Skip.If(true, $"needs {what}: {reason}");
    }

    /// <summary>A key no other test uses.</summary>
    public static string Key(string name) => $"di:{name}:{Guid.NewGuid():N}";
}
