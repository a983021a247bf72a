namespace Redis.Testing;

/// <summary>Which kind of server a <see cref="TestServer"/> is backed by.</summary>
public enum TestServerKind
{
    /// <summary>An external server named by the <c>REDIS_URL</c> environment variable; nothing is started or stopped.</summary>
    Url,

    /// <summary>A Redis container started through Testcontainers.Redis on a Docker engine.</summary>
    Testcontainers,

    /// <summary>A local <c>redis-server</c> process started on a free loopback port in a temporary directory.</summary>
    RedisServer,

    /// <summary>An embedded Garnet server (<c>Microsoft.Garnet</c>) running inside the test process.</summary>
    Garnet,
}
