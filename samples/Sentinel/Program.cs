// Redis Sentinel: a client that follows failovers. It finds the master through the sentinels, writes
// continuously, triggers SENTINEL FAILOVER, and shows the client moving to the new master: the master
// before and after, and how long writes were interrupted.
//
// The deployment: sentinel addresses and master name from the arguments ("host:26379,host:26379" mymaster) or
// REDIS_SENTINEL and REDIS_SENTINEL_MASTER (REDIS_SENTINEL_PASSWORD / REDIS_PASSWORD for the sentinels' / the data
// nodes' passwords); the failover is then only triggered with REDIS_SENTINEL_FAILOVER=1, as it moves the master of a
// real deployment. With none, this run starts a throwaway local master + replica + 3 sentinels (from redis-server)
// with the Redis.Testing package, stopped at the end.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Redis;
using Redis.Testing;

string? addresses = args.ElementAtOrDefault(0) ?? Environment.GetEnvironmentVariable("REDIS_SENTINEL");
string? masterName = args.ElementAtOrDefault(1) ?? Environment.GetEnvironmentVariable("REDIS_SENTINEL_MASTER");
string? sentinelPassword = Environment.GetEnvironmentVariable("REDIS_SENTINEL_PASSWORD");
string? dataPassword = Environment.GetEnvironmentVariable("REDIS_PASSWORD");
bool given = !string.IsNullOrWhiteSpace(addresses) && !string.IsNullOrWhiteSpace(masterName);
if (!given && LocalSentinelSet.WhyUnavailable is { } why)
{
    Console.Error.WriteLine($"No Sentinel deployment given and no local Sentinel set can be started: {why}.");
    Console.Error.WriteLine("Sentinels run as 'redis-server --sentinel', so redis-server is all that is needed (e.g. apt-get install -y redis-server, brew install redis).");
    Console.Error.WriteLine("Or point the sample at a deployment: dotnet run --project samples/Sentinel -- host:26379[,host:26379...] mymaster");
    return 1;
}
await using LocalSentinelSet? throwaway = given
    ? null
    : await LocalSentinelSet.StartAsync(options: new LocalSentinelOptions { Log = line => Console.WriteLine($"  {line}") });
bool failover = throwaway is not null || Environment.GetEnvironmentVariable("REDIS_SENTINEL_FAILOVER") == "1";
if (given)
{
    Console.WriteLine($"Using the sentinels given for '{masterName}'; nothing is started." +
        (failover ? " REDIS_SENTINEL_FAILOVER=1: the master will be moved." : " No failover (set REDIS_SENTINEL_FAILOVER=1 to trigger one)."));
}
addresses = throwaway is null ? addresses! : string.Join(",", throwaway.SentinelAddresses);
masterName = throwaway?.MasterName ?? masterName!;

DialOptions? sentinelOptions = sentinelPassword is null ? null : new DialOptions { Password = sentinelPassword };
var dataOptions = new DialOptions { Password = dataPassword };
// One Sentinel per deployment: it asks the sentinels in turn and confirms the master with ROLE.
var sentinel = new Sentinel(addresses.Split(','), masterName, sentinelOptions)
{
    DataNodeDialOptions = dataOptions,
    CheckInterval = TimeSpan.FromSeconds(1),
};
string before = await sentinel.MasterAddressAsync();
Console.WriteLine($"Master of '{masterName}': {before}; replicas: {string.Join(", ", await sentinel.ReplicaAddressesAsync())}");

// A client built on the Sentinel follows the master: +switch-master, -READONLY, a lost connection, a periodic check.
await using RedisClient client = await RedisClient.ConnectAsync(sentinel, dataOptions, new ClientOptions { CommandTimeout = TimeSpan.FromSeconds(2) });
string key = $"sample:sentinel:{Guid.NewGuid():N}";

