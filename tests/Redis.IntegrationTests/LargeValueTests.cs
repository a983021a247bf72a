using Redis.Tests.Infrastructure;

namespace Redis.Tests;

/// <summary>
/// Large values against a real server, read straight into their result (a <c>byte[]</c>, or a pooled
/// <see cref="RedisLease"/>): sizes around and far beyond the direct-read threshold, over one <see cref="Conn"/>
/// and over the shared <see cref="RedisClient"/>, sync and async, interleaved with small replies.
/// </summary>
[Collection(ServerCollection.Name)]
public class LargeValueTests(ServerFixture fixture)
{
    private static readonly DialOptions Options = DialOptions.Default with
    {
        ReadTimeout = TimeSpan.FromSeconds(30),
        WriteTimeout = TimeSpan.FromSeconds(30),
    };

    public static TheoryData<int> Sizes() => new()
    {
        32 * 1024 - 1,   // around the size read outside the buffer (32 KB to 16 MB)
        32 * 1024,
        100 * 1024,
        1024 * 1024 + 13,
        8 * 1024 * 1024,
        16 * 1024 * 1024 + 5,   // beyond the direct read: the buffer path
    };

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Conn_GetGetLeaseDoAndDoLease_ReturnTheValueByteExact_AndStayInStep(int size)
    {
        byte[] value = RandomBytes(size, size);
        string key = ServerFixture.Key("large");
        using IConn conn = fixture.Dial(Options);
        IRedisCommands redis = conn.Commands();
        redis.Set(key, value);
        for (int round = 0; round < 2; round++)
        {
            Assert.True(redis.Get(key).AsSpan().SequenceEqual(value));
            using (RedisLease lease = redis.GetLease(key)!.Value) Assert.True(lease.Span.SequenceEqual(value));
            Assert.True(((byte[])conn.Do("GET", key)!).AsSpan().SequenceEqual(value));
            using (RedisLease lease = conn.DoLease("GET", key)!.Value) Assert.True(lease.Span.SequenceEqual(value));
            Assert.True((await redis.GetAsync(key)).AsSpan().SequenceEqual(value));
            using (RedisLease lease = (await redis.GetLeaseAsync(key))!.Value) Assert.True(lease.Span.SequenceEqual(value));
            Assert.Equal(round + 1, redis.Incr(key + ":n"));
        }
        Assert.Null(redis.GetLease(key + ":missing"));
        Assert.Null(conn.Err);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task RedisClient_ConcurrentLargeAndSmallReads_EachCallerGetsItsOwnValue(int size)
    {
        byte[][] values = [RandomBytes(size, 1), RandomBytes(size + 1, 2)];
        string key = ServerFixture.Key("large-client");
        await using RedisClient client = await RedisClient.ConnectAsync("tcp", fixture.Server.Address, Options, new ClientOptions { CommandTimeout = TimeSpan.FromSeconds(60) });
        IRedisCommands redis = client.Commands();
        for (int i = 0; i < values.Length; i++) await redis.SetAsync($"{key}:{i}", values[i]);
        int rounds = size > 4 * 1024 * 1024 ? 2 : 8;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(caller => Task.Run(async () =>
        {
            for (int round = 0; round < rounds; round++)
            {
                int i = (caller + round) % values.Length;
                byte[] expected = values[i];
                Task<object?> small = client.DoAsync("ECHO", $"{caller}:{round}").AsTask();
                if ((caller + round) % 2 == 0)
                {
                    using RedisLease lease = (await redis.GetLeaseAsync($"{key}:{i}"))!.Value;
                    Assert.True(lease.Span.SequenceEqual(expected), $"caller {caller} round {round}");
                }
                else
                {
                    Assert.True(redis.Get($"{key}:{i}").AsSpan().SequenceEqual(expected), $"caller {caller} round {round}");
                }
                Assert.Equal($"{caller}:{round}", System.Text.Encoding.UTF8.GetString((byte[])(await small)!));
            }
        })));
    }
}
