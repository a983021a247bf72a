using System.Text;

namespace Redis.Tests.Replies;

/// <summary>The map helpers of <see cref="Reply"/> over RESP2 flat arrays and RESP3 maps; a name with "UnlikeRedigo" marks a deliberate difference from redigo.</summary>
public class ReplyMapTests
{
    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private static object?[] A(params object?[] values) => values;

    private static KeyValuePair<object?, object?>[] M(params (object? Key, object? Value)[] pairs)
    {
        var map = new KeyValuePair<object?, object?>[pairs.Length];
        for (int i = 0; i < pairs.Length; i++)
            map[i] = new KeyValuePair<object?, object?>(pairs[i].Key, pairs[i].Value);
        return map;
    }

    // ------------------------------------------------------------------ maps

    [Fact]
    public void StringMap_ConvertsFlatArray()
    {
        var map = Reply.StringMap(A(B("k1"), B("v1"), B("k2"), B("v2")))!;
        Assert.Equal(2, map.Count);
        Assert.Equal("v1", map["k1"]);
        Assert.Equal("v2", map["k2"]);
    }

    [Fact]
    public void StringMap_AcceptsSimpleStringKeysAndValues() => Assert.Equal("v", Reply.StringMap(A("k", "v"))!["k"]);

    [Fact]
    public void StringMap_ConvertsResp3Map()
    {
        var map = Reply.StringMap(M(("k1", B("v1")), (B("k2"), "v2")))!;
        Assert.Equal("v1", map["k1"]);
        Assert.Equal("v2", map["k2"]);
    }

    [Fact]
    public void StringMap_OddLengthThrows()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.StringMap(A(B("k"))));
        Assert.Equal("Reply.StringMap: expects an even number of values, got 1", ex.Message);
    }

    [Fact]
    public void StringMap_NilValueThrowsRedisNilException_UnlikeRedigoKeyMessage()
    {
        var ex = Assert.Throws<RedisNilException>(() => Reply.StringMap(A(B("k"), null)));
        Assert.Contains("\"k\"", ex.Message);
    }

    [Fact]
    public void StringMap_NilKeyThrows() => Assert.Throws<RedisException>(() => Reply.StringMap(A(null, B("v"))));

    [Fact]
    public void StringMap_DuplicateKeyKeepsLastValue()
    {
        var map = Reply.StringMap(A(B("k"), B("first"), B("k"), B("last")))!;
        Assert.Single(map);
        Assert.Equal("last", map["k"]);
        Assert.Equal("last", Reply.StringMap(M(("k", "first"), ("k", "last")))!["k"]);
    }

    [Fact]
    public void StringMap_NilReturnsNull() => Assert.Null(Reply.StringMap(null));

    [Fact]
    public void StringMap_EmptyArrayGivesEmptyMap() => Assert.Empty(Reply.StringMap(A())!);

    [Fact]
    public void StringMap_ThrowsServerErrorValueAndErrorElements()
    {
        Assert.Throws<RedisServerException>(() => Reply.StringMap(new RedisServerException("ERR x")));
        Assert.Throws<RedisServerException>(() => Reply.StringMap(A(B("k"), new RedisServerException("ERR y"))));
    }

    [Fact]
    public void StringMap_RejectsInteger() => Assert.Throws<RedisException>(() => Reply.StringMap(1L));

    [Fact]
    public void Int32Map_ConvertsIntegerAndBulkValues()
    {
        var map = Reply.Int32Map(A(B("a"), 1L, B("b"), B("2")))!;
        Assert.Equal(1, map["a"]);
        Assert.Equal(2, map["b"]);
    }

    [Fact]
    public void Int32Map_NilValueThrowsRedisNilException() => Assert.Throws<RedisNilException>(() => Reply.Int32Map(A(B("a"), null)));

    [Fact]
    public void Int32Map_OverflowingValueThrows() => Assert.Throws<RedisException>(() => Reply.Int32Map(A(B("a"), 1L << 33)));

    [Fact]
    public void Int64Map_ConvertsFlatArrayAndResp3Map()
    {
        Assert.Equal(-3L, Reply.Int64Map(A(B("a"), B("-3")))!["a"]);
        var map = Reply.Int64Map(M(("a", 1L), ("b", B("2"))))!;
        Assert.Equal(1L, map["a"]);
        Assert.Equal(2L, map["b"]);
    }

    [Fact]
    public void Int64Map_NilValueThrowsRedisNilException() => Assert.Throws<RedisNilException>(() => Reply.Int64Map(M(("a", null))));

    [Fact]
    public void UInt64Map_ParsesMaxValue()
    {
        var map = Reply.UInt64Map(A(B("key1"), B("18446744073709551615"), B("key2"), B("5")))!;
        Assert.Equal(ulong.MaxValue, map["key1"]);
        Assert.Equal(5UL, map["key2"]);
    }

    [Fact]
    public void DoubleMap_ConvertsResp3DoublesAndBulkText()
    {
        var map = Reply.DoubleMap(M(("a", 1.5), ("b", B("inf"))))!;
        Assert.Equal(1.5, map["a"]);
        Assert.Equal(double.PositiveInfinity, map["b"]);
        Assert.Equal(2.25, Reply.DoubleMap(A(B("c"), B("2.25")))!["c"]);
    }

    [Fact]
    public void DoubleMap_BadValueMessageNamesHelper()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.DoubleMap(A(B("a"), B("x"))));
        Assert.Equal("Reply.DoubleMap: \"x\" is not a number at index 1", ex.Message);
    }
}
