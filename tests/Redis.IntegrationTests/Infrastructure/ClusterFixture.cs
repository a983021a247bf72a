using Redis.Testing;

namespace Redis.Tests.Infrastructure;

/// <summary>
/// One local Redis Cluster (3 masters + 3 replicas) shared by the tests of a class
/// (<c>IClassFixture&lt;ClusterFixture&gt;</c>). Tests isolate themselves with unique keys (or
/// <see cref="LocalCluster.FlushAllAsync"/>) and leave the cluster healthy; destructive tests (kill -9,
/// failover, pause) take a cluster of their own with <see cref="DedicatedCluster.StartAsync"/>.
/// When no cluster can be started (no redis-server or redis-cli) <see cref="Cluster"/> skips the test with
/// the reason, except under <c>CI=true</c>, where it fails.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private LocalCluster? _cluster;
    private string? _unavailable;

    /// <summary>The shared cluster; skips (or under CI fails) the calling test when none could start. Use in <c>[SkippableFact]</c> tests.</summary>
    public LocalCluster Cluster
    {
        get
        {
            if (_cluster is not null) return _cluster;
            DedicatedCluster.SkipOrFail(_unavailable ?? "the cluster has not started");
            throw new InvalidOperationException("unreachable: SkipOrFail throws");
        }
    }

    /// <summary>Dials <paramref name="node"/> with the low-level connection.</summary>
    public static IConn Dial(LocalClusterNode node, DialOptions? options = null) => Conn.Dial("tcp", node.Address, options);

    /// <summary>Dials <paramref name="node"/> with the low-level connection, asynchronously.</summary>
    public static async Task<IConn> DialAsync(LocalClusterNode node, DialOptions? options = null) => await Conn.DialAsync("tcp", node.Address, options);

    /// <summary>A key no other test uses, with an optional <c>{hash tag}</c> so several keys share a slot.</summary>
    public static string Key(string name, string? hashTag = null) =>
        hashTag is null ? $"it:{name}:{Guid.NewGuid():N}" : $"it:{name}:{{{hashTag}}}:{Guid.NewGuid():N}";

    async Task IAsyncLifetime.InitializeAsync()
    {
        try
        {
            _cluster = await LocalCluster.StartAsync();
        }
        catch (TestServerUnavailableException ex)
        {
            // Reported by the tests (skip, or fail under CI): a throwing fixture would fail every test of the class with a less useful message.
            _unavailable = ex.Message;
        }
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}
