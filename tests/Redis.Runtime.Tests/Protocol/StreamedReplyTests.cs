using System.Text;
using Redis.Tests.Client;

namespace Redis.Tests.Protocol;

/// <summary>
/// RESP3 streamed strings (<c>$?</c> with <c>;</c> chunks) and aggregates (<c>*?</c>, <c>~?</c>, <c>%?</c>,
/// <c>|?</c> ended by <c>.</c>): through a connection (object tree and typed API, sync and async) they read
/// as their counted forms however the bytes are split, the reply after them stays in step, they are bounded
/// by the same <see cref="RespLimits"/>, and malformed ones break the connection with a protocol error.
/// </summary>
public class StreamedReplyTests
{
    private const string StreamedHello = "$?\r\n;4\r\nHell\r\n;6\r\no worl\r\n;1\r\nd\r\n;0\r\n";
    private const string StreamedArray = "*?\r\n$?\r\n;1\r\na\r\n;0\r\n$-1\r\n$2\r\nbc\r\n.\r\n";
    private const string StreamedMap = "%?\r\n$1\r\nf\r\n$?\r\n;2\r\nv1\r\n;0\r\n+g\r\n$0\r\n\r\n.\r\n";

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static IRedisCommands C(Conn conn) => ((IConn)conn).Commands();

    public enum Path
    {
        Do,
        Typed,
    }

    // Reads the three streamed replies one after the other, then an integer that must still be in step.
    private static void ReadAll(Conn conn, Path path)
    {
        if (path == Path.Do)
        {
            Assert.Equal(B("Hello world"), (byte[])conn.Do("GET", "k")!);
            ReplyAssert.Equal(new object?[] { B("a"), null, B("bc") }, conn.Do("MGET", "a", "b", "c"));
            Assert.Equal(new Dictionary<string, string> { ["f"] = "v1", ["g"] = "" }, Reply.StringMap(conn.Do("HGETALL", "h")));
        }
        else
        {
            Assert.Equal(B("Hello world"), C(conn).Get("k"));
            Assert.Equal(new byte[]?[] { B("a"), null, B("bc") }, C(conn).MGet("a", "b", "c"));
            Dictionary<string, byte[]> map = C(conn).HGetAll("h");
            Assert.Equal(["f", "g"], map.Keys.Order());
            Assert.Equal(B("v1"), map["f"]);
        }
        Assert.Equal(42L, C(conn).Incr("n"));
        Assert.Null(conn.Err);
    }

    private static async Task ReadAllAsync(Conn conn, Path path)
    {
        if (path == Path.Do)
        {
            Assert.Equal(B("Hello world"), (byte[])(await conn.DoAsync("GET", "k"))!);
            ReplyAssert.Equal(new object?[] { B("a"), null, B("bc") }, await conn.DoAsync("MGET", "a", "b", "c"));
            Assert.Equal(new Dictionary<string, string> { ["f"] = "v1", ["g"] = "" }, Reply.StringMap(await conn.DoAsync("HGETALL", "h")));
        }
        else
        {
            Assert.Equal(B("Hello world"), await C(conn).GetAsync("k"));
            Assert.Equal(new byte[]?[] { B("a"), null, B("bc") }, await C(conn).MGetAsync(["a", "b", "c"]));
            Dictionary<string, byte[]> map = await C(conn).HGetAllAsync("h");
            Assert.Equal(B("v1"), map["f"]);
        }
        Assert.Equal(42L, await C(conn).IncrAsync("n"));
        Assert.Null(conn.Err);
    }

    private static readonly byte[] Script = B(StreamedHello + StreamedArray + StreamedMap + ":42\r\n");

    [Theory]
    [InlineData(Path.Do)]
    [InlineData(Path.Typed)]
    public void StreamedReplies_SplitIntoTwoReadsAtEveryOffset_ReadAsTheirCountedForms(Path path)
    {
        for (int split = 1; split < Script.Length; split++)
        {
            using Conn conn = Conn.FromStream(new ScriptStream(Script, split));
            ReadAll(conn, path);
        }
    }

    [Theory]
    [InlineData(Path.Do)]
    [InlineData(Path.Typed)]
    public async Task StreamedReplies_SplitIntoTwoReadsAtEveryOffset_Async_ReadAsTheirCountedForms(Path path)
    {
        for (int split = 1; split < Script.Length; split++)
        {
            await using Conn conn = Conn.FromStream(new ScriptStream(Script, split));
            await ReadAllAsync(conn, path);
        }
    }

