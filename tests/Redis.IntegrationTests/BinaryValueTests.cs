using System.Text;
using Redis.Tests.Infrastructure;

namespace Redis.Tests;

/// <summary>Binary safety: every byte value in keys and values, and large values, byte-exact through SET/GET; sync and async.</summary>
[Collection(ServerCollection.Name)]
public class BinaryValueTests(ServerFixture fixture)
{
    public static TheoryData<bool> Modes() => new() { false, true };

    private static readonly DialOptions Options = DialOptions.Default with
    {
        ReadTimeout = TimeSpan.FromSeconds(30),
        WriteTimeout = TimeSpan.FromSeconds(30),
    };

    private static byte[] KeyBytes(string name) => Encoding.UTF8.GetBytes(ServerFixture.Key(name));

    private static byte[] Concat(byte[] prefix, ReadOnlySpan<byte> suffix)
    {
        var result = new byte[prefix.Length + suffix.Length];
        prefix.CopyTo(result, 0);
        suffix.CopyTo(result.AsSpan(prefix.Length));
        return result;
    }

    private static byte[] AllByteValues()
    {
        var all = new byte[256];
        for (int i = 0; i < all.Length; i++) all[i] = (byte)i;
        return all;
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    // Compares without xunit's element-by-element diff, which is very slow for megabytes.
    private static void AssertSameBytes(byte[] expected, object? reply)
    {
        byte[] actual = Assert.IsType<byte[]>(reply);
        Assert.True(actual.Length == expected.Length, $"expected {expected.Length} bytes, got {actual.Length}");
        int mismatch = expected.AsSpan().CommonPrefixLength(actual);
        Assert.True(mismatch == expected.Length, $"the bytes differ first at offset {mismatch}");
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task AllByteValues_RoundTripInOneKeyAndOneValue(bool useAsync)
    {
        await using IConn c = await fixture.DialAsync(useAsync, Options);
        byte[] all = AllByteValues();
        byte[] key = Concat(KeyBytes("bin-all"), all);
        byte[] value = Concat(all, all); // also \r\n and NUL back to back

        Assert.Equal("OK", await c.Do(useAsync, "SET", key, value));
        AssertSameBytes(value, await c.Do(useAsync, "GET", key));
        Assert.Equal((long)value.Length, await c.Do(useAsync, "STRLEN", key));
        Assert.Equal(1L, await c.Do(useAsync, "DEL", key));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task EachByteValue_IsADistinctKeyAndComesBackAsTheValue(bool useAsync)
    {
        await using IConn c = await fixture.DialAsync(useAsync, Options);
        byte[] prefix = KeyBytes("bin-each");

        // 256 keys that differ only in their last byte, each holding that byte as its value.
        for (int b = 0; b < 256; b++)
        {
            c.Send("SET", Concat(prefix, [(byte)b]), new[] { (byte)b });
        }
        var sets = Assert.IsType<object?[]>(await c.Do(useAsync, ""));
        Assert.All(sets, reply => Assert.Equal("OK", reply));

        var keys = new object?[256];
        for (int b = 0; b < 256; b++) keys[b] = Concat(prefix, [(byte)b]);
        var values = Assert.IsType<object?[]>(await c.Do(useAsync, "MGET", keys));
        Assert.Equal(256, values.Length);
        for (int b = 0; b < 256; b++) AssertSameBytes([(byte)b], values[b]);

        // A key comes back byte-exact too: the server returns it from a SCAN of the prefix.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        byte[] match = Concat(prefix, "*"u8);
        object? cursor = "0";
        do
        {
            var page = Assert.IsType<object?[]>(await c.Do(useAsync, "SCAN", cursor, "MATCH", match, "COUNT", 10_000));
            cursor = Encoding.ASCII.GetString(Assert.IsType<byte[]>(page[0]));
            foreach (object? k in Assert.IsType<object?[]>(page[1]))
            {
                byte[] returned = Assert.IsType<byte[]>(k);
                Assert.True(returned.AsSpan().StartsWith(prefix) && returned.Length == prefix.Length + 1, "SCAN returned a key that was not set here");
                seen.Add(Convert.ToHexString(returned));
            }
        }
        while ((string)cursor != "0");
        Assert.Equal(256, seen.Count);

        Assert.Equal(256L, await c.Do(useAsync, "DEL", keys));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task EachByteValue_AsAHashField_ComesBackByteExactFromHGETALL(bool useAsync)
    {
        await using IConn c = await fixture.DialAsync(useAsync, Options);
        byte[] key = KeyBytes("bin-hash");
        var args = new List<object?>(513) { key };
        for (int b = 0; b < 256; b++)
        {
            args.Add(new[] { (byte)b });
            args.Add(new[] { (byte)(255 - b) });
        }

        Assert.Equal(256L, await c.Do(useAsync, "HSET", args.ToArray()));
        var all = Assert.IsType<object?[]>(await c.Do(useAsync, "HGETALL", key));
        Assert.Equal(512, all.Length);
        var fields = new Dictionary<byte, byte>();
        for (int i = 0; i < all.Length; i += 2)
        {
            byte field = Assert.Single(Assert.IsType<byte[]>(all[i]));
            byte value = Assert.Single(Assert.IsType<byte[]>(all[i + 1]));
            fields.Add(field, value);
        }
        Assert.Equal(256, fields.Count);
        Assert.All(fields, pair => Assert.Equal(255 - pair.Key, pair.Value));
        await c.Do(useAsync, "DEL", key);
    }

    [Theory]
    [InlineData(false, 1 << 20)]
    [InlineData(true, 1 << 20)]
    [InlineData(false, 50 << 20)]
    [InlineData(true, 50 << 20)]
    public async Task LargeRandomValue_RoundTripsByteExact(bool useAsync, int size)
    {
        await using IConn c = await fixture.DialAsync(useAsync, Options);
        byte[] key = KeyBytes("bin-large");
        byte[] value = RandomBytes(size, seed: size + (useAsync ? 1 : 0));

        Assert.Equal("OK", await c.Do(useAsync, "SET", key, value));
        Assert.Equal((long)size, await c.Do(useAsync, "STRLEN", key));
        AssertSameBytes(value, await c.Do(useAsync, "GET", key));
        Assert.Equal(1L, await c.Do(useAsync, "DEL", key));
        Assert.Null(c.Err);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Pipeline_OfSeveralOneMegabyteValues_RoundTripsEachByteExact(bool useAsync)
    {
        const int count = 8;
        await using IConn c = await fixture.DialAsync(useAsync, Options);
        byte[] prefix = KeyBytes("bin-pipe");
        var keys = new byte[count][];
        var values = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            keys[i] = Concat(prefix, [(byte)i]);
            values[i] = RandomBytes(1 << 20, seed: 1000 + i);
        }

        for (int i = 0; i < count; i++) c.Send("SET", keys[i], values[i]);
        for (int i = 0; i < count; i++) c.Send("GET", keys[i]);
        if (useAsync) await c.FlushAsync();
        else c.Flush();

        for (int i = 0; i < count; i++) Assert.Equal("OK", useAsync ? await c.ReceiveAsync() : c.Receive());
        for (int i = 0; i < count; i++) AssertSameBytes(values[i], useAsync ? await c.ReceiveAsync() : c.Receive());

        // And as one MGET reply of eight 1 MB bulks.
        var mget = Assert.IsType<object?[]>(await c.Do(useAsync, "MGET", keys.Cast<object?>().ToArray()));
        Assert.Equal(count, mget.Length);
        for (int i = 0; i < count; i++) AssertSameBytes(values[i], mget[i]);

        Assert.Equal((long)count, await c.Do(useAsync, "DEL", keys.Cast<object?>().ToArray()));
        Assert.Null(c.Err);
    }
}
