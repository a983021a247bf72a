namespace Redis;

/// <summary>
/// Reads one reply into a typed result with <see cref="RespReader"/>'s typed reads, without an
/// intermediate object tree. Implemented by <see langword="struct"/>s so calls are not boxed.
/// </summary>
/// <typeparam name="T">The result type.</typeparam>
public interface IRespParser<out T>
{
    /// <summary>Parses the reply at the reader's position. An error reply is thrown as <see cref="RedisServerException"/>.</summary>
    T Parse(ref RespReader reader);
}
