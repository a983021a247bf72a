// A minimal ASP.NET Core API over Redis: the client from dependency injection, the typed commands,
// a distributed cache and a health check.
//
// Run it against the Redis at localhost:6379 (appsettings.json) or the one REDIS_URL names:
//   dotnet run --project samples/WebApp                          # listens on http://localhost:5080
//   REDIS_URL=redis://:secret@redis.internal:6379/0 dotnet run --project samples/WebApp
// then:
//   curl localhost:5080/visits                      # a counter: INCR through the typed commands
//   curl -X PUT localhost:5080/notes/1 -d hello     # SET with a TTL; curl localhost:5080/notes/1 reads it back
//   curl localhost:5080/primes/20000000             # computed once, then served from Redis for a minute
//   curl localhost:5080/health                      # 200 Healthy, or 503 Unhealthy when Redis does not answer PING
using System.Text.Json;
using Microsoft.Extensions.Caching.Distributed;
using Redis;

var builder = WebApplication.CreateBuilder(args);

// One IRedisClient for the whole application (a thread-safe singleton that connects on first use),
// configured by the "Redis" section; REDIS_URL (environment variable or --REDIS_URL=...) overrides its Url.
builder.Services.AddRedis(builder.Configuration.GetSection("Redis"), options =>
    options.Url = builder.Configuration["REDIS_URL"] ?? options.Url);
// The typed commands over that client: one instance serves every request.
builder.Services.AddSingleton(services => services.GetRequiredService<IRedisClient>().Commands());
// IDistributedCache (and HybridCache's backend) in Redis, keys prefixed with "webapp:".
builder.Services.AddRedisDistributedCache(options => options.InstanceName = "webapp:");
// PING through the same client; the timeout bounds a check that has to connect first.
builder.Services.AddHealthChecks().AddRedis(timeout: TimeSpan.FromSeconds(5));

var app = builder.Build();

app.MapHealthChecks("/health");

app.MapGet("/visits", async (IRedisCommands redis, CancellationToken ct) =>
    new { visits = await redis.IncrAsync("webapp:visits", ct) });

app.MapPut("/notes/{id}", async (string id, HttpRequest request, IRedisCommands redis, CancellationToken ct) =>
{
    using var body = new StreamReader(request.Body);
    await redis.SetAsync($"webapp:notes:{id}", await body.ReadToEndAsync(ct), expiration: Expiration.Seconds(3600), cancellationToken: ct);
    return Results.NoContent();
});

app.MapGet("/notes/{id}", async (string id, IRedisCommands redis, CancellationToken ct) =>
    await redis.GetAsync($"webapp:notes:{id}", ct) is { } note
        ? Results.Bytes(note, "text/plain; charset=utf-8")
        : Results.NotFound());

// The expensive part runs once per limit a minute, whichever instance of the app gets the request.
app.MapGet("/primes/{limit:int:range(2,100000000)}", async (int limit, IDistributedCache cache, CancellationToken ct) =>
{
    string key = $"primes:{limit}";
    string? json = await cache.GetStringAsync(key, ct);
    if (json is null)
    {
        json = JsonSerializer.Serialize(new PrimeCount(limit, CountPrimes(limit), DateTimeOffset.UtcNow), JsonSerializerOptions.Web);
        await cache.SetStringAsync(key, json, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1) }, ct);
    }
    return Results.Text(json, "application/json");
});

app.Run();

// The number of primes not above limit (a sieve of Eratosthenes): the work worth caching.
static int CountPrimes(int limit)
{
    var composite = new bool[limit + 1];
    int count = 0;
    for (long i = 2; i <= limit; i++)
    {
        if (composite[i]) continue;
        count++;
        for (long multiple = i * i; multiple <= limit; multiple += i) composite[multiple] = true;
    }
    return count;
}

record PrimeCount(int Limit, int Primes, DateTimeOffset ComputedAt);
