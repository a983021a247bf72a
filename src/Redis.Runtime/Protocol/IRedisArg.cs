namespace Redis;

/// <summary>
/// A user type that knows how to become a command argument. <see cref="RedisArg"/> returns a value
/// of a supported argument type (string, byte[], ReadOnlyMemory&lt;byte&gt;, an integer, double,
/// bool or null); the library encodes that value. Returning another <see cref="IRedisArg"/> is an error.
/// </summary>
public interface IRedisArg
{
    /// <summary>The value to send in place of this object.</summary>
    object? RedisArg();
}
