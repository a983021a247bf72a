using Redis.Testing;

namespace Redis.Tests.Infrastructure;

/// <summary>
/// One local Sentinel set (a master, one replica, three sentinels monitoring it as <c>mymaster</c>) shared by the tests
/// of a class (<c>IClassFixture&lt;SentinelFixture&gt;</c>). Tests isolate themselves with unique keys and leave the set
/// healthy; destructive tests (failover, kill -9, pause, restart) take a set of their own with
/// <see cref="DedicatedSentinelSet.StartAsync"/>. When no set can be started (no redis-server) <see cref="Set"/> skips
/// the test with the reason, except under <c>CI=true</c>, where it fails.
/// </summary>
public sealed class SentinelFixture : IAsyncLifetime
{
    private LocalSentinelSet? _set;
    private string? _unavailable;

    /// <summary>The shared set; skips (or under CI fails) the calling test when none could start. Use in <c>[SkippableFact]</c> tests.</summary>
    public LocalSentinelSet Set
    {
        get
        {
            if (_set is not null) return _set;
            DedicatedSentinelSet.SkipOrFail(_unavailable ?? "the sentinel set has not started");
            throw new InvalidOperationException("unreachable: SkipOrFail throws");
        }
    }

    /// <summary>Dials <paramref name="node"/> (a data node or a sentinel) with the low-level connection.</summary>
    public static IConn Dial(LocalSentinelNode node, DialOptions? options = null) => Conn.Dial("tcp", node.Address, options);

    /// <summary>Dials <paramref name="node"/> with the low-level connection, asynchronously.</summary>
    public static async Task<IConn> DialAsync(LocalSentinelNode node, DialOptions? options = null) => await Conn.DialAsync("tcp", node.Address, options);

    /// <summary>
    /// A PubSubConn on <paramref name="sentinel"/> (authenticated with the set's sentinel password, if any) subscribed to
    /// <paramref name="channel"/>, e.g. <c>+switch-master</c>, with the subscription confirmed.
    /// </summary>
    public static async Task<PubSubConn> SubscribeAsync(LocalSentinelSet set, LocalSentinelNode sentinel, string channel)
    {
        var sub = new PubSubConn(await DialAsync(sentinel, new DialOptions { ConnectTimeout = TimeSpan.FromSeconds(5), WriteTimeout = TimeSpan.FromSeconds(10), Password = set.Options.SentinelPassword }));
        try
        {
            await sub.SubscribeAsync([channel]);
            Assert.Equal(new Subscription("subscribe", channel, 1), await sub.ReceiveWithTimeoutAsync(TimeSpan.FromSeconds(5)));
            return sub;
        }
        catch
        {
            await sub.DisposeAsync();
            throw;
        }
    }

    /// <summary>The next message on <paramref name="channel"/> (other events are skipped), within <paramref name="timeout"/>.</summary>
    public static async Task<Message> ReceiveAsync(PubSubConn sub, string channel, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            TimeSpan left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"no {channel} message on {sub} within {timeout.TotalSeconds:0.#} s");
            if (await sub.ReceiveWithTimeoutAsync(left) is Message message && message.Channel == channel) return message;
        }
    }

    /// <summary>A key no other test uses.</summary>
    public static string Key(string name) => $"it:{name}:{Guid.NewGuid():N}";

    async Task IAsyncLifetime.InitializeAsync()
    {
        try
        {
            _set = await LocalSentinelSet.StartAsync();
        }
        catch (TestServerUnavailableException ex)
        {
            // Reported by the tests (skip, or fail under CI): a throwing fixture would fail every test of the class with a less useful message.
            _unavailable = ex.Message;
        }
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_set is not null) await _set.DisposeAsync();
    }
}
