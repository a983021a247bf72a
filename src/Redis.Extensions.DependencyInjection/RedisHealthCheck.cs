using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Redis.Extensions.DependencyInjection;

/// <summary>
/// Sends PING through the registered <see cref="IRedisClient"/> (the default one, or the one registered under
/// <c>serviceKey</c>): Healthy when it answers, the registration's failure status with the exception otherwise.
/// </summary>
internal sealed class RedisHealthCheck(IServiceProvider services, string? serviceKey) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            // The first resolve connects, synchronously: on a pool thread, so the check's timeout (its token) ends the
            // wait even while a connect to an unreachable server is still running.
            IRedisClient client = await Task.Run(Resolve, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
            await client.DoAsync("PING", [], cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("Redis answered PING.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The health check service's timeout (or shutdown): it reports the failure status itself.
            throw;
        }
        catch (Exception ex)
        {
            // The client's exceptions never hold a password, and the description names nothing but the failure.
            return new HealthCheckResult(context.Registration.FailureStatus, $"Redis did not answer PING: {ex.GetType().Name}.", ex);
        }
    }

    private IRedisClient Resolve() => serviceKey is null
        ? services.GetRequiredService<IRedisClient>()
        : services.GetRequiredKeyedService<IRedisClient>(serviceKey);
}
