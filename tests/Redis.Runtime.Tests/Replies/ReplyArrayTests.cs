using System.Text;

namespace Redis.Tests.Replies;

/// <summary>The array helpers of <see cref="Reply"/>, each element converted as the scalar helper of the same name; a name with "UnlikeRedigo" marks a deliberate difference from redigo.</summary>
public class ReplyArrayTests
{
    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private static object?[] A(params object?[] values) => values;

    private static string?[] S(params string?[] values) => values;

    private static KeyValuePair<object?, object?>[] M(params (object? Key, object? Value)[] pairs)
    {
        var map = new KeyValuePair<object?, object?>[pairs.Length];
        for (int i = 0; i < pairs.Length; i++)
            map[i] = new KeyValuePair<object?, object?>(pairs[i].Key, pairs[i].Value);
        return map;
    }

    // ------------------------------------------------------------------ Values

    [Fact]
    public void Values_ReturnsTheSameArray()
    {
        object?[] reply = A(B("v1"), B("v2"));
        Assert.Same(reply, Reply.Values(reply));
    }

    [Fact]
    public void Values_NilReturnsNull_UnlikeRedigoErrNil() => Assert.Null(Reply.Values(null));

    [Fact]
    public void Values_ThrowsServerErrorValue()
    {
        var error = new RedisServerException("ERR v");
        var thrown = Assert.Throws<RedisServerException>(() => Reply.Values(error));
        Assert.Equal("ERR v", thrown.Message);
        Assert.Equal("ERR", thrown.Prefix);
    }

    [Fact]
    public void Values_KeepsErrorElementsAsValues()
    {
        var error = new RedisServerException("ERR slot");
        object?[] values = Reply.Values(A("OK", error))!;
        Assert.Same(error, values[1]);
    }

    [Fact]
    public void Values_FlattensResp3Map() =>
        Assert.Equal(A("k1", 1L, "k2", 2L), Reply.Values(M(("k1", 1L), ("k2", 2L))));

