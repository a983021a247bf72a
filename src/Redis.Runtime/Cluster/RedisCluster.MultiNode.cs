using System.Text;

namespace Redis;

// The paths that touch several nodes, or need a node to tell the keys: split multi-key commands, fan-out
// commands, commands the table does not know or whose keys only the server can find. They work on the
// command's arguments as byte arrays (a copy, off the single-slot hot path) and merge object replies by
// the command's response_policy; typed callers get the merged reply through their parser.
public sealed partial class RedisCluster
{
    private static byte[][] Arguments<TCommand>(scoped in TCommand command) where TCommand : struct, IRespCommand, allows ref struct
    {
        RespWriter writer = Scratch();
        command.WriteTo(writer);
        ReadOnlySpan<byte> encoded = writer.WrittenSpan;
        var ranges = new Range[CommandArgs.CountOf(encoded)];
        CommandArgs args = CommandArgs.Parse(encoded, ranges);
        var argv = new byte[args.Count][];
        for (int i = 0; i < argv.Length; i++) argv[i] = args[i].ToArray();
        return argv;
    }

    private async ValueTask<TResult> ExecuteMultiNodeAsync<TParser, TResult>(Route route, byte[][] argv, TParser parser, CancellationToken cancellationToken)
        where TParser : struct, IRespParser<TResult>
    {
        object? reply = await RunMultiNodeAsync(route, argv, cancellationToken).ConfigureAwait(false);
        return ParseMerged<TParser, TResult>(parser, reply);
    }

    private static TResult ParseMerged<TParser, TResult>(TParser parser, object? reply) where TParser : struct, IRespParser<TResult>
    {
        using var writer = new RespWriter();
        writer.WriteReply(reply);
        var reader = new RespReader(writer.WrittenSpan);
        return parser.Parse(ref reader);
    }

