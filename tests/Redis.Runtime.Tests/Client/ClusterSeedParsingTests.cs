namespace Redis.Tests.Client;

/// <summary>How <see cref="RedisCluster"/> reads its seed list (host:port entries and redis:// URLs).</summary>
public sealed class ClusterSeedParsingTests
{
    [Fact]
    public void HostPortSeeds_AreTakenAsGiven()
    {
        (string[] endpoints, DialOptions options) = RedisCluster.ParseSeeds("10.0.0.1:7000, 10.0.0.2:7001", DialOptions.Default);
        Assert.Equal(["10.0.0.1:7000", "10.0.0.2:7001"], endpoints);
        Assert.Same(DialOptions.Default, options);
    }

    [Fact]
    public void UrlSeed_GivesItsAddressAndCredentials()
    {
        (string[] endpoints, DialOptions options) = RedisCluster.ParseSeeds("redis://app:s3cret-pw@10.0.0.1:7000", DialOptions.Default);
        Assert.Equal(["10.0.0.1:7000"], endpoints);
        Assert.Equal("s3cret-pw", options.Password);
    }

    [Fact]
    public void SeedWithCredentialsButNoScheme_IsRejectedWithoutEchoingThePassword()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => RedisCluster.ParseSeeds("app:s3cret-pw@10.0.0.1:7000", DialOptions.Default));
        Assert.DoesNotContain("s3cret-pw", error.Message);
        Assert.Contains("redis://", error.Message);
    }
}