    [Fact]
    public void Values_RejectsInteger()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.Values(1L));
        Assert.Equal("Reply.Values: unexpected reply type Int64", ex.Message);
    }

    // ------------------------------------------------------------------ Strings / ByteSlices

    [Fact]
    public void Strings_ConvertsBulkElements() => Assert.Equal(S("v1", "v2"), Reply.Strings(A(B("v1"), B("v2")))!);

    [Fact]
    public void Strings_ConvertsSimpleStringElements() => Assert.Equal(S("v1", "v2"), Reply.Strings(A("v1", "v2"))!);

    [Fact]
    public void Strings_NilElementIsNull_UnlikeRedigoEmptyString() =>
        Assert.Equal(S("a", null, "s"), Reply.Strings(A(B("a"), null, "s"))!);

    [Fact]
    public void Strings_FormatsIntegerElement_UnlikeRedigo() => Assert.Equal(S("1", "2.5"), Reply.Strings(A(1L, 2.5))!);

    [Fact]
    public void Strings_NilReturnsNull() => Assert.Null(Reply.Strings(null));

    [Fact]
    public void Strings_ThrowsErrorElement()
    {
        var error = new RedisServerException("ERR e3");
        Assert.Same(error, Assert.Throws<RedisServerException>(() => Reply.Strings(A("ok", error))));
    }

    [Fact]
    public void Strings_UnexpectedElementMessageNamesHelperTypeAndIndex()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.Strings(A("a", A())));
        Assert.Equal("Reply.Strings: unexpected element type Object[] at index 1", ex.Message);
    }

    [Fact]
    public void Strings_FlattensResp3Map() => Assert.Equal(S("f", "v"), Reply.Strings(M((B("f"), B("v"))))!);

    [Fact]
    public void ByteSlices_ReturnsBulkElements()
    {
        byte[]?[] slices = Reply.ByteSlices(A(B("v1"), B("v2")))!;
        Assert.Equal(2, slices.Length);
        Assert.Equal(B("v1"), slices[0]);
        Assert.Equal(B("v2"), slices[1]);
    }

    [Fact]
    public void ByteSlices_KeepsNilElements()
    {
        byte[]?[] slices = Reply.ByteSlices(A(null, B("2")))!;
        Assert.Null(slices[0]);
        Assert.Equal(B("2"), slices[1]);
    }

    [Fact]
    public void ByteSlices_EncodesSimpleStringElement_UnlikeRedigo() => Assert.Equal(B("s1"), Reply.ByteSlices(A("s1"))![0]);

    [Fact]
    public void ByteSlices_NilReturnsNull() => Assert.Null(Reply.ByteSlices(null));

    // ------------------------------------------------------------------ numeric arrays

    [Fact]
    public void Int32s_ParsesBulkElements() => Assert.Equal([4, 5], Reply.Int32s(A(B("4"), B("5")))!);

    [Fact]
    public void Int32s_AcceptsIntegerElements() => Assert.Equal([4, 5], Reply.Int32s(A(4L, 5L))!);

    [Fact]
    public void Int32s_NilElementIsZero() => Assert.Equal([4, 0, 5], Reply.Int32s(A(B("4"), null, B("5")))!);

    [Fact]
    public void Int32s_NilReturnsNull_UnlikeRedigoErrNil() => Assert.Null(Reply.Int32s(null));

    [Fact]
    public void Int32s_BadElementThrowsNamingIndex_NoPartialResult()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.Int32s(A(B("1"), B("x"), B("3"))));
        Assert.Equal("Reply.Int32s: \"x\" is not an integer at index 1", ex.Message);
    }

    [Fact]
    public void Int32s_OverflowingElementThrows() => Assert.Throws<RedisException>(() => Reply.Int32s(A(1L, 1L << 40)));

    [Fact]
    public void Int32s_ParsesSmembersOfNumbers() => Assert.Equal([4, 5, 6], Reply.Int32s(A(B("4"), B("5"), B("6")))!);

    [Fact]
    public void Int64s_ParsesBulkElements() => Assert.Equal([4L, 5L], Reply.Int64s(A(B("4"), B("5")))!);

    [Fact]
    public void Int64s_AcceptsIntegerElements() => Assert.Equal([4L, 5L], Reply.Int64s(A(4L, 5L))!);

    [Fact]
    public void Int64s_ParsesSimpleStringElement_UnlikeRedigo() => Assert.Equal([4L], Reply.Int64s(A("4"))!);

    [Fact]
    public void Int64s_NilElementIsZero() => Assert.Equal([0L, 7L], Reply.Int64s(A(null, 7L))!);

    [Fact]
    public void Int64s_ThrowsErrorElement()
    {
        var error = new RedisServerException("ERR e");
        Assert.Same(error, Assert.Throws<RedisServerException>(() => Reply.Int64s(A(1L, error))));
    }

    [Fact]
    public void Int64s_RejectsNonArray() => Assert.Throws<RedisException>(() => Reply.Int64s(B("1")));

    [Fact]
    public void UInt64s_ParsesMaxValueBulk() =>
        Assert.Equal([ulong.MaxValue, 5UL], Reply.UInt64s(A(B("18446744073709551615"), B("5")))!);

    [Fact]
    public void UInt64s_AcceptsIntegerElement_UnlikeRedigoBug() => Assert.Equal([5UL], Reply.UInt64s(A(5L))!);

    [Fact]
    public void UInt64s_NegativeElementThrows() => Assert.Throws<RedisException>(() => Reply.UInt64s(A(5L, -1L)));

    [Fact]
    public void UInt64s_NilElementIsZero() => Assert.Equal([0UL], Reply.UInt64s(A([null]))!);

    [Fact]
    public void Doubles_ParsesBulkElements() => Assert.Equal([1.234, 5.678], Reply.Doubles(A(B("1.234"), B("5.678")))!);

    [Fact]
    public void Doubles_AcceptsIntegerElement_UnlikeRedigo() => Assert.Equal([1.0], Reply.Doubles(A(1L))!);

    [Fact]
    public void Doubles_AcceptsResp3DoublesAndNilAsZero() => Assert.Equal([0.5, 0.0, double.NegativeInfinity], Reply.Doubles(A(0.5, null, B("-inf")))!);

    [Fact]
    public void Doubles_NilReturnsNull() => Assert.Null(Reply.Doubles(null));
}