    [Theory]
    [InlineData(Path.Do)]
    [InlineData(Path.Typed)]
    public async Task StreamedReplies_ArrivingOneByteAtATime_ReadAsTheirCountedForms_SyncAndAsync(Path path)
    {
        using (Conn conn = Conn.FromStream(new ScriptStream(Script) { MaxRead = 1 }))
        {
            ReadAll(conn, path);
        }
        await using (Conn conn = Conn.FromStream(new ScriptStream(Script) { MaxRead = 1 }))
        {
            await ReadAllAsync(conn, path);
        }
    }

    [Fact]
    public async Task StreamedReplies_ThroughThePipelinedClient_ReadAsTheirCountedForms()
    {
        await using var server = ScriptedServer.Simple(c => c[0] switch
        {
            "STRING" => ValueTask.FromResult<string?>(StreamedHello),
            "ARRAY" => ValueTask.FromResult<string?>(StreamedArray),
            "MAP" or "HGETALL" => ValueTask.FromResult<string?>(StreamedMap),
            "MGET" => ValueTask.FromResult<string?>(StreamedArray),
            _ => null,
        });
        await using var client = await RedisClient.ConnectAsync("tcp", server.Address);
        Task<object?> array = client.DoAsync("ARRAY").AsTask();
        Task<object?> map = client.DoAsync("MAP").AsTask();
        Assert.Equal(B("Hello world"), (byte[])client.Do("STRING")!);
        ReplyAssert.Equal(new object?[] { B("a"), null, B("bc") }, await array);
        Assert.Equal(new Dictionary<string, string> { ["f"] = "v1", ["g"] = "" }, Reply.StringMap(await map));
        IRedisCommands typed = ((IRespExecutor)client).Commands();
        Task<byte[]?[]> values = typed.MGetAsync(["a", "b", "c"]).AsTask();
        Assert.Equal(B("v1"), typed.HGetAll("h")["f"]);
        Assert.Equal(new byte[]?[] { B("a"), null, B("bc") }, await values);
    }

    [Theory]
    [InlineData(StreamedHello, "$11\r\nHello world\r\n")]
    [InlineData(StreamedArray, "*3\r\n$1\r\na\r\n$-1\r\n$2\r\nbc\r\n")]
    [InlineData(StreamedMap, "%2\r\n$1\r\nf\r\n$2\r\nv1\r\n+g\r\n$0\r\n\r\n")]
    [InlineData("~?\r\n|?\r\n+a\r\n*?\r\n.\r\n.\r\n#t\r\n.\r\n", "~1\r\n|1\r\n+a\r\n*0\r\n#t\r\n")]
    public void StreamedReply_FrameIsItsCountedEncoding(string streamed, string counted)
    {
        using var decoder = new RespDecoder();
        decoder.Append(B(streamed + ":1\r\n"));
        Assert.True(decoder.TryReadFrame(out ReadOnlySpan<byte> frame));
        Assert.Equal(counted, Encoding.UTF8.GetString(frame));
        decoder.Consume(frame.Length);
        Assert.True(decoder.TryReadObject(out object? next));
        Assert.Equal(1L, next);
    }

    // ------------------------------------------------------------------ limits

    private static RedisProtocolException DecodeFails(string wire, RespLimits limits)
    {
        using var decoder = new RespDecoder(limits);
        return Assert.Throws<RedisProtocolException>(() =>
        {
            decoder.Append(B(wire));
            decoder.TryReadObject(out _);
        });
    }

    private static object? Decode(string wire, RespLimits limits)
    {
        using var decoder = new RespDecoder(limits);
        decoder.Append(B(wire));
        Assert.True(decoder.TryReadObject(out object? reply));
        return reply;
    }

    private static string Chunks(int count, int size) => "$?\r\n" + string.Concat(Enumerable.Repeat($";{size}\r\n{new string('x', size)}\r\n", count));

    [Fact]
    public void StreamedString_UpToTheBulkLimit_IsRead_OneByteMoreIsAProtocolError()
    {
        var limits = new RespLimits { MaxBulkLength = 100 };
        Assert.Equal(100, ((byte[])Decode(Chunks(10, 10) + ";0\r\n", limits)!).Length);
        var ex = DecodeFails(Chunks(10, 10) + ";1\r\nx\r\n;0\r\n", limits);
        Assert.Contains("limit of 100 bytes", ex.Message);
    }

