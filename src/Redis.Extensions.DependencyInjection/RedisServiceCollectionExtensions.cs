using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Redis;
using Redis.Extensions.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the Redis client: <see cref="IRedisClient"/> as a singleton (one server, a Redis Cluster or a Sentinel
/// deployment, per <see cref="RedisOptions"/>), plus the concrete <see cref="RedisClient"/> or <see cref="RedisCluster"/>.
/// </summary>
/// <remarks>
/// <para>The options are validated when the host starts (<c>ValidateOnStart</c>): a missing server, a bad URL or a
/// Cluster-and-Sentinel mix stops the start-up with a message that names the registration and never holds a password.</para>
/// <para>The client connects on first resolve, not at start-up: an application (and its health endpoint) can start while
/// Redis is still coming up, and a first connect that fails is tried again on the next resolve (a failed factory call is not
/// cached). Once connected, the client reconnects by itself. The container disposes it (asynchronously with
/// <c>await provider.DisposeAsync()</c>, as a host does on shutdown).</para>
/// <para>The options are read once, when the client is created. Calling <c>AddRedis</c> again adds configuration to the same
/// registration rather than a second client; use <c>AddKeyedRedis</c> for more than one.</para>
/// <para>Resolving <see cref="RedisClient"/> for a cluster registration (or <see cref="RedisCluster"/> for a standalone or
/// Sentinel one) throws <see cref="InvalidOperationException"/>; <see cref="IRedisClient"/> always works.</para>
/// </remarks>
public static class RedisServiceCollectionExtensions
{
    /// <summary>Registers an <see cref="IRedisClient"/> for <paramref name="url"/> (<c>redis://</c>, <c>rediss://</c>, <c>unix://</c> or <c>redis-sentinel://</c>).</summary>
    /// <example><code>builder.Services.AddRedis("redis://localhost:6379");</code></example>
    public static IServiceCollection AddRedis(this IServiceCollection services, string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        return Add(services, null, builder => builder.Configure(options => options.Url = url));
    }

    /// <summary>
    /// Registers an <see cref="IRedisClient"/> configured by <paramref name="configuration"/> (a section such as
    /// <c>builder.Configuration.GetSection("Redis")</c>; the schema is in the package README), then by
    /// <paramref name="configure"/> for what configuration cannot say (certificates, caching).
    /// </summary>
    public static IServiceCollection AddRedis(this IServiceCollection services, IConfiguration configuration, Action<RedisOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, null, builder => Bind(builder, configuration, configure));
    }

    /// <summary>Registers an <see cref="IRedisClient"/> configured in code.</summary>
    /// <example><code>services.AddRedis(options =&gt; { options.Mode = RedisMode.Cluster; options.Endpoints.Add("10.0.0.1:7000"); });</code></example>
    public static IServiceCollection AddRedis(this IServiceCollection services, Action<RedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, null, builder => builder.Configure(configure));
    }

    /// <summary>
    /// Registers an <see cref="IRedisClient"/> under <paramref name="name"/> for <paramref name="url"/>: resolve it with
    /// <c>[FromKeyedServices("name")] IRedisClient</c> or <c>GetRequiredKeyedService&lt;IRedisClient&gt;("name")</c>.
    /// </summary>
    public static IServiceCollection AddKeyedRedis(this IServiceCollection services, string name, string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        return Add(services, CheckName(name), builder => builder.Configure(options => options.Url = url));
    }

    /// <summary>Registers an <see cref="IRedisClient"/> under <paramref name="name"/>, configured by <paramref name="configuration"/> and then <paramref name="configure"/>.</summary>
    public static IServiceCollection AddKeyedRedis(this IServiceCollection services, string name, IConfiguration configuration, Action<RedisOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, CheckName(name), builder => Bind(builder, configuration, configure));
    }

    /// <summary>Registers an <see cref="IRedisClient"/> under <paramref name="name"/>, configured in code.</summary>
    public static IServiceCollection AddKeyedRedis(this IServiceCollection services, string name, Action<RedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, CheckName(name), builder => builder.Configure(configure));
    }

    private static string CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return name;
    }

    private static void Bind(OptionsBuilder<RedisOptions> builder, IConfiguration configuration, Action<RedisOptions>? configure)
    {
        builder.Bind(configuration);
        if (configure is not null) builder.Configure(configure);
    }

    // The options are named by the key ("" for the default registration), so keyed registrations never share settings.
    private static IServiceCollection Add(IServiceCollection services, string? key, Action<OptionsBuilder<RedisOptions>> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        string optionsName = key ?? Options.Options.DefaultName;
        OptionsBuilder<RedisOptions> builder = services.AddOptions<RedisOptions>(optionsName);
        configure(builder);
        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>());

        // TryAdd: calling AddRedis twice adds configuration, not a second client.
        if (key is null)
        {
            services.TryAddSingleton(provider => Create(provider, optionsName));
            services.TryAddSingleton(provider => As<RedisClient>(provider.GetRequiredService<IRedisClient>(), optionsName));
            services.TryAddSingleton(provider => As<RedisCluster>(provider.GetRequiredService<IRedisClient>(), optionsName));
        }
        else
        {
            services.TryAddKeyedSingleton(key, (provider, _) => Create(provider, optionsName));
            services.TryAddKeyedSingleton(key, (provider, _) => As<RedisClient>(provider.GetRequiredKeyedService<IRedisClient>(key), optionsName));
            services.TryAddKeyedSingleton(key, (provider, _) => As<RedisCluster>(provider.GetRequiredKeyedService<IRedisClient>(key), optionsName));
        }
        return services;
    }

    private static IRedisClient Create(IServiceProvider provider, string optionsName)
    {
        // Get validates (throwing OptionsValidationException) when the host did not already do it at start-up.
        RedisOptions options = provider.GetRequiredService<IOptionsMonitor<RedisOptions>>().Get(optionsName);
        return RedisConnectionPlan.Build(options, provider.GetService<ILoggerFactory>()).Connect();
    }

    private static T As<T>(IRedisClient client, string optionsName) where T : class, IRedisClient =>
        client as T ?? throw new InvalidOperationException(
            $"{RedisOptionsValidator.Describe(optionsName)} is a {client.GetType().Name}, not a {typeof(T).Name}: resolve IRedisClient (or {client.GetType().Name}).");
}
