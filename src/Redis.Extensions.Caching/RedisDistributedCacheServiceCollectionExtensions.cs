using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Redis;
using Redis.Extensions.Caching;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="RedisDistributedCache"/> in a service collection.</summary>
public static class RedisDistributedCacheServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="RedisDistributedCache"/> (a singleton) as <see cref="IDistributedCache"/> (replacing any
    /// other, e.g. the in-memory one) and as <see cref="IBufferDistributedCache"/>, which <c>AddHybridCache()</c> then uses.
    /// </summary>
    /// <remarks>
    /// The cache uses the client its options name (<see cref="RedisDistributedCacheOptions.Client"/>,
    /// <see cref="RedisDistributedCacheOptions.ClientFactory"/> or <see cref="RedisDistributedCacheOptions.Url"/>), else the
    /// <see cref="IRedisClient"/> registered in the container, resolved on the cache's first operation:
    /// <code>
    /// services.AddRedis("redis://localhost:6379");          // registers IRedisClient (Redis.Extensions.DependencyInjection)
    /// services.AddRedisDistributedCache(o => o.InstanceName = "myapp:");
    /// services.AddHybridCache();                            // HybridCache now stores its entries in Redis
    /// </code>
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options (instance name, client, URL...); optional.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddRedisDistributedCache(this IServiceCollection services, Action<RedisDistributedCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        if (configure is not null) services.Configure(configure);
        services.TryAddSingleton(provider => new RedisDistributedCache(
            provider.GetRequiredService<IOptions<RedisDistributedCacheOptions>>().Value,
            () => provider.GetService<IRedisClient>()));
        services.Replace(ServiceDescriptor.Singleton<IDistributedCache>(provider => provider.GetRequiredService<RedisDistributedCache>()));
        services.Replace(ServiceDescriptor.Singleton<IBufferDistributedCache>(provider => provider.GetRequiredService<RedisDistributedCache>()));
        return services;
    }
}
