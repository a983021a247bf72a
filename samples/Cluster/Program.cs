// Redis Cluster in a few lines: connect, typed SET/GET, an MGET across slots (the client splits it),
// a transaction on one hash tag, then what the client knows (topology) and did (stats).
using System.Text;
using Redis;
using Redis.Testing;

// The cluster: seed addresses "host:port,host:port" from the first argument or REDIS_CLUSTER. With neither, this run
// starts a throwaway local cluster (3 masters, 1 replica each, from redis-server and redis-cli) with the
// Redis.Testing package, stopped at the end. An application has just the seeds.
string? seeds = args.FirstOrDefault() ?? Environment.GetEnvironmentVariable("REDIS_CLUSTER");
if (string.IsNullOrWhiteSpace(seeds) && LocalCluster.WhyUnavailable is { } why)
{
    Console.Error.WriteLine($"No cluster given and no local cluster can be started: {why}.");
    Console.Error.WriteLine("Or point the sample at a cluster: dotnet run --project samples/Cluster -- host:port[,host:port...]");
    return 1;
}
await using LocalCluster? throwaway = string.IsNullOrWhiteSpace(seeds)
    ? await LocalCluster.StartAsync(masters: 3, replicasPerMaster: 1, new LocalClusterOptions { Log = line => Console.WriteLine($"  {line}") })
    : null;
seeds = throwaway?.Seeds ?? seeds!;

// One RedisCluster per application: it reads the slot map and keeps one pipelined connection per node.
await using RedisCluster cluster = await RedisCluster.ConnectAsync(seeds);
IRedisCommands redis = cluster.Commands();
string run = Guid.NewGuid().ToString("N")[..8];

// Typed SET/GET: each key goes to the master that owns its slot.
string greeting = $"sample:{run}:greeting";
await redis.SetAsync(greeting, "hello, cluster");
Console.WriteLine($"GET {greeting} (slot {RedisCluster.Slot(greeting)}) = {Text(await redis.GetAsync(greeting))}");

// MGET across slots: one call; the client sends one MGET per slot in parallel and merges in key order.
RedisKey[] keys = [.. Enumerable.Range(0, 5).Select(i => (RedisKey)$"sample:{run}:item:{i}")];
for (int i = 0; i < keys.Length; i++)
{
    if (i != 3) await redis.SetAsync(keys[i], $"value {i}");   // item:3 stays missing
}
byte[]?[] values = await redis.MGetAsync(keys);
Console.WriteLine($"MGET of {keys.Length} keys in slots {string.Join(", ", Enumerable.Range(0, 5).Select(i => RedisCluster.Slot($"sample:{run}:item:{i}")))}:");
for (int i = 0; i < keys.Length; i++) Console.WriteLine($"  item:{i} = {Text(values[i])}");

// A transaction: every key shares the hash tag {user:RUN}, so one slot, one node (else: an error, nothing sent).
string visits = $"{{user:{run}}}:visits", last = $"{{user:{run}}}:last";
object?[] exec = await cluster.TransactionAsync(tx =>
{
    tx.Send("INCR", visits);
    tx.Send("INCR", visits);
    tx.Send("SET", last, DateTimeOffset.UtcNow.ToString("O"));
});
Console.WriteLine($"MULTI/EXEC on slot {RedisCluster.Slot(visits)}: {string.Join(", ", exec.Select(Describe))}");

Console.WriteLine($"Topology ({cluster.Topology}):");
foreach (ClusterShard shard in cluster.Topology.Shards) Console.WriteLine($"  {shard}");
Console.WriteLine($"Stats: {cluster.Stats}");

await redis.DelAsync([greeting, .. keys, visits, last]);   // DEL across slots is split too
return 0;

static string Text(byte[]? value) => value is null ? "(nil)" : Encoding.UTF8.GetString(value);
static string Describe(object? reply) => reply switch
{
    null => "(nil)",
    byte[] bytes => Encoding.UTF8.GetString(bytes),
    _ => Convert.ToString(reply, System.Globalization.CultureInfo.InvariantCulture) ?? "",
};
