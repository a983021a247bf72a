using System.Runtime.CompilerServices;

namespace Redis;

// Single-node execution with redirects: the typed path generated code uses, and Do/DoAsync through the
// same path (an untyped command is a typed command that writes a name and objects).
public sealed partial class RedisCluster
{
    /// <summary>
    /// Routes a typed command by its keys and runs it on the node's shared connection (or a dedicated one,
    /// for a blocking command), following redirects. No allocation beyond the result on the single-slot path.
    /// </summary>
    /// <exception cref="RedisServerException">The reply was an error (after redirects and retries).</exception>
    /// <exception cref="RedisException">The command's keys span slots and it cannot be split (nothing was sent).</exception>
    /// <exception cref="RedisConnectionException">The node's connection broke before the reply arrived, or is down.</exception>
    public TResult Execute<TCommand, TParser, TResult>(in TCommand command, in TParser parser)
        where TCommand : struct, IRespCommand, allows ref struct
        where TParser : struct, IRespParser<TResult>
    {
        Route route = RouteOf(command);
        if (route.Kind is RouteKind.Slot or RouteKind.AnyMaster) return ExecuteRouted<TCommand, TParser, TResult>(command, parser, route);
        // Several nodes (or a question to one first): the parts run concurrently; this thread waits for them.
        return RunMultiNodeAsync(route, Encode(command), CancellationToken.None).AsTask().GetAwaiter().GetResult().Parse<TParser, TResult>(parser);
    }

    /// <summary>The asynchronous twin of <see cref="Execute{TCommand, TParser, TResult}"/>.</summary>
    public ValueTask<TResult> ExecuteAsync<TCommand, TParser, TResult>(TCommand command, TParser parser, CancellationToken cancellationToken = default)
        where TCommand : struct, IRespCommand
        where TParser : struct, IRespParser<TResult>
    {
        Route route;
        RedisClient node;
        try
        {
            route = RouteOf(command);
            if (route.Kind is not (RouteKind.Slot or RouteKind.AnyMaster)) return ExecuteMultiNodeAsync<TParser, TResult>(route, Encode(command), parser, cancellationToken);
            node = NodeFor(route);
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<TResult>(ex);
        }
        ValueTask<TResult> first = node.ExecuteAsync<TCommand, TParser, TResult>(command, parser, cancellationToken);
        return first.IsCompletedSuccessfully ? first : ExecuteRoutedAsync<TCommand, TParser, TResult>(first, node, command, parser, route, cancellationToken);
    }

    /// <summary>
    /// Sends one command, routed by its keys (see the class remarks), and returns its reply as
    /// <see cref="IConn.Do"/> converts it; an error reply is thrown as <see cref="RedisServerException"/>.
    /// </summary>
    public object? Do(string command, params object?[] args)
    {
        UntypedCommand untyped = Untyped(command, args);
        return Execute<UntypedCommand, ObjectParser, object?>(untyped, default);
    }

    /// <summary>The asynchronous twin of <see cref="Do"/>, without cancellation.</summary>
    public ValueTask<object?> DoAsync(string command, params object?[] args) => DoAsync(command, args ?? [null], CancellationToken.None);

    /// <summary>The asynchronous twin of <see cref="Do"/>.</summary>
    public ValueTask<object?> DoAsync(string command, IReadOnlyList<object?> args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        UntypedCommand untyped;
        try
        {
            untyped = Untyped(command, args as object?[] ?? [.. args]);
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<object?>(ex);
        }
        return ExecuteAsync<UntypedCommand, ObjectParser, object?>(untyped, default, cancellationToken);
    }

