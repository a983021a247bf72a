using Redis.Testing;
using Redis.Tests.Infrastructure;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests;

/// <summary>Dialing a local redis-server over its Unix domain socket, by address and by <c>unix://</c> URL; sync and async.</summary>
[Trait("Server", "RedisOnly")]
public class UnixSocketTests(UnixSocketServerFixture fixture) : IClassFixture<UnixSocketServerFixture>
{
    public static TheoryData<bool> Modes() => new() { false, true };

    private static async Task<IConn> Dial(bool useAsync, string path, DialOptions? options = null)
        => useAsync ? await Conn.DialAsync("unix", path, options) : Conn.Dial("unix", path, options);

    private static async Task<IConn> DialUrl(bool useAsync, string url)
        => useAsync ? await Conn.DialUrlAsync(url) : Conn.DialUrl(url);

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task DialUnix_ByPath_PingsAndRoundTripsAValue(bool useAsync)
    {
        string path = await fixture.SocketPathAsync();
        string key = ServerFixture.Key("unix");

        await using IConn c = await Dial(useAsync, path);

        Assert.Equal("PONG", await c.Do(useAsync, "PING"));
        Assert.Equal("OK", await c.Do(useAsync, "SET", key, "over a unix socket"));
        Assert.Equal("over a unix socket", Text(await c.Do(useAsync, "GET", key)));
        Assert.Null(c.Err);
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task DialUnix_ConnectsThroughTheSocket_NotTcp(bool useAsync)
    {
        string path = await fixture.SocketPathAsync();

        await using IConn c = await Dial(useAsync, path, DialOptions.Default with { ClientName = "unix-probe" });

        // redis-server reports a Unix-socket client with addr=/path:0 and flags containing 'U'.
        string info = Text(await c.Do(useAsync, "CLIENT", "INFO"));
        Assert.Contains("name=unix-probe", info, StringComparison.Ordinal);
        Assert.Contains("laddr=" + path, info, StringComparison.Ordinal);
        Assert.Matches(@"\bflags=[A-Za-z]*U", info);
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task DialUrl_UnixSchemeWithDbQuery_SelectsThatDatabase(bool useAsync)
    {
        string path = await fixture.SocketPathAsync();
        string key = ServerFixture.Key("unix-db3");

        await using IConn c = await DialUrl(useAsync, "unix://" + path + "?db=3");

        Assert.Contains(" db=3 ", Text(await c.Do(useAsync, "CLIENT", "INFO")), StringComparison.Ordinal);
        Assert.Equal("OK", await c.Do(useAsync, "SET", key, "in db 3"));
        Assert.Equal("in db 3", Text(await c.Do(useAsync, "GET", key)));

        // The value lives in database 3 only.
        await using IConn db0 = await Dial(useAsync, path);
        Assert.Null(await db0.Do(useAsync, "GET", key));
        Assert.Equal("OK", await db0.Do(useAsync, "SELECT", 3));
        Assert.Equal("in db 3", Text(await db0.Do(useAsync, "GET", key)));
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    public async Task DialUnix_MissingSocket_ThrowsRedisConnectionException(bool useAsync)
    {
        string path = await fixture.SocketPathAsync();
        string missing = Path.Combine(Path.GetDirectoryName(path)!, "no-such.sock");

        var error = await Assert.ThrowsAnyAsync<RedisConnectionException>(async () =>
        {
            await using IConn c = await Dial(useAsync, missing);
        });

        Assert.IsNotType<RedisTimeoutException>(error);
    }
}

/// <summary>One redis-server with a Unix socket for <see cref="UnixSocketTests"/>, started on first use.</summary>
public sealed class UnixSocketServerFixture : IAsyncLifetime
{
    private readonly Lazy<Task<TestServer>> _server = new(() => DedicatedServer.StartAsync(new TestServerOptions
    {
        UnixSocket = true,
        Reason = "unix socket",
    }));

    /// <summary>The server's socket path (skips, or under CI fails, when no redis-server can start).</summary>
    public async Task<string> SocketPathAsync()
    {
        TestServer server = await _server.Value;
        return server.UnixSocketPath ?? throw new InvalidOperationException($"{server.Description} has no unix socket.");
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (!_server.IsValueCreated) return;
        TestServer server;
        try
        {
            server = await _server.Value;
        }
        catch (Exception)
        {
            return; // it never started; the tests already reported why
        }
        await server.DisposeAsync();
    }
}
