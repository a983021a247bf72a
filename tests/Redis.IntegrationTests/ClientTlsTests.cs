using Redis.Tests.Infrastructure;

namespace Redis.Tests;

/// <summary>
/// <see cref="RedisClient"/> over TLS (the flushing caller writes while the reader thread reads the same
/// <see cref="System.Net.Security.SslStream"/>), and an idle shared connection that outlives
/// <see cref="DialOptions.ReadTimeout"/> (idle is normal there; per-command timeouts are the callers').
/// </summary>
[Trait("Server", "RedisOnly")]
public class ClientTlsTests
{
    [SkippableFact]
    public async Task ConcurrentCallersOverTls_GetTheirOwnReplies_AndIdlenessIsNotATimeout()
    {
        await using TlsServer server = await TlsServer.StartAsync(requireClientCertificates: false);
        DialOptions options = DialOptions.Default with
        {
            UseTls = true,
            TrustedCertificateAuthorities = TestCertificates.Instance.TrustedCa,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ReadTimeout = TimeSpan.FromMilliseconds(300),
        };
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", server.TlsLocalhostAddress, options);
        byte[] large = new byte[100 * 1024];
        Random.Shared.NextBytes(large);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(id => Task.Run(async () =>
        {
            for (int seq = 0; seq < 300; seq++)
            {
                string key = $"tls:{id}", mine = $"{id}:{seq}";
                if (seq % 50 == 0)
                {
                    Assert.Equal("OK", await client.DoAsync("SET", key + ":large", large));
                    Assert.Equal(large, (byte[])(await client.DoAsync("GET", key + ":large"))!);
                }
                Assert.Equal("OK", id % 2 == 0 ? client.Do("SET", key, mine) : await client.DoAsync("SET", key, mine));
                Assert.Equal(mine, Exec.Text(id % 2 == 0 ? client.Do("GET", key) : await client.DoAsync("GET", key)));
            }
        }))).WaitAsync(TimeSpan.FromMinutes(2));

        // Longer than the dial's read timeout with nothing in flight: the shared connection stays up.
        await Task.Delay(800);
        Assert.Equal("PONG", await client.DoAsync("PING"));
        Assert.Equal(0, client.Stats.Reconnects);
        Assert.True(client.Stats.CommandsPerWrite >= 1);
    }
}
