using Redis.Testing;

namespace Redis.Tests.Infrastructure;

/// <summary>
/// Starts a redis-server of a test's own (TLS, ACL, unix socket, a password). When none can be
/// started the test is skipped with the reason, except under <c>CI=true</c>, where it fails: CI
/// installs redis-server, so a missing one there is a broken build, not a reason to skip.
/// </summary>
public static class DedicatedServer
{
    /// <summary>Starts a server with <paramref name="options"/> or skips/fails as described.</summary>
    public static async Task<TestServer> StartAsync(TestServerOptions options)
    {
        try
        {
            return await TestServer.StartAsync(options with { RequireLocalRedisServer = true });
        }
        catch (TestServerUnavailableException ex) when (!TestServer.IsCi)
        {
            Skip.If(true, ex.Message); // it names the reason, the missing server and how to install one
            throw; // unreachable: Skip.If throws
        }
    }

    /// <summary>Skips (or fails under CI) when the shared server is not a real Redis.</summary>
    public static void RequireRealRedis(TestServer server, string reason)
    {
        if (server.IsRealRedis) return;
        if (TestServer.IsCi) Assert.Fail($"CI must run against a real redis-server ({reason}); got {server.Description}");
        Skip.If(true, $"needs a real redis-server ({reason}); running against {server.Description}");
    }
}
