using System.Numerics;
using System.Text;

namespace Redis.Tests.Replies;

/// <summary>
/// The scalar helpers of <see cref="Reply"/>. Vectors from redigo's reply_test are translated to our
/// rules (<see cref="ScalarRules"/>, shared with the typed reader); a test whose name says "UnlikeRedigo"
/// checks a deliberate difference (redigo's numbers are inconsistent across helpers).
/// </summary>
public class ReplyTests
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
        // redigo: SET k1 1; Int(GET k1) = 1, Int(INCR k1) = 2
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
    public void Bool_StatusOkIsTrue_UnlikeRedigo_AsTheTypedReaderReadsSetNx() => Assert.True(Reply.Bool("OK"));

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
    public void String_FormatsResp3BooleanAsItsResp2Integer()
    {
        Assert.Equal("1", Reply.String(true));
        Assert.Equal("0", Reply.String(false));
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
}
