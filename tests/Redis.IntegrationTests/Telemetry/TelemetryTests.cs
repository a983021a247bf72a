using System.Diagnostics;
using Redis.Testing;
using Redis.Tests.Infrastructure;

namespace Redis.Tests.Telemetry;

/// <summary>
/// Spans and metrics of <see cref="RedisTelemetry"/> against a real server of each test's own (so the
/// listeners, filtered by its port, see nothing of other tests): the conventions' attributes, error
/// replies, pipelines, the duration histogram, opt-in redacted query text and the pool and cache instruments.
/// </summary>
[Trait("Server", "RedisOnly")]
public class TelemetryTests
{
    private static Task<TestServer> StartServerAsync(params string[] extraArgs) => DedicatedServer.StartAsync(new TestServerOptions
    {
        Reason = "telemetry listeners filtered by a server port of the test's own",
        ExtraArgs = extraArgs,
    });

    private static void AssertConventions(Activity span, string operation, TestServer server, string database = "0")
    {
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal(operation, span.DisplayName);
        Assert.Equal(RedisTelemetry.DbSystemValue, span.GetTagItem(RedisTelemetry.DbSystemName));
        Assert.Equal(operation, span.GetTagItem(RedisTelemetry.DbOperationName));
        Assert.Equal(database, span.GetTagItem(RedisTelemetry.DbNamespace));
        Assert.Equal(server.Host, span.GetTagItem(RedisTelemetry.ServerAddress));
        Assert.Equal(server.Port, span.GetTagItem(RedisTelemetry.ServerPort));
    }

    public static TheoryData<string> ClientModes() => new() { "typed-sync", "typed-async", "untyped-sync", "untyped-async" };

