using Redis.Testing;

namespace Redis.Samples.Tests;

/// <summary>
/// The shared test server (real redis-server, else embedded Garnet), samples/WebApp configured to use it,
/// and a client of the tests' own to look at what the application wrote.
/// </summary>
public sealed class WebAppFixture : IAsyncLifetime
{
    private TestServer? _server;
    private RedisClient? _redis;
    private WebAppFactory? _app;

    /// <summary>The server the application uses.</summary>
    public TestServer Server => _server ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>A client on <see cref="Server"/>, independent of the application's.</summary>
    public RedisClient Redis => _redis ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>The application, pointed at <see cref="Server"/>.</summary>
    public WebAppFactory App => _app ?? throw new InvalidOperationException("The fixture has not started.");

    async Task IAsyncLifetime.InitializeAsync()
    {
        _server = await TestServer.SharedAsync();
        _redis = await RedisClient.ConnectAsync(_server.Url);
        _app = new WebAppFactory(_server.Url);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
    }
}
