using Microsoft.Extensions.Options;

namespace Redis.Extensions.DependencyInjection;

/// <summary>
/// Checks every named <see cref="RedisOptions"/> exactly as the client's factory will use them (URL grammar, endpoints,
/// mode conflicts, option ranges), without connecting. Registered with <c>ValidateOnStart</c>, so a host refuses to start
/// with a message naming the registration and the fix; the messages never hold a password.
/// </summary>
internal sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            RedisConnectionPlan.Build(options, loggerFactory: null);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"{Describe(name)}: {ex.Message}");
        }
    }

    /// <summary>How a message names the registration: the default one, or the key of a keyed one.</summary>
    internal static string Describe(string? name) =>
        string.IsNullOrEmpty(name) ? "Redis (AddRedis)" : $"Redis '{name}' (AddKeyedRedis)";
}
