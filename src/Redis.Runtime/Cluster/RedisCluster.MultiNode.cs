namespace Redis;

// The paths that touch several nodes, or need a node to tell the keys: split multi-key commands, fan-out
// commands, commands the table does not know or whose keys only the server can find. They work on one
// copy of the encoded command (sub-commands select its arguments, nothing else is copied). A split
// MGET's replies are merged as RESP, in key order, and read once by the caller's parser; aggregated
// replies (sums, all-succeeded...) go through objects, as they are small.
public sealed partial class RedisCluster
{
    private static EncodedCommand Encode<TCommand>(scoped in TCommand command) where TCommand : struct, IRespCommand, allows ref struct
    {
        RespWriter writer = Scratch();
        command.WriteTo(writer);
        return EncodedCommand.From(writer.WrittenSpan);
    }

    private async ValueTask<TResult> ExecuteMultiNodeAsync<TParser, TResult>(Route route, EncodedCommand command, TParser parser, CancellationToken cancellationToken)
        where TParser : struct, IRespParser<TResult>
    {
        Merged merged = await RunMultiNodeAsync(route, command, cancellationToken).ConfigureAwait(false);
        return merged.Parse<TParser, TResult>(parser);
    }

    /// <summary>A merged reply: RESP bytes (read by the caller's parser), or an aggregated object.</summary>
    private readonly record struct Merged(byte[]? Raw, object? Value)
    {
        public TResult Parse<TParser, TResult>(TParser parser) where TParser : struct, IRespParser<TResult>
        {
            if (Raw is not null)
            {
                var reader = new RespReader(Raw);
                return parser.Parse(ref reader);
            }
            using var writer = new RespWriter();
            writer.WriteReply(Value);
            var objectReader = new RespReader(writer.WrittenSpan);
            return parser.Parse(ref objectReader);
        }
    }