    [SkippableTheory, MemberData(nameof(ClientModes))]
    public async Task RedisClientGet_ProducesOneClientSpanWithTheConventionsAttributes(string mode)
    {
        await using TestServer server = await StartServerAsync();
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", server.Address, new DialOptions { Database = 3 });
        await client.DoAsync("SET", "tel:get", "v");
        using var capture = new TelemetryCapture(server.Port);
        Activity? parent = new Activity("caller").Start();

        object? value = mode switch
        {
            "typed-sync" => client.Commands().Get("tel:get"),
            "typed-async" => await client.Commands().GetAsync("tel:get"),
            "untyped-sync" => client.Do("GET", "tel:get"),
            _ => await client.DoAsync("GET", "tel:get"),
        };
        Assert.Same(parent, Activity.Current); // the client's span never becomes the caller's current activity
        parent.Stop();

        Assert.Equal("v"u8.ToArray(), (byte[]?)value);
        Activity span = Assert.Single(capture.Spans);
        AssertConventions(span, "GET", server, database: "3");
        Assert.Equal(parent.TraceId, span.TraceId);
        Assert.Equal(parent.SpanId, span.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Null(span.GetTagItem(RedisTelemetry.DbQueryText));
        Assert.Null(span.GetTagItem(RedisTelemetry.ErrorType));
    }

    [SkippableTheory, InlineData(false), InlineData(true)]
    public async Task ErrorReply_SetsErrorStatusResponseStatusCodeAndErrorType(bool useConn)
    {
        await using TestServer server = await StartServerAsync();
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", server.Address);
        using IConn conn = Conn.Dial("tcp", server.Address);
        await client.DoAsync("LPUSH", "tel:list", "x");
        using var capture = new TelemetryCapture(server.Port);

        var error = await Assert.ThrowsAsync<RedisServerException>(async () =>
        {
            if (useConn) conn.Do("INCR", "tel:list");
            else await client.Commands().IncrAsync("tel:list");
        });

        Assert.Equal("WRONGTYPE", error.Prefix);
        Activity span = Assert.Single(capture.Spans);
        AssertConventions(span, "INCR", server);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("WRONGTYPE", span.GetTagItem(RedisTelemetry.DbResponseStatusCode));
        Assert.Equal("WRONGTYPE", span.GetTagItem(RedisTelemetry.ErrorType));
    }

    [SkippableFact]
    public async Task ConnCalls_ProduceOneSpanEach_TypedAndUntyped_SyncAndAsync()
    {
        await using TestServer server = await StartServerAsync();
        using IConn conn = await Conn.DialAsync("tcp", server.Address);
        IRedisCommands redis = conn.Commands();
        using var capture = new TelemetryCapture(server.Port);

        conn.Do("SET", "tel:conn", "1");
        await conn.DoAsync("GET", ["tel:conn"], CancellationToken.None);
        redis.Incr("tel:conn");
        await redis.IncrAsync("tel:conn");

        Assert.Equal(["SET", "GET", "INCR", "INCR"], capture.Spans.Select(s => s.DisplayName));
        foreach (Activity span in capture.Spans) AssertConventions(span, span.DisplayName, server);
    }

    [SkippableFact]
    public async Task ConnSendPipeline_IsOnePipelineSpanWithTheBatchSize()
    {
        await using TestServer server = await StartServerAsync();
        using IConn conn = Conn.Dial("tcp", server.Address);
        using var capture = new TelemetryCapture(server.Port);

        conn.Send("SET", "tel:p", "1");
        conn.Send("INCR", "tel:p");
        conn.Send("INCR", "tel:p");
        conn.Flush();
        conn.Receive();
        conn.Receive();
        Assert.Empty(capture.Spans); // still a reply to read
        Assert.Equal(3L, conn.Receive());

        // A transaction: MULTI and INCR sent, EXEC by Do, which reads them all.
        conn.Send("MULTI");
        conn.Send("INCR", "tel:p");
        conn.Do("EXEC");

        Assert.Equal(2, capture.Spans.Count);
        AssertConventions(capture.Spans[0], RedisTelemetry.PipelineOperationName, server);
        Assert.Equal(3, capture.Spans[0].GetTagItem(RedisTelemetry.DbOperationBatchSize));
        AssertConventions(capture.Spans[1], RedisTelemetry.PipelineOperationName, server);
        Assert.Equal(3, capture.Spans[1].GetTagItem(RedisTelemetry.DbOperationBatchSize));
    }

    [SkippableFact]
    public async Task DurationHistogram_IsRecordedInSecondsWithTheSpanAttributes()
    {
        await using TestServer server = await StartServerAsync();
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", server.Address);
        await client.DoAsync("SET", "tel:h", "text");
        using var capture = new TelemetryCapture(server.Port);

        await client.Commands().GetAsync("tel:h");
        await Assert.ThrowsAsync<RedisServerException>(async () => await client.DoAsync("HGET", "tel:h", "f"));

        var measurements = capture.Measurements(RedisTelemetry.OperationDurationMetric)
            .Where(m => Equals(m.Tags.GetValueOrDefault(RedisTelemetry.ServerPort), server.Port)).ToList();
        Assert.Equal(2, measurements.Count);
        (double ok, Dictionary<string, object?> okTags) = measurements[0];
        Assert.InRange(ok, 0, 30); // seconds, not ticks or milliseconds of a local round trip
        Assert.Equal("GET", okTags[RedisTelemetry.DbOperationName]);
        Assert.Equal(RedisTelemetry.DbSystemValue, okTags[RedisTelemetry.DbSystemName]);
        Assert.Equal("0", okTags[RedisTelemetry.DbNamespace]);
        Assert.Equal(server.Host, okTags[RedisTelemetry.ServerAddress]);
        Assert.False(okTags.ContainsKey(RedisTelemetry.ErrorType));
        Dictionary<string, object?> errorTags = measurements[1].Tags;
        Assert.Equal("HGET", errorTags[RedisTelemetry.DbOperationName]);
        Assert.Equal("WRONGTYPE", errorTags[RedisTelemetry.DbResponseStatusCode]);
        Assert.Equal("WRONGTYPE", errorTags[RedisTelemetry.ErrorType]);
    }

    [SkippableFact]
    public async Task QueryText_IsAbsentByDefault_AndRedactedWhenOptedIn()
    {
        const string Password = "tel-secret-pw-71c3";
        const string NewPassword = "tel-new-pw-0d5e";
        await using TestServer server = await StartServerAsync("--requirepass", Password);
        var secret = new DialOptions { Password = Password };
        using var capture = new TelemetryCapture(server.Port);

        using (IConn plain = Conn.Dial("tcp", server.Address, secret))
        {
            plain.Do("AUTH", Password);
            plain.Do("SET", "tel:q", "visible-value");
        }
        Assert.Equal(2, capture.Spans.Count);
        Assert.All(capture.Spans, span => Assert.Null(span.GetTagItem(RedisTelemetry.DbQueryText)));

        var traced = secret with { TraceQueryText = true };
        using (IConn conn = Conn.Dial("tcp", server.Address, traced))
        {
            conn.Do("AUTH", Password);
            conn.Do("SET", "tel:q", "visible-value");
            conn.Do("CONFIG", "SET", "requirepass", NewPassword);
            conn.Do("CONFIG", "SET", "requirepass", Password);
        }
        await using (RedisClient client = await RedisClient.ConnectAsync("tcp", server.Address, traced))
        {
            await client.Commands().SetAsync("tel:typed", "typed-value");
            await client.DoAsync("CONFIG", "SET", "requirepass", Password);
        }

        string[] texts = [.. capture.Spans.Skip(2).Select(s => (string)s.GetTagItem(RedisTelemetry.DbQueryText)!)];
        Assert.Equal(6, texts.Length);
        Assert.Equal("AUTH [redacted]", texts[0]);
        Assert.Equal("SET \"tel:q\" \"visible-value\"", texts[1]);
        Assert.Equal("CONFIG \"SET\" \"requirepass\" [redacted]", texts[2]);
        Assert.Equal("SET \"tel:typed\" \"typed-value\"", texts[4]);
        Assert.Equal("CONFIG \"SET\" \"requirepass\" [redacted]", texts[5]);
        foreach (Activity span in capture.Spans)
        {
            foreach (KeyValuePair<string, object?> tag in span.TagObjects)
            {
                Assert.DoesNotContain(Password, tag.Value?.ToString() ?? "");
                Assert.DoesNotContain(NewPassword, tag.Value?.ToString() ?? "");
            }
        }
    }

    [SkippableFact]
    public async Task PoolConnectionCount_ReportsIdleAndUsedConnections()
    {
        await using TestServer server = await StartServerAsync();
        using Pool pool = Pool.Create("tcp", server.Address);
        using var capture = new TelemetryCapture(server.Port);
        IConn first = pool.Get();
        using (IConn second = pool.Get()) second.Do("PING");

        capture.Observe();
        first.Dispose();

        var counts = capture.Measurements(RedisTelemetry.ConnectionCountMetric)
            .Where(m => Equals(m.Tags.GetValueOrDefault(RedisTelemetry.ConnectionPoolName), server.Address)).ToList();
        Assert.Equal(1, counts.Single(m => Equals(m.Tags[RedisTelemetry.ConnectionState], "used")).Value);
        Assert.Equal(1, counts.Single(m => Equals(m.Tags[RedisTelemetry.ConnectionState], "idle")).Value);
    }

    [SkippableFact]
    public async Task ClientSideCache_HitsAndMissesAreCounted()
    {
        await using TestServer server = await StartServerAsync();
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", server.Address, new DialOptions { Protocol = 3 },
            new ClientOptions { Cache = new CacheOptions() });
        await client.DoAsync("SET", "tel:c", "cached");
        IRedisCommands cached = client.Cached(TimeSpan.FromMinutes(1));
        using var capture = new TelemetryCapture(server.Port);

        await cached.GetAsync("tel:c"); // miss
        await cached.GetAsync("tel:c"); // hit
        await cached.GetAsync("tel:c"); // hit
        capture.Observe();

        var requests = capture.Measurements(RedisTelemetry.CacheRequestsMetric)
            .Where(m => Equals(m.Tags.GetValueOrDefault(RedisTelemetry.ServerPort), server.Port)).ToList();
        Assert.Equal(2, requests.Single(m => Equals(m.Tags[RedisTelemetry.CacheResult], "hit")).Value);
        Assert.Equal(1, requests.Single(m => Equals(m.Tags[RedisTelemetry.CacheResult], "miss")).Value);
        Assert.Single(capture.Spans, s => s.DisplayName == "GET"); // only the miss went to the server
    }
}
