// Concurrent workers sharing one pool: 16 workers (half synchronous threads, half async tasks) run
// 16,000 operations through at most 4 connections, while the pool's statistics are printed.
using System.Diagnostics;
using Redis;
using Redis.Testing;

// The server: the first argument or REDIS_URL (e.g. redis://localhost:6379). With neither, this run gets a
// throwaway server from the Redis.Testing package (a local redis-server, else an embedded Garnet in this
// process), so the sample runs on a machine with only the .NET SDK. An application has just the URL.
string? url = args.FirstOrDefault() ?? Environment.GetEnvironmentVariable("REDIS_URL");
await using TestServer? throwaway = url is null ? await TestServer.StartAsync() : null;
url ??= throwaway!.Url;

const int Workers = 16, OpsPerWorker = 1000;
string counter = $"sample:pool:{Guid.NewGuid():N}";

using var pool = Pool.Create(url, dialOptions: null, new PoolOptions
{
    MaxActive = 4,                               // at most 4 connections open
    MaxIdle = 4,                                 // and all of them kept for reuse
    Wait = true,                                 // a 5th caller waits for one to come back
    IdleTimeout = TimeSpan.FromMinutes(1),       // idle connections are closed after a minute
    TestOnBorrow = (conn, returnedAt) =>         // PING a connection that sat idle for a while
        DateTimeOffset.UtcNow - returnedAt < TimeSpan.FromSeconds(30) || conn.Do("PING") is "PONG",
});

var stopwatch = Stopwatch.StartNew();
using var done = new CancellationTokenSource();
Task reporter = Task.Run(async () =>
{
    while (!done.IsCancellationRequested)
    {
        Console.WriteLine($"{stopwatch.ElapsedMilliseconds,5} ms  {Describe(pool.Stats)}");
        await Task.Delay(100, done.Token).ContinueWith(_ => { }, TaskScheduler.Default);
    }
});

Task[] workers = [.. Enumerable.Range(0, Workers).Select(id => id % 2 == 0
    ? Task.Factory.StartNew(() =>
    {
        for (int i = 0; i < OpsPerWorker; i++)
        {
            using IConn conn = pool.Get();           // disposing gives it back
            conn.Do("INCR", counter);
        }
    }, TaskCreationOptions.LongRunning)
    : Task.Run(async () =>
    {
        for (int i = 0; i < OpsPerWorker; i++)
        {
            await using IConn conn = await pool.GetAsync();
            await conn.DoAsync("INCR", counter);
        }
    }))];
await Task.WhenAll(workers);
done.Cancel();
await reporter;

using (IConn conn = pool.Get())
{
    long total = Reply.Int64(conn.Do("GET", counter));
    conn.Do("DEL", counter);
    Console.WriteLine($"{Workers} workers did {total} INCRs in {stopwatch.ElapsedMilliseconds} ms");
}
PoolStats stats = pool.Stats;
Console.WriteLine($"final: {Describe(stats)}");
pool.Dispose();
Console.WriteLine($"after Dispose: {Describe(pool.Stats)}");
return 0;

static string Describe(PoolStats s) =>
    $"active {s.ActiveCount}, idle {s.IdleCount}, waited {s.WaitCount} times for {s.WaitDuration.TotalMilliseconds:F0} ms in total";