    [Fact]
    public void StreamedString_GrowingPastTheBulkLimit_FailsAtTheChunkThatCrossesIt_BeforeItsBytesArrive()
    {
        var limits = new RespLimits { MaxBulkLength = 1000 };
        using var decoder = new RespDecoder(limits);
        decoder.Append(B(Chunks(9, 100)));
        Assert.False(decoder.TryReadFrame(out _));
        decoder.Append(B(";101\r\n")); // its payload never comes: the header alone is refused
        Assert.Throws<RedisProtocolException>(() => decoder.TryReadFrame(out _));
    }

    [Fact]
    public void StreamedString_NeverEnding_StopsAtTheBufferedBytesLimit()
    {
        var limits = new RespLimits { MaxBufferedBytes = 64 * 1024 };
        using var decoder = new RespDecoder(limits, initialCapacity: 1024);
        decoder.Append("$?\r\n"u8);
        byte[] chunk = B(";1000\r\n" + new string('y', 1000) + "\r\n");
        var ex = Assert.Throws<RedisProtocolException>(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                decoder.Append(chunk);
                Assert.False(decoder.TryReadFrame(out _));
            }
        });
        Assert.Contains("buffered bytes", ex.Message);
        Assert.True(decoder.Capacity <= limits.MaxBufferedBytes);
    }

    [Theory]
    [InlineData("*?\r\n:1\r\n:2\r\n:3\r\n.\r\n", "*?\r\n:1\r\n:2\r\n:3\r\n:4\r\n.\r\n")]
    [InlineData("~?\r\n:1\r\n:2\r\n:3\r\n.\r\n", "~?\r\n:1\r\n:2\r\n:3\r\n:4\r\n.\r\n")]
    [InlineData("%?\r\n:1\r\n:1\r\n:2\r\n:2\r\n:3\r\n:3\r\n.\r\n", "%?\r\n:1\r\n:1\r\n:2\r\n:2\r\n:3\r\n:3\r\n:4\r\n:4\r\n.\r\n")]
    public void StreamedAggregate_CountsAgainstTheAggregateLimit_AsItsCountedForm(string atLimit, string overLimit)
    {
        var limits = new RespLimits { MaxAggregateLength = 3 };
        Assert.NotNull(Decode(atLimit, limits));
        Assert.Contains("limit of 3", DecodeFails(overLimit, limits).Message);
    }

    [Fact]
    public void StreamedAggregates_NestDownToTheDepthLimit_OneLevelMoreIsAProtocolError()
    {
        var limits = new RespLimits { MaxDepth = 4 };
        string Nested(int levels) => string.Concat(Enumerable.Repeat("*?\r\n", levels)) + ":1\r\n" + string.Concat(Enumerable.Repeat(".\r\n", levels));
        Assert.NotNull(Decode(Nested(4), limits));
        Assert.Contains("deeper than the limit of 4", DecodeFails(Nested(5), limits).Message);
    }

    // ------------------------------------------------------------------ malformed input breaks the connection

    [Theory]
    [InlineData("$?\r\n;4\r\nHell\r\n:1\r\n")]   // no ";0": another reply where a chunk must come
    [InlineData("$?\r\n;4\r\nHel\r\n;0\r\n")]    // a chunk shorter than its length
    [InlineData("$?\r\n;z\r\n")]
    [InlineData(".\r\n")]
    [InlineData("*2\r\n:1\r\n.\r\n")]
    [InlineData(";3\r\nabc\r\n")]
    public async Task MalformedStreamedReply_IsAProtocolError_ThatBreaksTheConnection(string wire)
    {
        using (Conn conn = Conn.FromStream(new ScriptStream(B(wire))))
        {
            Assert.Throws<RedisProtocolException>(() => conn.Do("GET", "k"));
            Assert.NotNull(conn.Err);
        }
        await using (Conn conn = Conn.FromStream(new ScriptStream(B(wire))))
        {
            await Assert.ThrowsAsync<RedisProtocolException>(async () => await C(conn).GetAsync("k"));
            Assert.NotNull(conn.Err);
        }
    }
}
