using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Redis.Extensions.DependencyInjection.Tests;

/// <summary>Bad settings stop the host at start-up with a message that says what to fix and never holds a password.</summary>
public sealed class ValidationTests
{
    private const string Secret = "pa55-w0rd-secret";

    public static TheoryData<string, string[], string> BadConfigurations => new()
    {
        { "no server", Array.Empty<string>(), "no server is configured: set Url" },
        { "Url and Endpoints", new[] { "Url=redis://localhost:6379", "Endpoints:0=localhost:6380" }, "both Url and Endpoints are set" },
        {
            "cluster and sentinel",
            new[] { "Mode=Cluster", "Endpoints:0=10.0.0.1:7000", "Sentinel:MasterName=mymaster", $"Sentinel:Password={Secret}" },
            "both Cluster and Sentinel are configured"
        },
        { "cluster and sentinel URL", new[] { "Mode=Cluster", $"Url=redis-sentinel://:{Secret}@10.0.0.1:26379#mymaster" }, "both Cluster and Sentinel are configured" },
        { "bad port with a password", new[] { $"Url=redis://user:{Secret}@localhost:99999/0" }, "invalid port" },
        { "bad scheme", new[] { $"Url=http://:{Secret}@localhost:6379" }, "invalid redis URL scheme: http" },
        { "sentinel without master name", new[] { "Mode=Sentinel", "Endpoints:0=10.0.0.1:26379", $"Password={Secret}" }, "set Sentinel:MasterName" },
        { "several standalone endpoints", new[] { "Endpoints:0=10.0.0.1:6379", "Endpoints:1=10.0.0.2:6379" }, "set Mode to Cluster" },
        { "negative database", new[] { "Url=redis://localhost:6379", "Database=-1", $"Password={Secret}" }, "Database must not be negative" },
        { "database in a cluster", new[] { "Mode=Cluster", "Url=redis://10.0.0.1:7000/2" }, "only database 0" },
        { "password typed as host", new[] { $"Endpoints:0={Secret}/:6379", $"Password={Secret}" }, "invalid host" },
        { "cluster seed with credentials but no scheme", new[] { "Mode=Cluster", $"Url=10.0.0.1:7000,admin:{Secret}@10.0.0.2:7000" }, "redis:// or rediss:// URL" },
        { "unknown mode", new[] { "Mode=Replicated", "Url=redis://localhost:6379" }, "Mode" },
    };

    [Theory]
    [MemberData(nameof(BadConfigurations))]
    public async Task ABadConfiguration_StopsTheHostAtStartUpWithAClearMessageAndNoSecret(string what, string[] settings, string expected)
    {
        using IHost host = BuildHost(settings, (services, section) => services.AddRedis(section));

        Exception ex = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.True(ex is OptionsValidationException or InvalidOperationException, $"{what}: {ex}");
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyedRegistrationsFailure_NamesTheKey()
    {
        using IHost host = BuildHost([$"Url=redis://:{Secret}@localhost:0"], (services, section) => services.AddKeyedRedis("sessions", section));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Redis 'sessions' (AddKeyedRedis): invalid port", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGoodConfiguration_StartsTheHostWithoutConnecting()
    {
        // Port 1 on loopback: nothing listens, so a connect at start-up would fail the start.
        using IHost host = BuildHost(["Url=redis://127.0.0.1:1"], (services, section) => services.AddRedis(section));

        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public void WithoutAHost_ResolvingTheClientReportsTheSameValidationFailure()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Redis:Password"] = Secret }).Build();
        using ServiceProvider provider = new ServiceCollection().AddRedis(configuration.GetSection("Redis")).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IRedisClient>());

        Assert.Contains("no server is configured", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, ex.ToString(), StringComparison.Ordinal);
    }

    private static IHost BuildHost(string[] settings, Action<IServiceCollection, IConfiguration> register)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => s.Split('=', 2)).Select(p => new KeyValuePair<string, string?>("Redis:" + p[0], p[1])));
        register(builder.Services, builder.Configuration.GetSection("Redis"));
        return builder.Build();
    }
}