    private async ValueTask<object?> RunMultiNodeAsync(Route route, byte[][] argv, CancellationToken cancellationToken)
    {
        for (int pass = 0; ; pass++)
        {
            switch (route.Kind)
            {
                case RouteKind.CrossSlot:
                    throw CrossSlotError(route);
                case RouteKind.Split:
                    Interlocked.Increment(ref _splits);
                    return await SplitAsync(route.Info, argv, cancellationToken).ConfigureAwait(false);
                case RouteKind.AllMasters:
                case RouteKind.AllNodes:
                    Interlocked.Increment(ref _fanOuts);
                    return await FanOutAsync(route, argv, cancellationToken).ConfigureAwait(false);
                case RouteKind.Slot:
                case RouteKind.AnyMaster:
                    return await RunOnRouteAsync(route, argv, cancellationToken).ConfigureAwait(false);
                case RouteKind.AskServer when pass == 0:
                    route = await RouteWithServerAsync(route, argv, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    return await RunOnRouteAsync(route with { Kind = RouteKind.AnyMaster }, argv, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private ValueTask<object?> RunOnRouteAsync(Route route, byte[][] argv, CancellationToken cancellationToken)
    {
        var command = new UntypedCommand(Encoding.UTF8.GetString(argv[0]), [.. argv.Skip(1)]);
        RedisClient node = NodeFor(route);
        ValueTask<object?> first = node.ExecuteAsync<UntypedCommand, ObjectParser, object?>(command, default, cancellationToken);
        return ExecuteRoutedAsync<UntypedCommand, ObjectParser, object?>(first, node, command, default, route, cancellationToken);
    }

    // MGET/MSET/DEL/...: one sub-command per slot (keys with their step's arguments, in the caller's order),
    // all in flight at once, merged by the response policy (MGET's values back in key order).
    private async ValueTask<object?> SplitAsync(CommandInfo info, byte[][] argv, CancellationToken cancellationToken)
    {
        int[] keys = new int[argv.Length];
        var args = CommandArgs.Parse(Encode(argv), new Range[argv.Length]);
        KeyFinder.Find(info, args, keys, includeNotKeys: true, out int keyCount);
        int step = info.KeySpecs[0].KeyStep <= 0 ? 1 : info.KeySpecs[0].KeyStep;
        int head = keys[0]; // the name words (and anything before the first key)

        var groups = new Dictionary<int, List<int>>();
        var order = new List<int>();
        for (int i = 0; i < keyCount; i++)
        {
            int slot = Slot(argv[keys[i]]);
            if (!groups.TryGetValue(slot, out List<int>? members))
            {
                groups.Add(slot, members = []);
                order.Add(slot);
            }
            members.Add(i);
        }

        var tasks = new Task<object?>[order.Count];
        for (int g = 0; g < order.Count; g++)
        {
            List<int> members = groups[order[g]];
            var sub = new List<byte[]>(head + members.Count * step);
            for (int i = 0; i < head; i++) sub.Add(argv[i]);
            foreach (int member in members)
            {
                for (int j = 0; j < step; j++) sub.Add(argv[keys[member] + j]);
            }
            var route = new Route(RouteKind.Slot, order[g], info.IsReadOnly, info);
            tasks[g] = RunOnRouteAsync(route, [.. sub], cancellationToken).AsTask();
        }
        object?[] replies = await WhenAllOrFirstError(tasks).ConfigureAwait(false);

        if (info.ResponsePolicy == ResponsePolicy.Default)
        {
            // Arrays in key order (MGET): put each group's values back where its keys were.
            var merged = new object?[keyCount];
            for (int g = 0; g < order.Count; g++)
            {
                List<int> members = groups[order[g]];
                if (replies[g] is not object?[] values || values.Length != members.Count)
                {
                    throw new RedisProtocolException($"{info.Name}: a split part returned {Describe(replies[g])} for {members.Count} keys.");
                }
                for (int i = 0; i < members.Count; i++) merged[members[i]] = values[i];
            }
            return merged;
        }
        return Merge(info, replies);
    }

    // all_shards / all_nodes: the same command on every master (or node), merged by the response policy.
    private async ValueTask<object?> FanOutAsync(Route route, byte[][] argv, CancellationToken cancellationToken)
    {
        RouteTable routes = Volatile.Read(ref _routes);
        RedisClient[] targets = route.Kind == RouteKind.AllNodes ? [.. routes.Masters, .. routes.ReplicaEndpoints.Select(MasterClient)] : routes.Masters;
        if (targets.Length == 0) targets = [AnyMaster(routes)];
        var command = new UntypedCommand(Encoding.UTF8.GetString(argv[0]), [.. argv.Skip(1)]);
        var tasks = new Task<object?>[targets.Length];
        for (int i = 0; i < targets.Length; i++)
        {
            tasks[i] = RunOnNodeAsync(targets[i], command, cancellationToken);
        }
        if (route.Info.ResponsePolicy == ResponsePolicy.OneSucceeded)
        {
            await Task.WhenAll(tasks.Select(t => t.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default))).ConfigureAwait(false);
            Task<object?>? success = tasks.FirstOrDefault(t => t.IsCompletedSuccessfully);
            return success is not null ? success.Result : await tasks[0].ConfigureAwait(false);
        }
        object?[] replies = await WhenAllOrFirstError(tasks).ConfigureAwait(false);
        return Merge(route.Info, replies);
    }

    private static async Task<object?> RunOnNodeAsync(RedisClient node, UntypedCommand command, CancellationToken cancellationToken)
        => await node.ExecuteAsync<UntypedCommand, ObjectParser, object?>(command, default, cancellationToken).ConfigureAwait(false);

    private static async Task<object?[]> WhenAllOrFirstError(Task<object?>[] tasks)
    {
        try
        {
            return await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch
        {
            // Task.WhenAll throws the first exception in task order; every part has ended by now.
            foreach (Task<object?> task in tasks)
            {
                if (task.Exception?.InnerException is Exception first) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
            }
            throw;
        }
    }

    private static object? Merge(CommandInfo info, object?[] replies)
    {
        switch (info.ResponsePolicy)
        {
            case ResponsePolicy.AggregateSum:
                return replies.Sum(r => AsLong(info, r));
            case ResponsePolicy.AggregateMin:
                return replies.Min(r => AsLong(info, r));
            case ResponsePolicy.AggregateMax:
                return replies.Max(r => AsLong(info, r));
            case ResponsePolicy.AggregateLogicalAnd:
            case ResponsePolicy.AggregateLogicalOr:
                return Logical(info, replies, info.ResponsePolicy == ResponsePolicy.AggregateLogicalAnd);
            case ResponsePolicy.AllSucceeded:
            case ResponsePolicy.Special:
                // Every part succeeded (an error was thrown above); special replies: the first master's.
                return replies.Length > 0 ? replies[0] : null;
            default:
                // No policy: arrays concatenated (KEYS); a scalar (RANDOMKEY): the first non-nil one.
                if (replies.All(r => r is object?[] or null)) return replies.SelectMany(r => (object?[]?)r ?? []).ToArray();
                return replies.FirstOrDefault(r => r is not null);
        }
    }

    private static object? Logical(CommandInfo info, object?[] replies, bool and)
    {
        if (replies.All(r => r is object?[]))
        {
            // SCRIPT EXISTS: element-wise.
            var arrays = replies.Cast<object?[]>().ToArray();
            int length = arrays[0].Length;
            var merged = new object?[length];
            for (int i = 0; i < length; i++)
            {
                bool value = and;
                foreach (object?[] array in arrays)
                {
                    bool element = i < array.Length && AsLong(info, array[i]) != 0;
                    value = and ? value && element : value || element;
                }
                merged[i] = value ? 1L : 0L;
            }
            return merged;
        }
        bool result = and ? replies.All(r => AsLong(info, r) != 0) : replies.Any(r => AsLong(info, r) != 0);
        return result ? 1L : 0L;
    }

    private static long AsLong(CommandInfo info, object? reply) => reply switch
    {
        long value => value,
        bool flag => flag ? 1 : 0,
        _ => throw new RedisProtocolException($"{info.Name}: cannot aggregate {Describe(reply)} from one node."),
    };

    private static string Describe(object? reply) => reply switch
    {
        null => "nil",
        object?[] array => $"an array of {array.Length}",
        _ => reply.GetType().Name,
    };

    private static byte[] Encode(byte[][] argv)
    {
        using var writer = new RespWriter();
        writer.WriteArrayHeader(argv.Length);
        foreach (byte[] arg in argv) writer.WriteBulkString(arg);
        return writer.WrittenSpan.ToArray();
    }

    // The table cannot tell this command's keys: unknown to the bundled spec (a module, a newer server)
    // or keys only the server can find (SORT ... BY/GET/STORE, MIGRATE ... KEYS). Unknown commands are
    // described once by COMMAND INFO and registered in the table; keys come from COMMAND GETKEYS.
    private async ValueTask<Route> RouteWithServerAsync(Route route, byte[][] argv, CancellationToken cancellationToken)
    {
        RedisClient node = AnyMaster(Volatile.Read(ref _routes));
        CommandInfo info = route.Info;
        if (!info.IsKnown || info.IsContainer)
        {
            string name = Encoding.UTF8.GetString(argv[0]);
            string? sub = info.IsContainer && argv.Length > 1 ? Encoding.UTF8.GetString(argv[1]) : null;
            CommandInfo registered = await DescribeAsync(node, name, sub, cancellationToken).ConfigureAwait(false);
            if (registered.IsKnown && !registered.IsContainer)
            {
                var args = CommandArgs.Parse(Encode(argv), new Range[argv.Length]);
                Route again = Classify(registered, args, new int[argv.Length]);
                if (again.Kind != RouteKind.AskServer) return again;
                info = registered;
            }
            else
            {
                return route with { Kind = RouteKind.AnyMaster };
            }
        }
        object? reply;
        try
        {
            reply = await node.DoAsync("COMMAND", ["GETKEYS", .. argv], cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException)
        {
            // "Invalid arguments" or no keys: let the command itself get the server's answer.
            return route with { Kind = RouteKind.AnyMaster };
        }
        if (reply is not object?[] { Length: > 0 } keys) return route with { Kind = RouteKind.AnyMaster };
        int slot = Slot((byte[])keys[0]!);
        for (int i = 1; i < keys.Length; i++)
        {
            int other = Slot((byte[])keys[i]!);
            if (other != slot) return new Route(RouteKind.CrossSlot, slot, info.IsReadOnly, info, other);
        }
        return new Route(RouteKind.Slot, slot, info.IsReadOnly, info);
    }

    private static async ValueTask<CommandInfo> DescribeAsync(RedisClient node, string name, string? subcommand, CancellationToken cancellationToken)
    {
        string full = subcommand is null ? name : $"{name}|{subcommand}";
        object? reply = await node.DoAsync("COMMAND", ["INFO", full], cancellationToken).ConfigureAwait(false);
        if (reply is not object?[] { Length: 1 } entries || entries[0] is not object?[] entry) return default;
        return CommandInfoReader.Register(entry, subcommand is null ? name : $"{name} {subcommand}");
    }
}