// One writer: INCR every 5 ms, remembering when each write was acknowledged.
var clock = Stopwatch.StartNew();
var acknowledged = new List<TimeSpan>();
int failed = 0;
string? firstError = null;
using var stop = new CancellationTokenSource();
Task writer = Task.Run(async () =>
{
    while (!stop.IsCancellationRequested)
    {
        try
        {
            await client.DoAsync("INCR", key);
            lock (acknowledged) acknowledged.Add(clock.Elapsed);
        }
        catch (RedisException ex)
        {
            failed++;
            firstError ??= ex.Message;
        }
        await Task.Delay(5);
    }
});

await Task.Delay(1000);
string after = before;
if (failover)
{
    TimeSpan started = clock.Elapsed;
    Console.WriteLine($"{Ms(started)}: SENTINEL FAILOVER {masterName} (writes continue)...");
    await RequestFailoverAsync(addresses.Split(','), masterName, sentinelOptions);
    // Wait (bounded) until the sentinels name another master, confirmed by its ROLE.
    var wait = Stopwatch.StartNew();
    while (after == before && wait.Elapsed < TimeSpan.FromSeconds(30))
    {
        await Task.Delay(100);
        try
        {
            after = await sentinel.MasterAddressAsync();
        }
        catch (RedisSentinelException)
        {
            // Mid-failover: ask again.
        }
    }
    Console.WriteLine(after == before
        ? $"The master did not move within 30 s (still {before})."
        : $"{Ms(clock.Elapsed)}: the sentinels name {after} ({Ms(clock.Elapsed - started)} after the request).");
    await Task.Delay(1000); // writes on the new master
}
else
{
    await Task.Delay(1000);
}

stop.Cancel();
await writer.WaitAsync(TimeSpan.FromSeconds(10));
TimeSpan longest = TimeSpan.Zero;
TimeSpan from = TimeSpan.Zero;
for (int i = 1; i < acknowledged.Count; i++)
{
    if (acknowledged[i] - acknowledged[i - 1] > longest) (longest, from) = (acknowledged[i] - acknowledged[i - 1], acknowledged[i - 1]);
}
long counter = long.Parse(Encoding.UTF8.GetString((byte[])(await client.DoAsync("GET", key))!), CultureInfo.InvariantCulture);
Console.WriteLine($"Master before: {before}; after: {after}.");
Console.WriteLine($"Writes: {acknowledged.Count} acknowledged, {failed} failed{(firstError is null ? "" : $" (first: {firstError})")}; " +
    $"longest interruption between two acknowledged writes: {Ms(longest)} (from {Ms(from)}).");
Console.WriteLine($"The counter on the current master is {counter} for {acknowledged.Count} acknowledged increments" +
    (counter < acknowledged.Count
        ? ": Redis replicates asynchronously, so writes the old master acknowledged after the replica was promoted, before the sentinels announced it (+switch-master), are lost."
        : "."));
Console.WriteLine($"Client: {client.Stats}");
await client.DoAsync("DEL", key);
return 0;

static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";

// SENTINEL FAILOVER on the first sentinel that accepts it; -NOGOODSLAVE (no replica judged fit yet) is retried for 10 s.
static async Task RequestFailoverAsync(string[] sentinels, string masterName, DialOptions? options)
{
    var deadline = Stopwatch.StartNew();
    while (true)
    {
        foreach (string address in sentinels)
        {
            try
            {
                await using IConn conn = await Conn.DialAsync("tcp", address.Trim(), (options ?? new DialOptions()) with { ConnectTimeout = TimeSpan.FromSeconds(2), ReadTimeout = TimeSpan.FromSeconds(5) });
                await conn.DoAsync("SENTINEL", ["FAILOVER", masterName], CancellationToken.None);
                return;
            }
            catch (RedisServerException ex) when (ex.Message.Contains("INPROG", StringComparison.Ordinal))
            {
                return; // one is already under way
            }
            catch (RedisException ex) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                Console.WriteLine($"  {address}: {ex.Message}; trying again");
            }
        }
        await Task.Delay(500);
    }
}