    private static UntypedCommand Untyped(string command, object?[]? args)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        return new UntypedCommand(command, args ?? [null]);
    }

    private TResult ExecuteRouted<TCommand, TParser, TResult>(scoped in TCommand command, in TParser parser, Route route)
        where TCommand : struct, IRespCommand, allows ref struct
        where TParser : struct, IRespParser<TResult>
    {
        RedisClient node = NodeFor(route);
        bool asking = false;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                if (!asking) return node.Execute<TCommand, TParser, TResult>(command, parser);
                using IConnWithTimeout conn = node.GetDedicated();
                conn.Send("ASKING");
                return RespExecutor.For(conn).Execute<TCommand, TParser, TResult>(command, parser);
            }
            catch (RedisServerException error)
            {
                Redirect redirect = OnError(error, attempt, route, node);
                if (redirect.Node is null) throw;
                (node, asking) = (redirect.Node, redirect.Asking);
                if (redirect.Delay > TimeSpan.Zero) Thread.Sleep(redirect.Delay);
            }
            catch (RedisConnectionException)
            {
                RequestRefresh();
                throw;
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<TResult> ExecuteRoutedAsync<TCommand, TParser, TResult>(ValueTask<TResult> pending, RedisClient node, TCommand command, TParser parser, Route route, CancellationToken cancellationToken)
        where TCommand : struct, IRespCommand
        where TParser : struct, IRespParser<TResult>
    {
        for (int attempt = 0; ; attempt++)
        {
            Redirect redirect;
            try
            {
                return await pending.ConfigureAwait(false);
            }
            catch (RedisServerException error)
            {
                redirect = OnError(error, attempt, route, node);
                if (redirect.Node is null) throw;
            }
            catch (RedisConnectionException)
            {
                RequestRefresh();
                throw;
            }
            if (redirect.Delay > TimeSpan.Zero) await Task.Delay(redirect.Delay, cancellationToken).ConfigureAwait(false);
            node = redirect.Node;
            pending = redirect.Asking
                ? ExecuteAskingAsync<TCommand, TParser, TResult>(node, command, parser, cancellationToken)
                : node.ExecuteAsync<TCommand, TParser, TResult>(command, parser, cancellationToken);
        }
    }

    // ASK: ASKING and the command back to back on one connection of the importing node.
    private static async ValueTask<TResult> ExecuteAskingAsync<TCommand, TParser, TResult>(RedisClient node, TCommand command, TParser parser, CancellationToken cancellationToken)
        where TCommand : struct, IRespCommand
        where TParser : struct, IRespParser<TResult>
    {
        IConnWithTimeout conn = await node.GetDedicatedAsync(cancellationToken).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            conn.Send("ASKING");
            return await RespExecutor.For(conn).ExecuteAsync<TCommand, TParser, TResult>(command, parser, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Where to go after a cluster error: <see cref="Node"/> null means "throw it".</summary>
    private readonly record struct Redirect(RedisClient? Node, bool Asking, TimeSpan Delay);

    private Redirect OnError(RedisServerException error, int attempt, in Route route, RedisClient from)
    {
        ClusterRedirect redirect = ClusterRedirect.From(error);
        if (redirect.Endpoint is { } named && named.StartsWith(':'))
        {
            // "MOVED 3999 :6381": the node does not know its own address (cluster-preferred-endpoint-type
            // unknown-endpoint); the target is on the host the redirect came from.
            string source = EndpointOf(from);
            redirect = redirect with { Endpoint = source[..source.LastIndexOf(':')] + named };
        }
        if (redirect.Kind == ClusterRedirectKind.None || attempt >= _options.MaxRedirects) return default;
        switch (redirect.Kind)
        {
            case ClusterRedirectKind.Moved:
            {
                Interlocked.Increment(ref _moved);
                RedisClient target = MasterClient(redirect.Endpoint!);
                PatchSlot(redirect.Slot, target);
                RequestRefresh();
                return new Redirect(target, false, TimeSpan.Zero);
            }
            case ClusterRedirectKind.Ask:
                Interlocked.Increment(ref _asked);
                return new Redirect(MasterClient(redirect.Endpoint!), true, TimeSpan.Zero);
            default:
            {
                // TRYAGAIN (keys of a multi-key command mid-migration), CLUSTERDOWN, LOADING, READONLY (a
                // demoted master): not executed; wait, re-read the map, and go where it points then.
                Interlocked.Increment(ref _retries);
                if (redirect.Kind != ClusterRedirectKind.Retry || error.Prefix == "CLUSTERDOWN") RequestRefresh();
                double ms = Math.Min(_options.RetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 10)), 1000);
                Route primary = route with { ReadOnly = route.ReadOnly && redirect.Kind != ClusterRedirectKind.NotMaster };
                return new Redirect(NodeFor(primary), false, TimeSpan.FromMilliseconds(ms));
            }
        }
    }
}
