using System.Text;

namespace Redis.Tests.Protocol;

/// <summary>The typed reads generated code uses: straight from validated bytes, no object tree.</summary>
public class RespReaderTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Theory]
    [InlineData(":42\r\n", 42L)]
    [InlineData(":-7\r\n", -7L)]
    [InlineData("$3\r\n123\r\n", 123L)]
    [InlineData("+99\r\n", 99L)]
    [InlineData("#t\r\n", 1L)]
    [InlineData(",5\r\n", 5L)]
    [InlineData("|1\r\n+a\r\n+b\r\n:8\r\n", 8L)]
    public void ReadInt64_AcceptsIntegersAndNumericText(string wire, long expected)
    {
        var reader = new RespReader(B(wire));
        Assert.Equal(expected, reader.ReadInt64());
        Assert.True(reader.End);
    }

    [Fact]
    public void ReadInt64_ThrowsNilForNullAndServerErrorForErrors()
    {
        Assert.Throws<RedisNilException>(() => new RespReader(B("$-1\r\n")).ReadInt64());
        Assert.Throws<RedisNilException>(() => new RespReader(B("_\r\n")).ReadInt64());
        var error = Assert.Throws<RedisServerException>(() => new RespReader(B("-WRONGTYPE nope\r\n")).ReadInt64());
        Assert.Equal("WRONGTYPE", error.Prefix);
        Assert.Throws<RedisException>(() => new RespReader(B("$3\r\nabc\r\n")).ReadInt64());
        Assert.Throws<RedisException>(() => new RespReader(B(",1.5\r\n")).ReadInt64());
    }

    [Theory]
    [InlineData(",3.5\r\n", 3.5)]
    [InlineData(":2\r\n", 2.0)]
    [InlineData("$4\r\n-inf\r\n", double.NegativeInfinity)]
    [InlineData("$3\r\ninf\r\n", double.PositiveInfinity)]
    [InlineData("$7\r\n1.5e-05\r\n", 1.5e-05)]
    public void ReadDouble_AcceptsDoublesIntegersAndText(string wire, double expected)
        => Assert.Equal(expected, new RespReader(B(wire)).ReadDouble());

    [Theory]
    [InlineData("#t\r\n", true)]
    [InlineData("#f\r\n", false)]
    [InlineData(":1\r\n", true)]
    [InlineData(":0\r\n", false)]
    [InlineData("+OK\r\n", true)]
    public void ReadBoolean_AcceptsBooleansIntegersAndOk(string wire, bool expected)
        => Assert.Equal(expected, new RespReader(B(wire)).ReadBoolean());

    [Theory]
    [InlineData("$5\r\nhello\r\n", "hello")]
    [InlineData("+OK\r\n", "OK")]
    [InlineData("=9\r\ntxt:hello\r\n", "hello")]
    [InlineData(":12\r\n", "12")]
    [InlineData(",1.25\r\n", "1.25")]
    [InlineData("$-1\r\n", null)]
    [InlineData("*-1\r\n", null)]
    [InlineData("_\r\n", null)]
    [InlineData("$0\r\n\r\n", "")]
    public void ReadString_DecodesTextAndNil(string wire, string? expected)
        => Assert.Equal(expected, new RespReader(B(wire)).ReadString());

    [Fact]
    public void ReadBytes_CopiesThePayloadAndKeepsNil()
    {
        byte[] wire = B("$4\r\n\0\u007f\r\n\r\n");
        Assert.Equal(new byte[] { 0, 0x7f, 13, 10 }, new RespReader(wire).ReadBytes());
        Assert.Null(new RespReader(B("$-1\r\n")).ReadBytes());
    }

    [Fact]
    public void TryReadBulkSpan_PointsIntoTheBufferWithoutCopying()
    {
        byte[] wire = B("$5\r\nhello\r\n$-1\r\n");
        var reader = new RespReader(wire);
        Assert.True(reader.TryReadBulkSpan(out ReadOnlySpan<byte> value));
        Assert.True(value.SequenceEqual("hello"u8));
        Assert.True(System.Runtime.CompilerServices.Unsafe.AreSame(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(value), ref wire[4]));
        Assert.False(reader.TryReadBulkSpan(out _));
        Assert.True(reader.End);
    }

    [Fact]
    public void ReadAggregateHeader_ReadsArraysMapsAndNil()
    {
        var reader = new RespReader(B("*2\r\n:1\r\n:2\r\n%1\r\n+k\r\n+v\r\n*-1\r\n~1\r\n:3\r\n"));
        Assert.Equal(2, reader.ReadAggregateHeader(out RespType t1));
        Assert.Equal(RespType.Array, t1);
        Assert.Equal(1L, reader.ReadInt64());
        Assert.Equal(2L, reader.ReadInt64());
        Assert.Equal(1, reader.ReadAggregateHeader(out RespType t2));
        Assert.Equal(RespType.Map, t2);
        Assert.Equal("k", reader.ReadString());
        Assert.Equal("v", reader.ReadString());
        Assert.Equal(-1, reader.ReadAggregateHeader(out _));
        Assert.Equal(1, reader.ReadAggregateHeader(out RespType t3));
        Assert.Equal(RespType.Set, t3);
        Assert.Equal(3L, reader.ReadInt64());
        Assert.True(reader.End);
    }

    [Fact]
    public void ReadAggregateHeader_ThrowsErrorReplies()
        => Assert.Throws<RedisServerException>(() => new RespReader(B("-ERR no\r\n")).ReadAggregateHeader(out _));

    [Fact]
    public void Skip_SkipsNestedValuesAndAttributes()
    {
        var reader = new RespReader(B("*3\r\n%1\r\n$1\r\na\r\n*2\r\n:1\r\n_\r\n|1\r\n+x\r\n+y\r\n$2\r\nhi\r\n=7\r\ntxt:abc\r\n:9\r\n"));
        reader.Skip();
        Assert.Equal(9L, reader.ReadInt64());
        Assert.True(reader.End);
    }

    [Fact]
    public void PeekType_SkipsAttributes()
    {
        var reader = new RespReader(B("|1\r\n+ttl\r\n:5\r\n$1\r\nv\r\n"));
        Assert.Equal(RespType.BulkString, reader.PeekType());
        Assert.Equal("v", reader.ReadString());
    }

    [Fact]
    public void TryReadNull_RecognisesEveryNilForm()
    {
        var reader = new RespReader(B("$-1\r\n*-1\r\n_\r\n:0\r\n"));
        Assert.True(reader.TryReadNull());
        Assert.True(reader.TryReadNull());
        Assert.True(reader.TryReadNull());
        Assert.False(reader.TryReadNull());
        Assert.Equal(0L, reader.ReadInt64());
    }

    // The product's decoder validates each random reply; its object tree matches the generator's value, Skip
    // consumes exactly the reply, and the typed reads agree with the Reply helpers over that tree.
    [Fact]
    public void TypedReads_MatchTheObjectTreeForRandomReplies()
    {
        var random = new Random(5);
        for (int i = 0; i < 2000; i++)
        {
            (object? expected, byte[] wire) = RandomReply.Generate(random, depth: 0);
            using var decoder = new RespDecoder();
            decoder.Append(wire);
            Assert.True(decoder.TryReadFrame(out ReadOnlySpan<byte> frame));
            Assert.Equal(wire.Length, frame.Length);
            var reader = new RespReader(frame);
            object? tree = reader.ReadObject();
            ReplyAssert.Equal(expected, tree);
            Assert.True(reader.End);
            var skipper = new RespReader(frame);
            skipper.Skip();
            Assert.True(skipper.End, "Skip must consume exactly one reply");
            Agree(frame, tree, static (ref RespReader r) => r.ReadString(), Reply.String);
            Agree(frame, tree, static (ref RespReader r) => r.ReadInt64(), t => Reply.Int64(t));
            Agree(frame, tree, static (ref RespReader r) => r.ReadDouble(), t => Reply.Double(t));
            Agree(frame, tree, static (ref RespReader r) => r.ReadBoolean(), t => Reply.Bool(t));
        }
    }

    private delegate object? TypedRead(ref RespReader reader);

    private static void Agree(ReadOnlySpan<byte> frame, object? tree, TypedRead typed, Func<object?, object?> helper)
    {
        object? typedValue = null, helperValue = null;
        Type? typedError = null, helperError = null;
        try
        {
            var reader = new RespReader(frame);
            typedValue = typed(ref reader);
        }
        catch (Exception ex)
        {
            typedError = ex.GetType();
        }
        try
        {
            helperValue = helper(tree);
        }
        catch (Exception ex)
        {
            helperError = ex.GetType();
        }
        Assert.Equal(helperError, typedError);
        if (typedError is null) Assert.Equal(helperValue, typedValue);
    }

    [Fact]
    public void WriteReply_EncodesReplyTreesThatReadBackIdentically()
    {
        var random = new Random(11);
        using var writer = new RespWriter();
        for (int i = 0; i < 2000; i++)
        {
            (object? expected, _) = RandomReply.Generate(random, depth: 0);
            writer.Reset();
            writer.WriteReply(expected);
            var reader = new RespReader(writer.WrittenSpan);
            ReplyAssert.Equal(expected, reader.ReadObject());
            Assert.True(reader.End);
        }
    }
}
