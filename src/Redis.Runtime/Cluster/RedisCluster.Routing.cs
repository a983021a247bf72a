using System.Buffers;

namespace Redis;

// Routing: where a command goes, from its table entry and the keys its key specs find. The command is
// encoded once into a per-thread scratch buffer to find its keys (no allocation); the node's client
// encodes it again into its own pipeline.
public sealed partial class RedisCluster
{
    [ThreadStatic]
    private static RespWriter? t_scratch;

    private enum RouteKind : byte
    {
        /// <summary>To the owner of <see cref="Route.Slot"/>.</summary>
        Slot,

        /// <summary>No keys: to one master.</summary>
        AnyMaster,

        /// <summary>request_policy:all_shards.</summary>
        AllMasters,

        /// <summary>request_policy:all_nodes.</summary>
        AllNodes,

        /// <summary>request_policy:multi_shard with keys in several slots: split per slot.</summary>
        Split,

        /// <summary>Keys in several slots and no way to split: refused before sending.</summary>
        CrossSlot,

        /// <summary>The spec cannot tell the keys (SORT ... BY, MIGRATE ... KEYS) or does not know the command: ask a node.</summary>
        AskServer,
    }

    private readonly record struct Route(RouteKind Kind, int Slot, bool ReadOnly, CommandInfo Info, int OtherSlot = -1);

    private static RespWriter Scratch()
    {
        RespWriter writer = t_scratch ??= new RespWriter(1024);
        writer.Reset();
        return writer;
    }

    private static Route RouteOf<TCommand>(scoped in TCommand command) where TCommand : struct, IRespCommand, allows ref struct
    {
        RespWriter writer = Scratch();
        command.WriteTo(writer);
        return RouteOf<TCommand>(writer.WrittenSpan);
    }

    private static Route RouteOf<TCommand>(ReadOnlySpan<byte> encoded) where TCommand : IRespCommand, allows ref struct
    {
        int count = CommandArgs.CountOf(encoded);
        if (count < 1) throw new ArgumentException($"{typeof(TCommand).Name} did not write a command array.");
        Range[]? rentedRanges = null;
        int[]? rentedKeys = null;
        Span<Range> ranges = count <= 32 ? stackalloc Range[32] : (rentedRanges = ArrayPool<Range>.Shared.Rent(count));
        Span<int> keys = count <= 32 ? stackalloc int[32] : (rentedKeys = ArrayPool<int>.Shared.Rent(count));
        try
        {
            CommandArgs args = CommandArgs.Parse(encoded, ranges);
            CommandInfo info = CommandTable.Of<TCommand>(args);
            return Classify(info, args, keys);
        }
        finally
        {
            if (rentedRanges is not null) ArrayPool<Range>.Shared.Return(rentedRanges);
            if (rentedKeys is not null) ArrayPool<int>.Shared.Return(rentedKeys);
        }
    }

    private static Route Classify(CommandInfo info, scoped in CommandArgs args, Span<int> keys)
    {
        if (!info.IsKnown || (info.IsContainer && args.Count > 1)) return new Route(RouteKind.AskServer, -1, false, info);
        bool readOnly = info.IsReadOnly;
        switch (info.RequestPolicy)
        {
            case RequestPolicy.AllShards: return new Route(RouteKind.AllMasters, -1, readOnly, info);
            case RequestPolicy.AllNodes: return new Route(RouteKind.AllNodes, -1, readOnly, info);
        }
        // not_key specs count: a shard channel (SPUBLISH) hashes like a key.
        KeyFinder.Outcome outcome = KeyFinder.Find(info, args, keys, includeNotKeys: true, out int found);
        if (outcome == KeyFinder.Outcome.NeedsServer) return new Route(RouteKind.AskServer, -1, readOnly, info);
        if (outcome == KeyFinder.Outcome.Invalid || found == 0) return new Route(RouteKind.AnyMaster, -1, readOnly, info);
        int slot = Slot(args[keys[0]]);
        for (int i = 1; i < found; i++)
        {
            int other = Slot(args[keys[i]]);
            if (other != slot)
            {
                return info.RequestPolicy == RequestPolicy.MultiShard
                    ? new Route(RouteKind.Split, slot, readOnly, info)
                    : new Route(RouteKind.CrossSlot, slot, readOnly, info, other);
            }
        }
        return new Route(RouteKind.Slot, slot, readOnly, info);
    }

    /// <summary>The client a single-node route goes to first (the server's redirects may move it).</summary>
    private RedisClient NodeFor(in Route route)
    {
        RouteTable routes = Volatile.Read(ref _routes);
        if (route.Kind == RouteKind.Slot && routes.BySlot[route.Slot] is SlotRoute slotRoute)
        {
            if (route.ReadOnly && _options.ReadFrom != ReadFrom.Master)
            {
                RedisClient? replica = slotRoute.Replica(evenIfNotConnected: _options.ReadFrom == ReadFrom.Replica);
                if (replica is not null) return replica;
                // A route patched by MOVED knows no replicas until the next refresh: the master serves meanwhile.
                if (_options.ReadFrom == ReadFrom.Replica && !slotRoute.IsProvisional)
                {
                    throw new RedisConnectionException($"No replica of slot {route.Slot} is connected (ReadFrom.Replica).");
                }
            }
            return slotRoute.Master;
        }
        return AnyMaster(routes);
    }

    private RedisClient AnyMaster(RouteTable routes)
    {
        RedisClient[] masters = routes.Masters;
        if (masters.Length == 0) return MasterClient(_seeds[0]);
        return masters[Random.Shared.Next(masters.Length)];
    }

    private static RedisException CrossSlotError(in Route route) => new(
        $"{route.Info.Name}: the keys hash to different slots ({route.Slot} and {route.OtherSlot}); in a cluster the keys of one " +
        "command must share a slot. Give them a common hash tag, e.g. {user1}:name and {user1}:email. Nothing was sent.");
}
