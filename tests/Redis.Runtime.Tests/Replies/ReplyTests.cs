using System.Numerics;
using System.Text;

namespace Redis.Tests.Replies;

/// <summary>
/// The reply helpers. Vectors from redigo's reply_test and probes (reference §4.5, items 65–82) are
/// translated to our rules; a test whose name says "UnlikeRedigo" checks a deliberate difference
/// (reference §6: redigo's numbers are inconsistent across helpers).
/// </summary>
public class ReplyTests
{
    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private static object?[] A(params object?[] values) => values;

    private static string?[] S(params string?[] values) => values;

    /// <summary>An array of one element (<c>A(array)</c> would pass the array itself as the params array).</summary>
    private static object?[] One(object? element) => [element];

    private static KeyValuePair<object?, object?>[] M(params (object? Key, object? Value)[] pairs)
    {
        var map = new KeyValuePair<object?, object?>[pairs.Length];
        for (int i = 0; i < pairs.Length; i++)
            map[i] = new KeyValuePair<object?, object?>(pairs[i].Key, pairs[i].Value);
        return map;
    }

    // ------------------------------------------------------------------ Int64

    [Fact]
    public void Int64_ReturnsInteger() => Assert.Equal(42L, Reply.Int64(42L));

    [Fact]
    public void Int64_ParsesBulkString() => Assert.Equal(-100L, Reply.Int64(B("-100")));

    [Fact]
    public void Int64_ParsesLeadingPlus() => Assert.Equal(5L, Reply.Int64(B("+5")));

    [Fact]
    public void Int64_ParsesSimpleString_UnlikeRedigoInt() => Assert.Equal(12L, Reply.Int64("12"));

    [Fact]
    public void Int64_ParsesExtremes()
    {
        Assert.Equal(long.MaxValue, Reply.Int64(B("9223372036854775807")));
        Assert.Equal(long.MinValue, Reply.Int64(B("-9223372036854775808")));
    }

    [Theory]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1.0")]
    [InlineData("x")]
    [InlineData("")]
    [InlineData("-")]
    public void Int64_RejectsTextThatIsNotAnInteger(string text)
    {
        var ex = Assert.Throws<RedisException>(() => Reply.Int64(B(text)));
        Assert.StartsWith("Reply.Int64:", ex.Message);
        Assert.Contains("is not an integer", ex.Message);
    }

