namespace Redis;

/// <summary>
/// The <see cref="IRespExecutor"/> behind <c>client.Cached(ttl)</c>: read-only commands with one key
/// (from the command table, and not <c>nondeterministic_output</c>) are answered from the client's cache,
/// everything else goes to the client as usual. A hit allocates only the parsed result.
/// </summary>
internal sealed class CachedExecutor(RedisClient client, TimeSpan ttl) : IRespExecutor
{
    [ThreadStatic]
    private static RespWriter? t_scratch;

    public TResult Execute<TCommand, TParser, TResult>(in TCommand command, in TParser parser)
        where TCommand : struct, IRespCommand, allows ref struct
        where TParser : struct, IRespParser<TResult>
    {
        RespWriter writer = Encode(command);
        if (client.TryHit(writer.WrittenSpan) is { } hit) return RedisClient.ParseReply<TParser, TResult>(parser, hit);
        return RedisClient.TryFindCacheKey<TCommand>(writer.WrittenSpan, out Range key)
            ? client.ExecuteCached<TParser, TResult>(writer.WrittenSpan, key, ttl, parser)
            : client.Execute<TCommand, TParser, TResult>(command, parser);
    }

    public ValueTask<TResult> ExecuteAsync<TCommand, TParser, TResult>(TCommand command, TParser parser, CancellationToken cancellationToken = default)
        where TCommand : struct, IRespCommand
        where TParser : struct, IRespParser<TResult>
    {
        RespWriter writer = Encode(command);
        if (client.TryHit(writer.WrittenSpan) is { } hit)
        {
            try
            {
                return ValueTask.FromResult(RedisClient.ParseReply<TParser, TResult>(parser, hit));
            }
            catch (Exception ex)
            {
                return ValueTask.FromException<TResult>(ex);
            }
        }
        return RedisClient.TryFindCacheKey<TCommand>(writer.WrittenSpan, out Range key)
            ? client.ExecuteCachedAsync<TParser, TResult>(writer.WrittenSpan, key, ttl, parser, cancellationToken)
            : client.ExecuteAsync<TCommand, TParser, TResult>(command, parser, cancellationToken);
    }

    internal static RespWriter Encode<TCommand>(scoped in TCommand command) where TCommand : struct, IRespCommand, allows ref struct
    {
        RespWriter writer = t_scratch ??= new RespWriter(1024);
        writer.Reset();
        command.WriteTo(writer);
        return writer;
    }
}
