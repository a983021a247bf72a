using System.Globalization;
using Testcontainers.Redis;

namespace Redis.Testing;

/// <summary>A Redis container started through Testcontainers.Redis.</summary>
internal sealed class RedisContainerHost : IAsyncDisposable
{
    /// <summary>Image used unless <c>REDIS_TEST_IMAGE</c> names another.</summary>
    public const string DefaultImage = "redis:7.0";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly RedisContainer _container;

    private RedisContainerHost(RedisContainer container, string image)
    {
        _container = container;
        Image = image;
        Host = container.Hostname;
        Port = container.GetMappedPublicPort(6379);
    }

    public string Image { get; }

    public string Host { get; }

    public int Port { get; }

    public string ContainerId => _container.Id;

    /// <summary>Starts the container; returns null (after logging why) when Docker turns out to be unusable.</summary>
    public static async Task<RedisContainerHost?> TryStartAsync(Action<string> log, CancellationToken ct)
    {
        var image = Environment.GetEnvironmentVariable("REDIS_TEST_IMAGE") is { Length: > 0 } custom ? custom : DefaultImage;
        RedisContainer? container = null;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(StartTimeout);
        try
        {
            container = new RedisBuilder(image).Build();
            await container.StartAsync(cts.Token).ConfigureAwait(false);
            return new RedisContainerHost(container, image);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log(string.Create(CultureInfo.InvariantCulture, $"test server: Testcontainers could not start {image} ({e.GetType().Name}: {FirstLine(e.Message)}); trying the next option"));
            if (container is not null)
            {
                try
                {
                    await container.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception disposeError) when (disposeError is not OutOfMemoryException)
                {
                    // Best effort: Testcontainers' resource reaper removes what is left.
                }
            }

            return null;
        }
    }

    public ValueTask DisposeAsync() => _container.DisposeAsync();

    private static string FirstLine(string message)
    {
        var newline = message.IndexOfAny(['\r', '\n']);
        return newline < 0 ? message : message[..newline];
    }
}
