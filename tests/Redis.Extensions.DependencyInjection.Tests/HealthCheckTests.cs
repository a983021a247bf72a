using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Redis.Testing;

namespace Redis.Extensions.DependencyInjection.Tests;

/// <summary>The PING health check, through the registered client.</summary>
public sealed class HealthCheckTests
{
    private const string Secret = "health-secret-pw";

    [Fact]
    public async Task TheHealthCheck_IsHealthyWhenTheServerAnswersPing()
    {
        TestServer server = await TestServer.SharedAsync();
        var services = new ServiceCollection().AddLogging().AddRedis(server.Url);
        services.AddHealthChecks().AddRedis(timeout: TimeSpan.FromSeconds(10));
        await using ServiceProvider provider = services.BuildServiceProvider();

        HealthReport report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Entries["redis"].Status);
        Assert.Equal(HealthStatus.Healthy, report.Status);
    }

    [Fact]
    public async Task TheHealthCheck_IsUnhealthyWithTheExceptionAndNoSecretWhenThePortIsClosed()
    {
        int port = TestServer.AllocateFreePort();   // nothing listens there
        var services = new ServiceCollection().AddLogging().AddRedis($"redis://:{Secret}@127.0.0.1:{port}");
        services.AddHealthChecks().AddRedis(timeout: TimeSpan.FromSeconds(10));
        await using ServiceProvider provider = services.BuildServiceProvider();

        HealthReport report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        HealthReportEntry entry = report.Entries["redis"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.IsType<RedisConnectionException>(entry.Exception);
        Assert.DoesNotContain(Secret, entry.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, entry.Exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHealthCheck_ReportsItsFailureStatusWhenAServerNeverAnswersWithinTheTimeout()
    {
        // Accepts connections and never writes a byte: PING waits until the check's timeout cancels it.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var services = new ServiceCollection().AddLogging().AddRedis(o => { o.Url = $"redis://127.0.0.1:{port}"; o.CommandTimeout = TimeSpan.FromMinutes(5); });
        services.AddHealthChecks().AddRedis(failureStatus: HealthStatus.Degraded, timeout: TimeSpan.FromMilliseconds(500));
        await using ServiceProvider provider = services.BuildServiceProvider();

        HealthReport report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Degraded, report.Entries["redis"].Status);
    }

    [Fact]
    public async Task AKeyedHealthCheck_PingsTheKeyedClient()
    {
        TestServer server = await TestServer.SharedAsync();
        int closed = TestServer.AllocateFreePort();
        var services = new ServiceCollection().AddLogging()
            .AddKeyedRedis("up", server.Url)
            .AddKeyedRedis("down", $"redis://127.0.0.1:{closed}");
        services.AddHealthChecks().AddKeyedRedis("up").AddKeyedRedis("down", timeout: TimeSpan.FromSeconds(10));
        await using ServiceProvider provider = services.BuildServiceProvider();

        HealthReport report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Entries["redis-up"].Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["redis-down"].Status);
    }
}