    private async ValueTask<Merged> RunMultiNodeAsync(Route route, EncodedCommand command, CancellationToken cancellationToken)
    {
        for (int pass = 0; ; pass++)
        {
            switch (route.Kind)
            {
                case RouteKind.CrossSlot:
                    throw CrossSlotError(route);
                case RouteKind.Split:
                    Interlocked.Increment(ref _splits);
                    return await SplitAsync(route.Info, command, cancellationToken).ConfigureAwait(false);
                case RouteKind.AllMasters:
                case RouteKind.AllNodes:
                    Interlocked.Increment(ref _fanOuts);
                    return new Merged(null, await FanOutAsync(route, command, cancellationToken).ConfigureAwait(false));
                case RouteKind.Slot:
                case RouteKind.AnyMaster:
                    return new Merged(await RunOnRouteAsync(route, command.All(), cancellationToken).ConfigureAwait(false), null);
                case RouteKind.AskServer when pass == 0:
                    route = await RouteWithServerAsync(route, command, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    return new Merged(await RunOnRouteAsync(route with { Kind = RouteKind.AnyMaster }, command.All(), cancellationToken).ConfigureAwait(false), null);
            }
        }
    }

    // One (sub-)command on its route, with redirects; its reply as RESP bytes.
    private ValueTask<byte[]> RunOnRouteAsync(Route route, EncodedCommand.Part part, CancellationToken cancellationToken)
    {
        RedisClient node = NodeFor(route);
        ValueTask<byte[]> first = node.ExecuteAsync<EncodedCommand.Part, RawReplyParser, byte[]>(part, default, cancellationToken);
        return first.IsCompletedSuccessfully ? first : ExecuteRoutedAsync<EncodedCommand.Part, RawReplyParser, byte[]>(first, node, part, default, route, cancellationToken);
    }

    // MGET/MSET/DEL/...: one sub-command per slot (keys with their step's arguments, in the caller's order),
    // all in flight at once, merged by the response policy (MGET's values back in key order).
    private async ValueTask<Merged> SplitAsync(CommandInfo info, EncodedCommand command, CancellationToken cancellationToken)
    {
        int[] keys = new int[command.Count];
        KeyFinder.Find(info, command.View(new Range[command.Count]), keys, includeNotKeys: true, out int keyCount);
        int step = info.KeySpecs[0].KeyStep <= 0 ? 1 : info.KeySpecs[0].KeyStep;
        int head = keys[0]; // the name words (and anything before the first key)

        var groupOfSlot = new Dictionary<int, int>();
        var members = new List<List<int>>();   // per group: the key numbers (0..keyCount) it carries
        var slots = new List<int>();
        for (int i = 0; i < keyCount; i++)
        {
            int slot = Slot(command[keys[i]]);
            if (!groupOfSlot.TryGetValue(slot, out int group))
            {
                groupOfSlot.Add(slot, group = members.Count);
                members.Add([]);
                slots.Add(slot);
            }
            members[group].Add(i);
        }

        var pending = new ValueTask<byte[]>[members.Count];
        for (int g = 0; g < members.Count; g++)
        {
            var indexes = new int[head + members[g].Count * step];
            for (int i = 0; i < head; i++) indexes[i] = i;
            int at = head;
            foreach (int member in members[g])
            {
                for (int j = 0; j < step; j++) indexes[at++] = keys[member] + j;
            }
            pending[g] = RunOnRouteAsync(new Route(RouteKind.Slot, slots[g], info.IsReadOnly, info), command.Select(indexes), cancellationToken);
        }
        byte[][] replies = await AwaitAll(pending).ConfigureAwait(false);

        if (info.ResponsePolicy != ResponsePolicy.Default)
        {
            var values = new object?[replies.Length];
            for (int g = 0; g < replies.Length; g++) values[g] = new RespReader(replies[g]).ReadObject();
            return new Merged(null, Merge(info, values));
        }

        // Arrays in key order (MGET): each group's elements go back where its keys were, as RESP.
        var elements = new (int Group, int Start, int Length)[keyCount];
        for (int g = 0; g < replies.Length; g++)
        {
            var reader = new RespReader(replies[g]);
            RespType type = reader.PeekType();
            int count = type is RespType.Array or RespType.Set ? reader.ReadAggregateHeader(out _) : -1;
            if (count != members[g].Count)
            {
                throw new RedisProtocolException($"{info.Name}: a split part returned {type} ({count}) for {members[g].Count} keys.");
            }
            for (int i = 0; i < count; i++)
            {
                int start = reader.Position;
                reader.Skip();
                elements[members[g][i]] = (g, start, reader.Position - start);
            }
        }
        using var merged = new RespWriter(Math.Max(64, replies.Sum(r => r.Length) + 16));
        merged.WriteArrayHeader(keyCount);
        foreach ((int group, int start, int length) in elements) merged.WriteRaw(replies[group].AsSpan(start, length));
        return new Merged(merged.WrittenSpan.ToArray(), null);
    }

    // Awaits every part (each exactly once) and throws the first failure after all have ended.
    private static async ValueTask<byte[][]> AwaitAll(ValueTask<byte[]>[] pending)
    {
        var results = new byte[pending.Length][];
        Exception? first = null;
        for (int i = 0; i < pending.Length; i++)
        {
            try
            {
                results[i] = await pending[i].ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                first ??= ex;
            }
        }
        if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        return results;
    }

    // all_shards / all_nodes: the same command on every master (or node), merged by the response policy.
    private async ValueTask<object?> FanOutAsync(Route route, EncodedCommand command, CancellationToken cancellationToken)
    {
        RouteTable routes = Volatile.Read(ref _routes);
        RedisClient[] targets = route.Kind == RouteKind.AllNodes ? [.. routes.Masters, .. routes.ReplicaEndpoints.Select(MasterClient)] : routes.Masters;
        if (targets.Length == 0) targets = [AnyMaster(routes)];
        EncodedCommand.Part all = command.All();
        var pending = new ValueTask<byte[]>[targets.Length];
        for (int i = 0; i < targets.Length; i++) pending[i] = targets[i].ExecuteAsync<EncodedCommand.Part, RawReplyParser, byte[]>(all, default, cancellationToken);
        if (route.Info.ResponsePolicy == ResponsePolicy.OneSucceeded)
        {
            object? success = null;
            bool succeeded = false;
            Exception? first = null;
            foreach (ValueTask<byte[]> part in pending)
            {
                try
                {
                    byte[] raw = await part.ConfigureAwait(false);
                    if (!succeeded) (success, succeeded) = (new RespReader(raw).ReadObject(), true);
                }
                catch (Exception ex)
                {
                    first ??= ex;
                }
            }
            if (!succeeded) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first!);
            return success;
        }
        byte[][] replies = await AwaitAll(pending).ConfigureAwait(false);
        var values = new object?[replies.Length];
        for (int i = 0; i < replies.Length; i++) values[i] = new RespReader(replies[i]).ReadObject();
        return Merge(route.Info, values);
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

    // The table cannot tell this command's keys: unknown to the bundled spec (a module, a newer server)
    // or keys only the server can find (SORT ... BY/GET/STORE, MIGRATE ... KEYS). Unknown commands are
    // described once by COMMAND INFO and registered in the table; keys come from COMMAND GETKEYS.
    private async ValueTask<Route> RouteWithServerAsync(Route route, EncodedCommand command, CancellationToken cancellationToken)
    {
        RedisClient node = AnyMaster(Volatile.Read(ref _routes));
        CommandInfo info = route.Info;
        if (!info.IsKnown || info.IsContainer)
        {
            string? sub = info.IsContainer && command.Count > 1 ? System.Text.Encoding.UTF8.GetString(command[1]) : null;
            CommandInfo registered = await DescribeAsync(node, command.Name, sub, cancellationToken).ConfigureAwait(false);
            if (!registered.IsKnown || registered.IsContainer) return route with { Kind = RouteKind.AnyMaster };
            Route again = Classify(registered, command.View(new Range[command.Count]), new int[command.Count]);
            if (again.Kind != RouteKind.AskServer) return again;
            info = registered;
        }
        object? reply;
        try
        {
            object?[] getKeys = ["GETKEYS", .. Enumerable.Range(0, command.Count).Select(i => (object?)command[i].ToArray())];
            reply = await node.DoAsync("COMMAND", getKeys, cancellationToken).ConfigureAwait(false);
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
