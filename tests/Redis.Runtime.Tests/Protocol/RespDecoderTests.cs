using System.Numerics;
using System.Text;

namespace Redis.Tests.Protocol;

public class RespDecoderTests(Xunit.Abstractions.ITestOutputHelper output)
{
    // A hostile server announces a 512 MB bulk and trickles it: what the decoder holds, and what it
    // allocated on the way, must stay in proportion to the bytes that actually arrived, and the
    // buffers it outgrew are released at once (huge ones are never pooled: see RespDecoder.Grow), so
    // what it allocated in all (about 3.6 times the bytes, growing by half each time) is garbage.
    [Fact]
    public void HugeBulkReceivedInSmallReads_BufferStaysWithinOneAndAHalfTimesTheBytesReceived()
    {
        const int Fed = 48 * 1024 * 1024, Read = 64 * 1024;
        var decoder = new RespDecoder(initialCapacity: 64 * 1024);
        decoder.Append("$536870912\r\n"u8);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        double worstCapacityRatio = 0;
        int grows = 0, lastCapacity = decoder.Capacity;
        for (int fed = 0; fed < Fed; fed += Read)
        {
            Span<byte> free = decoder.GetFillBuffer(16 * 1024).Span;
            int n = Math.Min(free.Length, Read);
            free[..n].Fill(0x61);
            decoder.Advance(n);
            Assert.False(decoder.TryReadFrame(out _));
            if (decoder.Capacity != lastCapacity) (grows, lastCapacity) = (grows + 1, decoder.Capacity);
            if (decoder.BufferedLength >= 1024 * 1024) worstCapacityRatio = Math.Max(worstCapacityRatio, (double)decoder.Capacity / decoder.BufferedLength);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        long buffered = decoder.BufferedLength, capacity = decoder.Capacity;
        decoder.Dispose();
        output.WriteLine($"[figures] 512 MB bulk header then {buffered / 1048576.0:0} MB in 64 kB reads: buffer {capacity / 1048576.0:0.0} MB at the end, worst buffer/bytes {worstCapacityRatio:0.00}, {grows} grows, {allocated / 1048576.0:0.0} MB allocated in all ({(double)allocated / buffered:0.00} x the bytes)");
        Assert.True(worstCapacityRatio <= 1.5 + 0.07, $"the buffer reached {worstCapacityRatio:0.00} times the bytes received");
        Assert.True(allocated <= 4 * buffered, $"allocated {allocated} bytes for {buffered} received");
    }

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static object? DecodeOne(string wire, RespLimits? limits = null) => DecodeOne(B(wire), limits);

    private static object? DecodeOne(byte[] wire, RespLimits? limits = null)
    {
        using var decoder = new RespDecoder(limits);
        decoder.Append(wire);
        Assert.True(decoder.TryReadObject(out object? reply), "expected a complete reply");
        Assert.Equal(0, decoder.BufferedLength);
        return reply;
    }

    public static TheoryData<string, object?> ValidReplies() => new()
    {
        { "+OK\r\n", "OK" },
        { "+PONG\r\n", "PONG" },
        { "+\r\n", "" },
        { "-ERR bad thing\r\n", new RedisServerException("ERR bad thing") },
        { ":1\r\n", 1L },
        { ":-2\r\n", -2L },
        { ":9223372036854775807\r\n", long.MaxValue },
        { ":-9223372036854775808\r\n", long.MinValue },
        { "$6\r\nfoobar\r\n", B("foobar") },
        { "$0\r\n\r\n", Array.Empty<byte>() },
        { "$-1\r\n", null },
        { "*-1\r\n", null },
        { "*0\r\n", Array.Empty<object?>() },
        { "*4\r\n$3\r\nfoo\r\n$3\r\nbar\r\n$5\r\nHello\r\n$5\r\nWorld\r\n", new object?[] { B("foo"), B("bar"), B("Hello"), B("World") } },
        { "*3\r\n$3\r\nfoo\r\n$-1\r\n$3\r\nbar\r\n", new object?[] { B("foo"), null, B("bar") } },
        { "*2\r\n*1\r\n:1\r\n-ERR in array\r\n", new object?[] { new object?[] { 1L }, new RedisServerException("ERR in array") } },
        { "_\r\n", null },
        { ",3.14\r\n", 3.14 },
        { ",-1.5e10\r\n", -1.5e10 },
        { ",inf\r\n", double.PositiveInfinity },
        { ",-inf\r\n", double.NegativeInfinity },
        { ",nan\r\n", double.NaN },
        { "#t\r\n", true },
        { "#f\r\n", false },
        { "(3492890328409238509324850943850943825024385\r\n", BigInteger.Parse("3492890328409238509324850943850943825024385") },
        { "(-12\r\n", new BigInteger(-12) },
        { "!21\r\nSYNTAX invalid syntax\r\n", new RedisServerException("SYNTAX invalid syntax") },
        { "=15\r\ntxt:Some string\r\n", "Some string" },
        { "%2\r\n+first\r\n:1\r\n$6\r\nsecond\r\n:2\r\n", new[] { new KeyValuePair<object?, object?>("first", 1L), new KeyValuePair<object?, object?>(B("second"), 2L) } },
        { "%0\r\n", Array.Empty<KeyValuePair<object?, object?>>() },
        { "~3\r\n+a\r\n:1\r\n#t\r\n", new object?[] { "a", 1L, true } },
        { ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", new RedisPush([B("message"), B("ch"), B("hi")]) },
        { "|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*2\r\n:2039123\r\n:9543892\r\n", new object?[] { 2039123L, 9543892L } },
        { "*2\r\n|1\r\n+ttl\r\n:3600\r\n$1\r\nv\r\n:7\r\n", new object?[] { B("v"), 7L } },
        { "|0\r\n:5\r\n", 5L },
        { ":+5\r\n", 5L },                                  // the RESP specification allows the sign
        { ",NAN\r\n", double.NaN },                          // Redis before 7.2 prints NaN as libc does
        { ",-nan\r\n", double.NaN },
        { ",nan(123)\r\n", double.NaN },
        { ",+inf\r\n", double.PositiveInfinity },
        { ",INF\r\n", double.PositiveInfinity },
        { ",-Infinity\r\n", double.NegativeInfinity },
        { ",1e3\r\n", 1000.0 },
        // RESP3 streamed strings and aggregates read as their counted forms.
        { "$?\r\n;4\r\nHell\r\n;6\r\no worl\r\n;1\r\nd\r\n;0\r\n", B("Hello world") },
        { "$?\r\n;0\r\n", Array.Empty<byte>() },
        { "*?\r\n:1\r\n:2\r\n.\r\n", new object?[] { 1L, 2L } },
        { "*?\r\n.\r\n", Array.Empty<object?>() },
        { "~?\r\n+a\r\n#t\r\n.\r\n", new object?[] { "a", true } },
        { "%?\r\n+a\r\n:1\r\n+b\r\n:2\r\n.\r\n", new[] { new KeyValuePair<object?, object?>("a", 1L), new KeyValuePair<object?, object?>("b", 2L) } },
        { "*2\r\n*?\r\n$?\r\n;2\r\nab\r\n;0\r\n*?\r\n.\r\n.\r\n:3\r\n", new object?[] { new object?[] { B("ab"), Array.Empty<object?>() }, 3L } },
        { "|?\r\n+ttl\r\n:1\r\n.\r\n:5\r\n", 5L },
        { "*?\r\n|1\r\n+ttl\r\n:3600\r\n:7\r\n.\r\n", new object?[] { 7L } },
        { "*?\r\n|?\r\n.\r\n$-1\r\n.\r\n", new object?[] { null } },
    };

    [Theory]
    [MemberData(nameof(ValidReplies))]
    public void Decodes_EveryReplyType(string wire, object? expected) => ReplyAssert.Equal(expected, DecodeOne(wire));

    [Theory]
    [MemberData(nameof(ValidReplies))]
    public void Decodes_TheSameReplyAtEverySplitPoint(string wire, object? expected)
    {
        byte[] bytes = B(wire);
        for (int split = 0; split <= bytes.Length; split++)
        {
            using var decoder = new RespDecoder();
            decoder.Append(bytes.AsSpan(0, split));
            bool early = decoder.TryReadObject(out object? partial);
            Assert.Equal(split == bytes.Length, early);
            if (!early)
            {
                decoder.Append(bytes.AsSpan(split));
                Assert.True(decoder.TryReadObject(out partial));
            }
            ReplyAssert.Equal(expected, partial);
        }
    }

    [Theory]
    [MemberData(nameof(ValidReplies))]
    public void Decodes_TheSameReplyFedByteByByte(string wire, object? expected)
    {
        byte[] bytes = B(wire);
        using var decoder = new RespDecoder();
        object? reply = null;
        bool done = false;
        for (int i = 0; i < bytes.Length; i++)
        {
            Assert.False(done);
            decoder.Append(bytes.AsSpan(i, 1));
            done = decoder.TryReadObject(out reply);
        }
        Assert.True(done);
        ReplyAssert.Equal(expected, reply);
    }

    public static TheoryData<string> MalformedReplies() => new()
    {
        "+OK\n\n",                // missing \r
        "@OK\r\n",                // unknown type byte
        "\r\n",                   // empty line
        "$\r\nfoobar\r\n",        // empty length
        "$x\r\nfoobar\r\n",       // non-digit length
        "$-2\r\n",                // negative length other than -1
        "$-0\r\n",
        "$+5\r\nhello\r\n",
        ":\r\n",                  // empty integer
        ":x\r\n",
        ":-\r\n",
        ":99999999999999999999\r\n",   // overflow
        ":9223372036854775808\r\n",    // one past long.MaxValue
        ":-9223372036854775809\r\n",
        "$6\r\nfoobar",           // payload without CRLF (then more bytes that are not CRLF)
        "$6\r\nfoobarx\r\n",      // long payload
        "*x\r\n",
        "*-2\r\n",
        "~-1\r\n",                // RESP3 sets and maps have no null form
        "%-1\r\n",
        "_x\r\n",
        ",abc\r\n",
        ",infinite\r\n",
        ",1e400\r\n",             // a finite spelling beyond double: not a RESP3 double (hiredis refuses it too)
        ",nan(x y)\r\n",
        ",--1\r\n",
        ",1.5 \r\n",
        "#x\r\n",
        "#\r\n",
        "#tt\r\n",
        "(12a\r\n",
        "(\r\n",
        "!-1\r\n",
        "=3\r\ntxt\r\n",           // verbatim shorter than its format prefix
        "=5\r\ntxt-x\r\n",        // verbatim without ':' after the format
        "$99999999999\r\n",       // length beyond 2^31-1
        // Malformed streamed replies.
        "$?\r\n;4\r\nHell\r\n+OK\r\n",   // a streamed string without its ";0" end
        "$?\r\n;x\r\n",
        "$?\r\n;-1\r\n",
        "$?\r\n;4\r\nHello\r\n",           // a chunk longer than its length
        "$?\r\n.\r\n",
        ";4\r\nHell\r\n",                    // a chunk outside a streamed string
        ".\r\n",                             // an end outside a streamed aggregate
        "*1\r\n.\r\n",
        ".x\r\n",
        "%?\r\n+a\r\n.\r\n",                // a streamed map ending after a key
        "*?\r\n|1\r\n+a\r\n+b\r\n.\r\n",  // an attribute annotating nothing
        "*??\r\n",
        ">?\r\n",                            // streamed pushes, errors and verbatim strings do not exist
        "!?\r\n",
        "=?\r\n",
    };

    [Theory]
    [MemberData(nameof(MalformedReplies))]
    public void Rejects_MalformedInputWithProtocolException(string wire)
    {
        using var decoder = new RespDecoder();
        // "$6\r\nfoobar" is only malformed once the bytes after the payload arrive: add them.
        decoder.Append(B(wire == "$6\r\nfoobar" ? wire + "xx" : wire));
        Assert.Throws<RedisProtocolException>(() => decoder.TryReadObject(out _));
    }

    [Fact]
    public void Waits_ForShortPayloadInsteadOfFailing()
    {
        using var decoder = new RespDecoder();
        decoder.Append(B("$6\r\nxx"));
        Assert.False(decoder.TryReadObject(out _));
        decoder.Append(B("yyyy\r\n"));
        Assert.True(decoder.TryReadObject(out object? reply));
        ReplyAssert.Equal(B("xxyyyy"), reply);
    }

    [Fact]
    public void Decodes_SimpleStringsOfEveryLengthAroundBufferBoundaries()
    {
        var lengths = Enumerable.Range(0, 65).Concat(Enumerable.Range(4032, 129)).Concat(Enumerable.Range(8128, 129)).Concat(Enumerable.Range(16320, 129));
        using var decoder = new RespDecoder(initialCapacity: 4096);
        foreach (int n in lengths)
        {
            string text = new('x', n);
            decoder.Append(B("+" + text + "\r\n"));
            Assert.True(decoder.TryReadObject(out object? reply));
            Assert.Equal(text, reply);
        }
    }

    [Fact]
    public void Decodes_ManyRepliesFromOneBuffer()
    {
        using var decoder = new RespDecoder();
        decoder.Append(B("+OK\r\n:1\r\n$1\r\na\r\n*1\r\n:2\r\n"));
        var replies = new List<object?>();
        while (decoder.TryReadObject(out object? r)) replies.Add(r);
        Assert.Equal(4, replies.Count);
        ReplyAssert.Equal(new object?[] { "OK", 1L, B("a"), new object?[] { 2L } }, replies.ToArray());
    }

    [Fact]
    public void Rejects_DeepNestingWithoutStackOverflow()
    {
        const int depth = 200_000;
        var sb = new StringBuilder(depth * 4 + 8);
        for (int i = 0; i < depth; i++) sb.Append("*1\r\n");
        sb.Append(":1\r\n");
        using var decoder = new RespDecoder();
        decoder.Append(B(sb.ToString()));
        var ex = Assert.Throws<RedisProtocolException>(() => decoder.TryReadObject(out _));
        Assert.Contains("nested deeper", ex.Message);
    }

    [Fact]
    public void Accepts_NestingUpToTheDepthLimit()
    {
        var limits = new RespLimits { MaxDepth = 8 };
        string wire = string.Concat(Enumerable.Repeat("*1\r\n", 8)) + ":1\r\n";
        object? reply = DecodeOne(wire, limits);
        for (int i = 0; i < 8; i++) reply = ((object?[])reply!)[0];
        Assert.Equal(1L, reply);
        Assert.Throws<RedisProtocolException>(() => DecodeOne("*1\r\n" + wire, limits));
    }

    [Fact]
    public void Rejects_BulkLongerThanTheLimit()
    {
        var ex = Assert.Throws<RedisProtocolException>(() => DecodeOne("$11\r\nhello world\r\n", new RespLimits { MaxBulkLength = 10 }));
        Assert.Contains("exceeds the limit", ex.Message);
        Assert.Throws<RedisProtocolException>(() => DecodeOne("$536870913\r\n"));
    }

    [Fact]
    public void Rejects_AggregateLongerThanTheLimit()
    {
        var limits = new RespLimits { MaxAggregateLength = 3 };
        Assert.Throws<RedisProtocolException>(() => DecodeOne("*4\r\n:1\r\n:1\r\n:1\r\n:1\r\n", limits));
        Assert.Throws<RedisProtocolException>(() => DecodeOne("%4\r\n", limits));
        ReplyAssert.Equal(new object?[] { 1L, 1L, 1L }, DecodeOne("*3\r\n:1\r\n:1\r\n:1\r\n", limits));
    }

    [Fact]
    public void Rejects_ReplyLargerThanMaxBufferedBytes()
    {
        var limits = new RespLimits { MaxBufferedBytes = 1000 };
        using var decoder = new RespDecoder(limits, initialCapacity: 256);
        Assert.Throws<RedisProtocolException>(() => decoder.Append(B("$2000\r\n" + new string('a', 2000) + "\r\n")));
    }

    [Fact]
    public void HostileBulkLength_DoesNotAllocateAheadOfTheData()
    {
        using var decoder = new RespDecoder();
        decoder.Append(B("$536870000\r\nabc"));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 4; i++)
        {
            Memory<byte> free = decoder.GetFillBuffer(4096);
            free.Span[..10].Fill((byte)'z');
            decoder.Advance(10);
            Assert.False(decoder.TryReadObject(out _));
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1024 * 1024, $"allocated {allocated} bytes for 40 bytes of payload");
    }

    [Fact]
    public void Decodes_LargeBulkArrivingInChunks()
    {
        byte[] payload = new byte[5 * 1024 * 1024 + 3];
        new Random(42).NextBytes(payload);
        byte[] wire = [.. B($"${payload.Length}\r\n"), .. payload, .. B("\r\n")];
        using var decoder = new RespDecoder();
        int offset = 0;
        var random = new Random(1);
        object? reply = null;
        while (offset < wire.Length)
        {
            Memory<byte> free = decoder.GetFillBuffer(4096);
            int n = Math.Min(Math.Min(free.Length, random.Next(1, 200_000)), wire.Length - offset);
            wire.AsSpan(offset, n).CopyTo(free.Span);
            decoder.Advance(n);
            offset += n;
            if (decoder.TryReadObject(out reply)) break;
        }
        Assert.Equal(wire.Length, offset);
        Assert.True(payload.AsSpan().SequenceEqual((byte[])reply!));
    }

    [Fact]
    public void RandomReplyTrees_RoundTripAtRandomSplitPoints()
    {
        var random = new Random(20261124);
        for (int round = 0; round < 3000; round++)
        {
            int count = random.Next(1, 5);
            var expected = new List<object?>();
            var wire = new List<byte>();
            for (int i = 0; i < count; i++)
            {
                (object? value, byte[] bytes) = RandomReply.Generate(random, depth: 0);
                expected.Add(value);
                wire.AddRange(bytes);
            }

            using var decoder = new RespDecoder(initialCapacity: 64);
            var actual = new List<object?>();
            byte[] all = [.. wire];
            int offset = 0;
            while (offset < all.Length)
            {
                int n = Math.Min(random.Next(1, 64), all.Length - offset);
                decoder.Append(all.AsSpan(offset, n));
                offset += n;
                while (decoder.TryReadObject(out object? reply)) actual.Add(reply);
            }
            Assert.Equal(expected.Count, actual.Count);
            for (int i = 0; i < expected.Count; i++) ReplyAssert.Equal(expected[i], actual[i]);
        }
    }
}