    [Fact]
    public void Int64_OverflowingBulkThrowsOutOfRange_UnlikeRedigoReaderWrap()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.Int64(B("99999999999999999999")));
        Assert.Contains("out of range", ex.Message);
    }

    [Fact]
    public void Int64_NilThrowsRedisNilException() => Assert.Throws<RedisNilException>(() => Reply.Int64(null));

    [Fact]
    public void Int64_ThrowsTheServerErrorValueItself()
    {
        var error = new RedisServerException("WRONGTYPE Operation against a key holding the wrong kind of value");
        var thrown = Assert.Throws<RedisServerException>(() => Reply.Int64(error));
        Assert.Same(error, thrown);
    }

    [Fact]
    public void Int64_UnexpectedTypeMessageNamesHelperAndType()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.Int64(A(1L)));
        Assert.Equal("Reply.Int64: unexpected reply type Object[]", ex.Message);
    }

    [Fact]
    public void Int64_RejectsResp3MapNamingIt()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.Int64(M(("k", 1L))));
        Assert.Equal("Reply.Int64: unexpected reply type KeyValuePair<object?, object?>[] (map)", ex.Message);
    }

    [Fact]
    public void Int64_RejectsPushFrame()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.Int64(new RedisPush(A("message"))));
        Assert.Contains("RedisPush", ex.Message);
    }

    [Fact]
    public void Int64_AcceptsIntegralResp3Double() => Assert.Equal(3L, Reply.Int64(3.0));

    [Fact]
    public void Int64_RejectsFractionalResp3Double()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.Int64(3.5));
        Assert.Contains("not an integer", ex.Message);
    }

    [Fact]
    public void Int64_RejectsOutOfRangeDouble()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.Int64(1e19));
        Assert.Contains("out of range", ex.Message);
    }

    [Fact]
    public void Int64_AcceptsBigIntegerInRange() => Assert.Equal(long.MaxValue, Reply.Int64(new BigInteger(long.MaxValue)));

    [Fact]
    public void Int64_BigIntegerOutOfRangeThrows()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.Int64(BigInteger.Parse("123456789012345678901234567890")));
        Assert.Contains("out of range", ex.Message);
    }

    [Fact]
    public void Int64_Resp3BooleanIsOneOrZero()
    {
        Assert.Equal(1L, Reply.Int64(true));
        Assert.Equal(0L, Reply.Int64(false));
    }

    // ------------------------------------------------------------------ Int32

    [Fact]
    public void Int32_ParsesBulkAndInteger()
    {
        // item 73: SET k1 1; Int(GET k1) = 1, Int(INCR k1) = 2
        Assert.Equal(1, Reply.Int32(B("1")));
        Assert.Equal(2, Reply.Int32(2L));
    }

    [Fact]
    public void Int32_IntegerOverflowThrows()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.Int32(3_000_000_000L));
        Assert.StartsWith("Reply.Int32:", ex.Message);
        Assert.Contains("out of range", ex.Message);
    }

    [Fact]
    public void Int32_BulkOverflowThrows() => Assert.Throws<RedisException>(() => Reply.Int32(B("2147483648")));

    [Fact]
    public void Int32_NilThrowsRedisNilException() => Assert.Throws<RedisNilException>(() => Reply.Int32(null));

    // ------------------------------------------------------------------ UInt64

    [Fact]
    public void UInt64_AcceptsInteger() => Assert.Equal(1UL, Reply.UInt64(1L));

    [Fact]
    public void UInt64_NegativeIntegerThrows()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.UInt64(-1L));
        Assert.Contains("negative value -1", ex.Message);
    }

    [Fact]
    public void UInt64_ParsesMaxValueBulk() => Assert.Equal(ulong.MaxValue, Reply.UInt64(B("18446744073709551615")));

    [Fact]
    public void UInt64_NegativeBulkThrows() => Assert.Throws<RedisException>(() => Reply.UInt64(B("-1")));

    [Fact]
    public void UInt64_OverflowingBulkThrows()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.UInt64(B("18446744073709551616")));
        Assert.Contains("out of range", ex.Message);
    }

    [Fact]
    public void UInt64_AcceptsBigIntegerUpToMaxValue() => Assert.Equal(ulong.MaxValue, Reply.UInt64(new BigInteger(ulong.MaxValue)));

    [Fact]
    public void UInt64_NilThrowsRedisNilException() => Assert.Throws<RedisNilException>(() => Reply.UInt64(null));

    // ------------------------------------------------------------------ Double

    [Fact]
    public void Double_ParsesBulk() => Assert.Equal(1.0, Reply.Double(B("1.0")));

    [Fact]
    public void Double_ParsesExponentAndNegative() => Assert.Equal(-1.5e-3, Reply.Double(B("-1.5e-3")));

    [Fact]
    public void Double_NilThrowsRedisNilException() => Assert.Throws<RedisNilException>(() => Reply.Double(null));

    [Fact]
    public void Double_AcceptsInteger_UnlikeRedigo() => Assert.Equal(3.0, Reply.Double(3L));

    [Fact]
    public void Double_ParsesSimpleString_UnlikeRedigo() => Assert.Equal(3.14159, Reply.Double("3.14159"));

    [Fact]
    public void Double_ReturnsResp3Double() => Assert.Equal(2.5, Reply.Double(2.5));

    [Fact]
    public void Double_AcceptsBigInteger() => Assert.Equal(1e20, Reply.Double(BigInteger.Parse("100000000000000000000")));

    [Theory]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("+inf", double.PositiveInfinity)]
    [InlineData("-inf", double.NegativeInfinity)]
    [InlineData("INF", double.PositiveInfinity)]
    [InlineData("-Inf", double.NegativeInfinity)]
    [InlineData("infinity", double.PositiveInfinity)]
    [InlineData("-Infinity", double.NegativeInfinity)]
    public void Double_ParsesInfinityCaseInsensitively(string text, double expected)
    {
        Assert.Equal(expected, Reply.Double(B(text)));
        Assert.Equal(expected, Reply.Double(text));
    }

    [Theory]
    [InlineData("nan")]
    [InlineData("NaN")]
    [InlineData("NAN")]
    public void Double_ParsesNanCaseInsensitively(string text) => Assert.True(double.IsNaN(Reply.Double(B(text))));

    [Fact]
    public void Double_FiniteTextTooLargeThrowsOutOfRange()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.Double(B("1e400")));
        Assert.Contains("out of range", ex.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1,5")]
    [InlineData(" 1.5")]
    [InlineData("")]
    public void Double_RejectsTextThatIsNotAnInvariantNumber(string text)
    {
        var ex = Assert.Throws<RedisException>(() => Reply.Double(B(text)));
        Assert.Contains("is not a number", ex.Message);
    }

    [Fact]
    public void Double_ThrowsServerErrorValue() =>
        Assert.Throws<RedisServerException>(() => Reply.Double(new RedisServerException("ERR x")));

    // ------------------------------------------------------------------ Bool

    [Theory]
    [InlineData(1L, true)]
    [InlineData(2L, true)]
    [InlineData(-1L, true)]
    [InlineData(0L, false)]
    public void Bool_IntegerIsTrueWhenNotZero(long value, bool expected) => Assert.Equal(expected, Reply.Bool(value));

    [Theory]
    [InlineData("1", true)]
    [InlineData("t", true)]
    [InlineData("T", true)]
    [InlineData("TRUE", true)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("0", false)]
    [InlineData("f", false)]
    [InlineData("F", false)]
    [InlineData("FALSE", false)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    public void Bool_ParsesGoParseBoolSpellings(string text, bool expected) => Assert.Equal(expected, Reply.Bool(B(text)));

    [Theory]
    [InlineData("yes")]
    [InlineData("2")]
    [InlineData("tRUE")]
    [InlineData("")]
    public void Bool_RejectsOtherBulkText(string text)
    {
        var ex = Assert.Throws<RedisException>(() => Reply.Bool(B(text)));
        Assert.Contains("is not a boolean", ex.Message);
    }

    [Fact]
    public void Bool_RejectsSimpleStringOk() => Assert.Throws<RedisException>(() => Reply.Bool("OK"));

    [Fact]
    public void Bool_ParsesSimpleStringFromTheList_UnlikeRedigo() => Assert.True(Reply.Bool("true"));

    [Fact]
    public void Bool_ReturnsResp3Boolean()
    {
        Assert.True(Reply.Bool(true));
        Assert.False(Reply.Bool(false));
    }

    [Fact]
    public void Bool_NilThrowsRedisNilException() => Assert.Throws<RedisNilException>(() => Reply.Bool(null));

    [Fact]
    public void Bool_RejectsDouble()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.Bool(1.0));
        Assert.Equal("Reply.Bool: unexpected reply type Double", ex.Message);
    }

    // ------------------------------------------------------------------ String / Bytes

    [Fact]
    public void String_DecodesBulkAsUtf8()
    {
        Assert.Equal("world", Reply.String(B("world")));
        Assert.Equal("héllo ✓", Reply.String(B("héllo ✓")));
    }

    [Fact]
    public void String_ReturnsSimpleString() => Assert.Equal("OK", Reply.String("OK"));

    [Fact]
    public void String_NilReturnsNull() => Assert.Null(Reply.String(null));

    [Fact]
    public void String_FormatsInteger_UnlikeRedigo() => Assert.Equal("1", Reply.String(1L));

    [Fact]
    public void String_FormatsDoublesInvariantly()
    {
        Assert.Equal("1.5", Reply.String(1.5));
        Assert.Equal("inf", Reply.String(double.PositiveInfinity));
        Assert.Equal("-inf", Reply.String(double.NegativeInfinity));
        Assert.Equal("nan", Reply.String(double.NaN));
    }

    [Fact]
    public void String_FormatsBigInteger() =>
        Assert.Equal("123456789012345678901234567890", Reply.String(BigInteger.Parse("123456789012345678901234567890")));

    [Fact]
    public void String_RejectsBoolean()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.String(true));
        Assert.Equal("Reply.String: unexpected reply type Boolean", ex.Message);
    }

    [Fact]
    public void String_ThrowsServerErrorValue()
    {
        var error = new RedisServerException("ERR v");
        Assert.Same(error, Assert.Throws<RedisServerException>(() => Reply.String(error)));
    }

    [Fact]
    public void Bytes_ReturnsTheSameBulkArray()
    {
        byte[] bulk = B("v");
        Assert.Same(bulk, Reply.Bytes(bulk));
    }

    [Fact]
    public void Bytes_EncodesSimpleString() => Assert.Equal(B("OK"), Reply.Bytes("OK"));

    [Fact]
    public void Bytes_NilReturnsNull() => Assert.Null(Reply.Bytes(null));

    [Fact]
    public void Bytes_FormatsInteger_UnlikeRedigo() => Assert.Equal(B("-7"), Reply.Bytes(-7L));

    [Fact]
    public void Bytes_RejectsArray() => Assert.Throws<RedisException>(() => Reply.Bytes(A(B("x"))));

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

    // ------------------------------------------------------------------ Positions / SlowLogs

    [Fact]
    public void Positions_ConvertsPairsAndMissingMembers()
    {
        var positions = Reply.Positions(A(A(B("1"), B("2")), null, A(B("3"), B("4"))))!;
        Assert.Equal(3, positions.Length);
        Assert.Equal((1.0, 2.0), positions[0]);
        Assert.Null(positions[1]);
        Assert.Equal((3.0, 4.0), positions[2]);
        Assert.Equal(3.0, positions[2]!.Value.Longitude);
        Assert.Equal(4.0, positions[2]!.Value.Latitude);
    }

    [Fact]
    public void Positions_AcceptsResp3Doubles() => Assert.Equal((13.361389, 38.115556), Reply.Positions(One(A(13.361389, 38.115556)))![0]);

    [Fact]
    public void Positions_WrongPairLengthThrows()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.Positions(One(A(B("1")))));
        Assert.Equal("Reply.Positions: unexpected number of values for a member position, got 1 at index 0", ex.Message);
    }

    [Fact]
    public void Positions_NilReturnsNull() => Assert.Null(Reply.Positions(null));

    [Fact]
    public void SlowLogs_ConvertsEntryWithClientFields()
    {
        object?[] reply = One(A(1L, 1579625870L, 3L, A(B("set"), B("x"), B("y")), B("localhost:1234"), B("testClient")));
        SlowLog entry = Assert.Single(Reply.SlowLogs(reply)!);
        Assert.Equal(1L, entry.Id);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1579625870), entry.Time);
        Assert.Equal(TimeSpan.FromMicroseconds(3), entry.ExecutionTime);
        Assert.Equal(["set", "x", "y"], entry.Args);
        Assert.Equal("localhost:1234", entry.ClientAddress);
        Assert.Equal("testClient", entry.ClientName);
    }

    [Fact]
    public void SlowLogs_FourElementEntryHasNoClientFields()
    {
        SlowLog entry = Assert.Single(Reply.SlowLogs(One(A(7L, 0L, 1500L, A("get", "k"))))!);
        Assert.Equal(7L, entry.Id);
        Assert.Equal(DateTimeOffset.UnixEpoch, entry.Time);
        Assert.Equal(TimeSpan.FromMilliseconds(1.5), entry.ExecutionTime);
        Assert.Equal(["get", "k"], entry.Args);
        Assert.Null(entry.ClientAddress);
        Assert.Null(entry.ClientName);
    }

    [Fact]
    public void SlowLogs_ShortEntryThrows()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.SlowLogs(One(A(1L, 2L, 3L))));
        Assert.Equal("Reply.SlowLogs: a slow log entry needs at least 4 values, got 3 at index 0", ex.Message);
    }

    [Fact]
    public void SlowLogs_NilReturnsNullAndEmptyGivesEmpty()
    {
        Assert.Null(Reply.SlowLogs(null));
        Assert.Empty(Reply.SlowLogs(A())!);
    }
}
