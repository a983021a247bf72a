namespace Redis.Extensions.DependencyInjection;

/// <summary>
/// The Sentinel settings of <see cref="RedisOptions"/> (configuration section <c>Redis:Sentinel</c>): the master's name and
/// the sentinels' own credentials. The data nodes' credentials are <see cref="RedisOptions.User"/> and <see cref="RedisOptions.Password"/>.
/// </summary>
public sealed class RedisSentinelOptions
{
    /// <summary>
    /// The name the sentinels monitor the master under (<c>mymaster</c>). Setting it selects <see cref="RedisMode.Sentinel"/>
    /// when <see cref="RedisOptions.Mode"/> is not set. A <c>redis-sentinel://...#name</c> URL carries it instead.
    /// </summary>
    public string? MasterName { get; set; }

    /// <summary>The user name for the sentinels themselves (ACL); only used with <see cref="Password"/>.</summary>
    public string? User { get; set; }

    /// <summary>The password of the sentinels themselves (<c>requirepass</c> in sentinel.conf), when they have one. Never logged or shown in messages.</summary>
    public string? Password { get; set; }

    /// <summary>True when any Sentinel setting is given.</summary>
    internal bool IsConfigured => !string.IsNullOrWhiteSpace(MasterName) || !string.IsNullOrEmpty(Password) || !string.IsNullOrEmpty(User);
}
