using Redis.Testing;

namespace Redis.Tests.Infrastructure;

/// <summary>
/// The server most integration tests share (started once per test run by the test-server helper).
/// Tests isolate themselves with unique key names, never by flushing.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private TestServer? _server;

    /// <summary>The shared server.</summary>
    public TestServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>Dials the shared server.</summary>
    public IConn Dial(DialOptions? options = null) => Conn.Dial("tcp", Server.Address, options);

    /// <summary>Dials the shared server, sync or async.</summary>
    public async Task<IConn> DialAsync(bool useAsync, DialOptions? options = null)
        => useAsync ? await Conn.DialAsync("tcp", Server.Address, options) : Conn.Dial("tcp", Server.Address, options);

    /// <summary>A key no other test uses.</summary>
    public static string Key(string name) => $"it:{name}:{Guid.NewGuid():N}";

    async Task IAsyncLifetime.InitializeAsync() => _server = await TestServer.SharedAsync();

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

/// <summary>Tests in this collection share <see cref="ServerFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "server";
}
