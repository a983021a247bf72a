using System.Text;

namespace Redis.Tests.Typed;

/// <summary>The runtime's composable reply parsers that generated code uses, on RESP2 and RESP3 shapes.</summary>
public class ParserTests
{
    private static T Parse<T, TParser>(string wire) where TParser : struct, IRespParser<T>
    {
        var reader = new RespReader(Encoding.UTF8.GetBytes(wire));
        T value = default(TParser).Parse(ref reader);
        Assert.True(reader.End, "the parser must consume exactly one reply");
        return value;
    }

    [Fact]
    public void ArrayParser_ReadsElementsAndNil()
    {
        Assert.Equal(new string?[] { "a", null, "c" }, Parse<string?[]?, ArrayParser<string?, StringParser>>("*3\r\n$1\r\na\r\n$-1\r\n+c\r\n")!.AsEnumerable());
        Assert.Null(Parse<long[]?, ArrayParser<long, Int64Parser>>("*-1\r\n"));
        Assert.Empty(Parse<long[]?, ArrayParser<long, Int64Parser>>("*0\r\n")!);
        Assert.Equal([1L, 2L], Parse<long[]?, ArrayParser<long, Int64Parser>>("~2\r\n:1\r\n:2\r\n")!);
    }

    [Theory]
    [InlineData("*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n")]   // RESP2 flat
    [InlineData("%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n")]              // RESP3 map
    [InlineData("*2\r\n*2\r\n$1\r\na\r\n:1\r\n*2\r\n$1\r\nb\r\n:2\r\n")]  // array of pairs
    public void MapParser_AcceptsEveryMapShape(string wire)
    {
        var map = Parse<Dictionary<string, long>?, MapParser<string, long, NonNullStringParser, Int64Parser>>(wire);
        Assert.Equal(new Dictionary<string, long> { ["a"] = 1, ["b"] = 2 }, map);
    }

    [Fact]
    public void MapParser_RejectsOddFlatArrays()
        => Assert.Throws<RedisException>(() => Parse<Dictionary<string, long>?, MapParser<string, long, NonNullStringParser, Int64Parser>>("*1\r\n$1\r\na\r\n"));

    [Theory]
    [InlineData("*4\r\n$1\r\na\r\n$3\r\n1.5\r\n$1\r\nb\r\n$1\r\n2\r\n")]          // RESP2 WITHSCORES
    [InlineData("*2\r\n*2\r\n$1\r\na\r\n,1.5\r\n*2\r\n$1\r\nb\r\n,2\r\n")]       // RESP3 WITHSCORES
    public void PairsParser_ReadsWithScoresOnBothProtocols(string wire)
    {
        var pairs = Parse<(string?, double)[]?, PairsParser<string?, double, StringParser, DoubleParser>>(wire)!;
        Assert.Equal([("a", 1.5), ("b", 2.0)], pairs);
    }

    [Fact]
    public void TupleParsers_ReadFixedArraysAndNullableGivesNullForNil()
    {
        Assert.Equal(("list", "v"), Parse<(string?, string?), Tuple2Parser<string?, string?, StringParser, StringParser>>("*2\r\n$4\r\nlist\r\n$1\r\nv\r\n"));
        Assert.Null(Parse<(string?, string?)?, NullableParser<(string?, string?), Tuple2Parser<string?, string?, StringParser, StringParser>>>("*-1\r\n"));
        Assert.Equal(("z", "m", 2.5), Parse<(string?, string?, double), Tuple3Parser<string?, string?, double, StringParser, StringParser, DoubleParser>>("*3\r\n$1\r\nz\r\n$1\r\nm\r\n$3\r\n2.5\r\n"));
        Assert.Throws<RedisException>(() => Parse<(string?, string?), Tuple2Parser<string?, string?, StringParser, StringParser>>("*1\r\n$1\r\nz\r\n"));
    }

    [Fact]
    public void CursorParser_ReadsCursorsBeyondInt64()
    {
        Assert.Equal(18446744073709551615UL, Parse<ulong, CursorParser>("$20\r\n18446744073709551615\r\n"));
        Assert.Equal(0UL, Parse<ulong, CursorParser>("$1\r\n0\r\n"));
    }

    [Fact]
    public void Int32Parser_RejectsValuesOutOfRange()
    {
        Assert.Equal(-5, Parse<int, Int32Parser>(":-5\r\n"));
        Assert.Throws<RedisException>(() => Parse<int, Int32Parser>(":4294967296\r\n"));
    }

    [Fact]
    public void OkParser_SkipsValuesAndThrowsErrors()
    {
        Assert.True(Parse<bool, OkParser>("*2\r\n+a\r\n+b\r\n"));
        Assert.Throws<RedisServerException>(() => Parse<bool, OkParser>("-ERR no\r\n"));
    }

    [Fact]
    public void ObjectParser_ReturnsTheTreeAndThrowsTopLevelErrors()
    {
        var tree = Assert.IsType<object?[]>(Parse<object?, ObjectParser>("*2\r\n:1\r\n-ERR in array\r\n"));
        Assert.IsType<RedisServerException>(tree[1]);
        Assert.Throws<RedisServerException>(() => Parse<object?, ObjectParser>("-ERR top\r\n"));
    }

    private readonly struct NonNullStringParser : IRespParser<string>
    {
        public string Parse(ref RespReader reader) => reader.ReadString() ?? throw new RedisNilException();
    }
}
