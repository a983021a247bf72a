using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Redis.Samples.Tests;

/// <summary>
/// samples/WebApp in process (its own Program.cs, appsettings.json and registrations), with its Redis
/// configuration pointed at <paramref name="redisUrl"/> the way a user would: the REDIS_URL setting.
/// </summary>
/// <param name="redisUrl">The server the application uses.</param>
public sealed class WebAppFactory(string redisUrl) : WebApplicationFactory<Program>
{
    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Added after the application's own sources, so these win over appsettings.json and over a REDIS_URL
        // environment variable of the test run; a short connect timeout keeps a failing test short.
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["REDIS_URL"] = redisUrl,
            ["Redis:ConnectTimeout"] = "00:00:05",
        }));
    }
}
