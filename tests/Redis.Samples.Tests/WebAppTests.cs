using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Redis.Testing;

namespace Redis.Samples.Tests;

/// <summary>samples/WebApp over real HTTP requests (in process) against a real server.</summary>
public sealed class WebAppTests(WebAppFixture fixture) : IClassFixture<WebAppFixture>
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private HttpClient NewHttpClient(WebAppFactory app)
    {
        HttpClient http = app.CreateClient();
        http.Timeout = RequestTimeout;
        return http;
    }

    [Fact]
    public async Task VisitsCounterIncreasesByOneOnEachGetAndIsStoredInRedis()
    {
        using HttpClient http = NewHttpClient(fixture.App);

        long first = await VisitsAsync(http);
        long second = await VisitsAsync(http);

        Assert.Equal(first + 1, second);
        string? stored = Reply.String(await fixture.Redis.DoAsync("GET", "webapp:visits"));
        Assert.Equal(second.ToString(System.Globalization.CultureInfo.InvariantCulture), stored);
    }

    [Fact]
    public async Task PrimesSecondCallIsServedFromTheCacheEntryStoredInAspNetCoresHashLayout()
    {
        using HttpClient http = NewHttpClient(fixture.App);
        // A limit no earlier run has cached (entries live a minute), so the first call computes.
        int limit = Random.Shared.Next(100_000, 1_000_000);
        string redisKey = $"webapp:primes:{limit}";
        Assert.Equal(0L, await fixture.Redis.DoAsync("EXISTS", redisKey));

        string first = await http.GetStringAsync(new Uri($"/primes/{limit}", UriKind.Relative));
        string second = await http.GetStringAsync(new Uri($"/primes/{limit}", UriKind.Relative));

        Assert.Equal(first, second);   // computedAt included: the second response is the cached one
        using (JsonDocument json = JsonDocument.Parse(first))
        {
            Assert.Equal(limit, json.RootElement.GetProperty("limit").GetInt32());
            Assert.Equal(CountPrimesByTrialDivision(limit), json.RootElement.GetProperty("primes").GetInt32());
        }

        // ASP.NET Core's Redis cache layout: a hash with data, absexp (UTC ticks), sldexp (-1: none), and a TTL.
        Assert.Equal(first, Reply.String(await fixture.Redis.DoAsync("HGET", redisKey, "data")));
        Assert.Equal("-1", Reply.String(await fixture.Redis.DoAsync("HGET", redisKey, "sldexp")));
        long absoluteTicks = long.Parse(Reply.String(await fixture.Redis.DoAsync("HGET", redisKey, "absexp"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(absoluteTicks, DateTimeOffset.UtcNow.UtcTicks, DateTimeOffset.UtcNow.AddMinutes(1).UtcTicks);
        Assert.InRange((long)(await fixture.Redis.DoAsync("PTTL", redisKey))!, 1, 60_000);
    }

    [Fact]
    public async Task NotePutIsReadBackWithATtlAndAMissingNoteIs404()
    {
        using HttpClient http = NewHttpClient(fixture.App);
        string id = Guid.NewGuid().ToString("N");
        string text = $"remember {id} ✓";

        using HttpResponseMessage put = await http.PutAsync(new Uri($"/notes/{id}", UriKind.Relative), new StringContent(text, Encoding.UTF8));
        string readBack = await http.GetStringAsync(new Uri($"/notes/{id}", UriKind.Relative));
        using HttpResponseMessage missing = await http.GetAsync(new Uri($"/notes/{id}-missing", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.Equal(text, readBack);
        Assert.InRange((long)(await fixture.Redis.DoAsync("TTL", $"webapp:notes:{id}"))!, 1, 3600);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task HealthIs200HealthyWhenRedisAnswers()
    {
        using HttpClient http = NewHttpClient(fixture.App);

        using HttpResponseMessage response = await http.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HealthIs503UnhealthyWhenTheRedisConfigurationPointsAtAClosedPort()
    {
        // A port just allocated and released: nothing listens there, so connecting is refused.
        await using var app = new WebAppFactory($"redis://127.0.0.1:{TestServer.AllocateFreePort()}");
        using HttpClient http = NewHttpClient(app);

        using HttpResponseMessage response = await http.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", await response.Content.ReadAsStringAsync());
    }

    private static async Task<long> VisitsAsync(HttpClient http)
    {
        Visits? visits = await http.GetFromJsonAsync<Visits>(new Uri("/visits", UriKind.Relative));
        return Assert.IsType<Visits>(visits).Count;
    }

    // An independent count (not the sample's sieve), so the test checks the value, not the code against itself.
    private static int CountPrimesByTrialDivision(int limit)
    {
        int count = 0;
        for (int n = 2; n <= limit; n++)
        {
            bool prime = true;
            for (int d = 2; (long)d * d <= n; d++)
            {
                if (n % d == 0) { prime = false; break; }
            }
            if (prime) count++;
        }
        return count;
    }

    private sealed record Visits([property: System.Text.Json.Serialization.JsonPropertyName("visits")] long Count);
}
