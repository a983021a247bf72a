using System.Runtime.CompilerServices;

namespace Redis;

/// <summary>
/// The <see cref="IRespExecutor"/> behind <c>cluster.Cached(ttl)</c>: a cacheable read goes to the cache of
/// the node that owns its key's slot (each node's cache is kept coherent by that node, which also sends
/// invalidations when a key migrates away or the node is demoted); a read the node redirects (MOVED, ASK)
/// runs uncached through the cluster's normal path. Everything else is the cluster's normal path.
/// </summary>
internal sealed class ClusterCachedExecutor(RedisCluster cluster, TimeSpan ttl) : IRespExecutor
{
    public TResult Execute<TCommand, TParser, TResult>(in TCommand command, in TParser parser)
        where TCommand : struct, IRespCommand, allows ref struct
        where TParser : struct, IRespParser<TResult>
    {
        RespWriter writer = CachedExecutor.Encode(command);
        if (!RedisClient.TryFindCacheKey<TCommand>(writer.WrittenSpan, out Range key)) return cluster.Execute<TCommand, TParser, TResult>(command, parser);
        RedisClient node = cluster.MasterOfSlot(RedisCluster.Slot(writer.WrittenSpan[key]));
        try
        {
            return node.ExecuteCached<TParser, TResult>(writer.WrittenSpan, key, ttl, parser);
        }
        catch (RedisServerException error) when (ClusterRedirect.From(error).Kind != ClusterRedirectKind.None)
        {
            return cluster.Execute<TCommand, TParser, TResult>(command, parser);
        }
    }

    public ValueTask<TResult> ExecuteAsync<TCommand, TParser, TResult>(TCommand command, TParser parser, CancellationToken cancellationToken = default)
        where TCommand : struct, IRespCommand
        where TParser : struct, IRespParser<TResult>
    {
        RespWriter writer = CachedExecutor.Encode(command);
        if (!RedisClient.TryFindCacheKey<TCommand>(writer.WrittenSpan, out Range key)) return cluster.ExecuteAsync<TCommand, TParser, TResult>(command, parser, cancellationToken);
        RedisClient node = cluster.MasterOfSlot(RedisCluster.Slot(writer.WrittenSpan[key]));
        ValueTask<TResult> read = node.ExecuteCachedAsync<TParser, TResult>(writer.WrittenSpan, key, ttl, parser, cancellationToken);
        return read.IsCompletedSuccessfully ? read : FallBackOnRedirectAsync<TCommand, TParser, TResult>(read, command, parser, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TResult> FallBackOnRedirectAsync<TCommand, TParser, TResult>(ValueTask<TResult> read, TCommand command, TParser parser, CancellationToken cancellationToken)
        where TCommand : struct, IRespCommand
        where TParser : struct, IRespParser<TResult>
    {
        try
        {
            return await read.ConfigureAwait(false);
        }
        catch (RedisServerException error) when (ClusterRedirect.From(error).Kind != ClusterRedirectKind.None)
        {
            return await cluster.ExecuteAsync<TCommand, TParser, TResult>(command, parser, cancellationToken).ConfigureAwait(false);
        }
    }
}
