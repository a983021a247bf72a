// Traces and metrics of the Redis client exported with the OpenTelemetry SDK to the console. The client
// itself depends on no OpenTelemetry package: it publishes through System.Diagnostics (ActivitySource and
// Meter) under the names in RedisTelemetry, which the SDK subscribes to here.
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Redis;
using Redis.Testing;

// The server: the first argument or REDIS_URL (e.g. redis://localhost:6379). With neither, this run gets a
// throwaway server from the Redis.Testing package. An application has just the URL.
string? url = args.FirstOrDefault() ?? Environment.GetEnvironmentVariable("REDIS_URL");
await using TestServer? throwaway = url is null ? await TestServer.StartAsync() : null;
url ??= throwaway!.Url;

using TracerProvider tracing = Sdk.CreateTracerProviderBuilder()
    .AddSource(RedisTelemetry.ActivitySourceName)
    .AddConsoleExporter()
    .Build();
using MeterProvider metrics = Sdk.CreateMeterProviderBuilder()
    .AddMeter(RedisTelemetry.MeterName)
    .AddConsoleExporter()
    .Build();

// TraceQueryText adds db.query.text (secrets masked); leave it off unless keys and values may be logged.
await using (RedisClient client = await RedisClient.ConnectAsync(url, new DialOptions { TraceQueryText = true }))
{
    IRedisCommands redis = client.Commands();
    await redis.SetAsync("observability:greeting", "hello");
    byte[]? greeting = await redis.GetAsync("observability:greeting");
    Console.WriteLine($"GET observability:greeting -> {System.Text.Encoding.UTF8.GetString(greeting ?? [])}");
    try
    {
        await redis.IncrAsync("observability:greeting"); // an error reply: span status Error, db.response.status_code ERR
    }
    catch (RedisServerException ex)
    {
        Console.WriteLine($"INCR failed as expected: {ex.Prefix}");
    }
}

// A Conn pipeline: one PIPELINE span with db.operation.batch.size = 3.
using (IConn conn = Conn.DialUrl(url))
{
    conn.Send("INCR", "observability:visits");
    conn.Send("EXPIRE", "observability:visits", 60);
    conn.Send("GET", "observability:visits");
    conn.Flush();
    for (int i = 0; i < 3; i++) conn.Receive();
}

// Export now (the providers' Dispose would too): spans as they ended, then the metrics.
tracing.ForceFlush();
metrics.ForceFlush();
