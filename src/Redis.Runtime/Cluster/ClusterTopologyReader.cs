using System.Globalization;

namespace Redis;

/// <summary>
/// Reads the replies of CLUSTER SHARDS (RESP2 flat arrays or RESP3 maps) and CLUSTER SLOTS into a
/// <see cref="ClusterTopology"/>. A malformed reply is a <see cref="RedisProtocolException"/> naming what
/// was wrong, never a crash or a partial map. Masters without slots are skipped (they own nothing);
/// nodes reported <c>fail</c> are kept with their health so routing can avoid them.
/// </summary>
internal static class ClusterTopologyReader
{
    /// <summary>Reads CLUSTER SHARDS. <paramref name="source"/> ("host:port") stands in for nodes announcing no endpoint.</summary>
    public static ClusterTopology FromShards(object? reply, string source)
    {
        if (reply is not object?[] shards) throw Malformed(source, "CLUSTER SHARDS did not return an array");
        var result = new List<ClusterShard>(shards.Length);
        foreach (object? shard in shards)
        {
            List<SlotRange>? slots = null;
            ClusterNode? master = null;
            var replicas = new List<ClusterNode>();
            foreach ((string field, object? value) in Fields(shard, source, "shard"))
            {
                if (field == "slots")
                {
                    if (value is not object?[] bounds || bounds.Length % 2 != 0) throw Malformed(source, "a shard's slots are not pairs of numbers");
                    slots = new List<SlotRange>(bounds.Length / 2);
                    for (int i = 0; i < bounds.Length; i += 2) slots.Add(new SlotRange(Int(bounds[i], source, "slot"), Int(bounds[i + 1], source, "slot")));
                }
                else if (field == "nodes")
                {
                    if (value is not object?[] nodes) throw Malformed(source, "a shard's nodes are not an array");
                    foreach (object? node in nodes)
                    {
                        ClusterNode parsed = ReadShardNode(node, source);
                        if (parsed.IsMaster && master is null) master = parsed;
                        else if (parsed.IsMaster) throw Malformed(source, "a shard lists two masters");
                        else replicas.Add(parsed);
                    }
                }
            }
            if (slots is null) throw Malformed(source, "a shard has no slots field");
            // A master without slots (new, or its slots migrated away) and a shard whose master failed
            // without a replacement own nothing routable; the slots of the latter read as uncovered.
            if (master is null || slots.Count == 0) continue;
            result.Add(new ClusterShard(slots, master, replicas));
        }
        return new ClusterTopology(result, source);
    }

    /// <summary>Reads CLUSTER SLOTS (servers before 7.0).</summary>
    public static ClusterTopology FromSlots(object? reply, string source)
    {
        if (reply is not object?[] entries) throw Malformed(source, "CLUSTER SLOTS did not return an array");
        var byMaster = new Dictionary<string, (List<SlotRange> Slots, ClusterNode Master, List<ClusterNode> Replicas)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (object? entry in entries)
        {
            if (entry is not object?[] { Length: >= 3 } parts) throw Malformed(source, "a CLUSTER SLOTS entry is not [start, end, master, ...]");
            var range = new SlotRange(Int(parts[0], source, "slot"), Int(parts[1], source, "slot"));
            ClusterNode master = ReadSlotsNode(parts[2], source, isMaster: true);
            if (!byMaster.TryGetValue(master.Id, out var shard))
            {
                shard = (new List<SlotRange>(), master, new List<ClusterNode>());
                for (int i = 3; i < parts.Length; i++) shard.Replicas.Add(ReadSlotsNode(parts[i], source, isMaster: false));
                byMaster.Add(master.Id, shard);
                order.Add(master.Id);
            }
            shard.Slots.Add(range);
        }
        var shards = new List<ClusterShard>(order.Count);
        foreach (string id in order)
        {
            var shard = byMaster[id];
            shards.Add(new ClusterShard(shard.Slots, shard.Master, shard.Replicas));
        }
        return new ClusterTopology(shards, source);
    }

    private static ClusterNode ReadShardNode(object? node, string source)
    {
        string? id = null, ip = null, endpoint = null, role = null, health = null;
        int port = -1;
        foreach ((string field, object? value) in Fields(node, source, "node"))
        {
            switch (field)
            {
                case "id": id = Text(value); break;
                case "ip": ip = Text(value); break;
                case "endpoint": endpoint = Text(value); break;
                case "port": port = Int(value, source, "port"); break;
                case "role": role = Text(value); break;
                case "health": health = Text(value); break;
            }
        }
        if (id is null || role is null || port is < 0 or > 65535) throw Malformed(source, "a node lacks its id, role or a valid port");
        return new ClusterNode(id, Host(endpoint, ip, source), port, string.Equals(role, "master", StringComparison.OrdinalIgnoreCase), health ?? "online");
    }

    private static ClusterNode ReadSlotsNode(object? node, string source, bool isMaster)
    {
        if (node is not object?[] { Length: >= 2 } parts) throw Malformed(source, "a CLUSTER SLOTS node is not [host, port, ...]");
        int port = Int(parts[1], source, "port");
        if (port is < 0 or > 65535) throw Malformed(source, "a CLUSTER SLOTS node has an invalid port");
        string host = Host(Text(parts[0]), null, source);
        string id = parts.Length > 2 && Text(parts[2]) is { Length: > 0 } text ? text : $"{host}:{port}";
        return new ClusterNode(id, host, port, isMaster, "online");
    }

    // The announced endpoint, else the IP; "?" or empty means "the address you reached me at".
    private static string Host(string? endpoint, string? ip, string source)
    {
        if (!string.IsNullOrEmpty(endpoint) && endpoint != "?") return endpoint;
        if (!string.IsNullOrEmpty(ip) && ip != "?") return ip;
        int colon = source.LastIndexOf(':');
        return colon > 0 ? source[..colon].Trim('[', ']') : source;
    }

    // The fields of a RESP2 flat [name, value, ...] array or a RESP3 map.
    private static IEnumerable<(string Field, object? Value)> Fields(object? value, string source, string what)
        => ReplyFields.Of(value) ?? throw Malformed(source, $"a {what} is not a map or a list of name/value pairs");

    private static string? Text(object? value) => ReplyFields.Text(value);

    private static int Int(object? value, string source, string what)
    {
        long number = value switch
        {
            long l => l,
            byte[] b when long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed) => parsed,
            string s when long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed) => parsed,
            _ => throw Malformed(source, $"a {what} is not a number"),
        };
        if (number is < int.MinValue or > int.MaxValue) throw Malformed(source, $"a {what} is out of range");
        return (int)number;
    }

    private static RedisProtocolException Malformed(string source, string what) => new($"Malformed cluster topology from {source}: {what}.");
}
