using Microsoft.Extensions.Diagnostics.HealthChecks;
using Redis;
using Redis.Extensions.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds a health check that sends PING through the <see cref="IRedisClient"/> registered with <c>AddRedis</c> /
/// <c>AddKeyedRedis</c>: Healthy when Redis answers, otherwise the failure status with the exception (whose message never
/// holds a password). The check uses the registered client, so it sees what the application sees.
/// </summary>
public static class RedisHealthChecksBuilderExtensions
{
    /// <summary>Checks the default client (<c>services.AddRedis(...)</c>).</summary>
    /// <param name="builder">From <c>services.AddHealthChecks()</c>.</param>
    /// <param name="name">The check's name in the report. Default <c>redis</c>.</param>
    /// <param name="failureStatus">Reported when PING fails. Default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by (e.g. <c>ready</c>).</param>
    /// <param name="timeout">
    /// How long the check (a first connect included) may take before it is reported as failed. Default: no limit of its own;
    /// the client's command timeout still bounds PING.
    /// </param>
    public static IHealthChecksBuilder AddRedis(this IHealthChecksBuilder builder, string name = "redis", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
        => Add(builder, null, name, failureStatus, tags, timeout);

    /// <summary>Checks the client registered under <paramref name="serviceKey"/> (<c>services.AddKeyedRedis(serviceKey, ...)</c>).</summary>
    /// <param name="builder">From <c>services.AddHealthChecks()</c>.</param>
    /// <param name="serviceKey">The name given to <c>AddKeyedRedis</c>.</param>
    /// <param name="name">The check's name in the report. Default <c>redis-</c><paramref name="serviceKey"/>.</param>
    /// <param name="failureStatus">Reported when PING fails. Default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <param name="timeout">How long the check may take before it is reported as failed; see <see cref="AddRedis"/>.</param>
    public static IHealthChecksBuilder AddKeyedRedis(this IHealthChecksBuilder builder, string serviceKey, string? name = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceKey);
        return Add(builder, serviceKey, name ?? $"redis-{serviceKey}", failureStatus, tags, timeout);
    }

    private static IHealthChecksBuilder Add(IHealthChecksBuilder builder, string? serviceKey, string name, HealthStatus? failureStatus, IEnumerable<string>? tags, TimeSpan? timeout)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.Add(new HealthCheckRegistration(
            name,
            provider => new RedisHealthCheck(provider, serviceKey),
            failureStatus,
            tags,
            timeout));
    }
}
