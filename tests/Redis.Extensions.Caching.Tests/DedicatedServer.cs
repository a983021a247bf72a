using Redis.Testing;

namespace Redis.Extensions.Caching.Tests;

/// <summary>
/// A redis-server of a test's own (for server-wide counters or a changed configuration). When none can be
/// started the test is skipped with the reason, except under <c>CI=true</c>, where it fails.
/// </summary>
public static class DedicatedServer
{
    /// <summary>Starts a local redis-server with <paramref name="options"/>, or skips as described.</summary>
    public static async Task<TestServer> StartAsync(TestServerOptions options)
    {
        try
        {
            return await TestServer.StartAsync(options with { RequireLocalRedisServer = true });
        }
        catch (TestServerUnavailableException ex) when (!TestServer.IsCi)
        {
            Skip.If(true, $"needs a local redis-server ({options.Reason}): {ex.Message}");
            throw; // unreachable: Skip.If throws
        }
    }
}
