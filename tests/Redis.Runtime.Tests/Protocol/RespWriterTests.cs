using System.Numerics;
using System.Text;

namespace Redis.Tests.Protocol;

public class RespWriterTests
{
    private static string Encode(string command, params object?[] args)
    {
        using var writer = new RespWriter();
        writer.WriteCommand(command, args);
        return Encoding.UTF8.GetString(writer.WrittenSpan);
    }

    private static string EncodeArg(object? arg)
    {
        string all = Encode("X", arg);
        // "*2\r\n$1\r\nX\r\n" precedes the argument.
        return all["*2\r\n$1\r\nX\r\n".Length..];
    }

    [Fact]
    public void WriteCommand_EncodesStringsAsBulkStrings()
        => Assert.Equal("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n", Encode("SET", "key", "value"));

    [Fact]
    public void WriteCommand_EncodesUtf8ByteLengthForNonAscii()
        => Assert.Equal("$6\r\nhé€\r\n", EncodeArg("hé€"));

    [Fact]
    public void WriteCommand_WritesByteArraysAndMemoryAsIs()
    {
        byte[] raw = [0, 255, 13, 10];
        Assert.Equal("$4\r\n\0\u00ff\r\n\r\n", Latin1Arg(raw));
        Assert.Equal(Latin1Arg(raw), Latin1Arg(new ReadOnlyMemory<byte>(raw)));
        Assert.Equal(Latin1Arg(raw), Latin1Arg(new Memory<byte>(raw)));
    }

    private static string Latin1Arg(object arg)
    {
        using var writer = new RespWriter();
        writer.WriteCommand("X", [arg]);
        return Encoding.Latin1.GetString(writer.WrittenSpan)["*2\r\n$1\r\nX\r\n".Length..];
    }

    [Fact]
    public void WriteCommand_EncodesEmptyAndNullAsEmptyBulk()
    {
        Assert.Equal("$0\r\n\r\n", EncodeArg(""));
        Assert.Equal("$0\r\n\r\n", EncodeArg(null));
        Assert.Equal("$0\r\n\r\n", EncodeArg(Array.Empty<byte>()));
    }

    [Theory]
    [InlineData((byte)100, "100")]
    [InlineData((sbyte)-5, "-5")]
    [InlineData((short)-300, "-300")]
    [InlineData((ushort)65535, "65535")]
    [InlineData(100, "100")]
    [InlineData(uint.MaxValue, "4294967295")]
    [InlineData(long.MinValue, "-9223372036854775808")]
    [InlineData(long.MaxValue, "9223372036854775807")]
    [InlineData(ulong.MaxValue, "18446744073709551615")]
    public void WriteCommand_EncodesIntegersInDecimal(object value, string expected)
        => Assert.Equal($"${expected.Length}\r\n{expected}\r\n", EncodeArg(value));

    [Theory]
    [InlineData(3.14, "3.14")]
    [InlineData(100.0, "100")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1.0 / 3, "0.3333333333333333")]
    [InlineData(5e-324, "5E-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157E+308")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(-0.5, "-0.5")]
    public void WriteCommand_EncodesDoublesShortestRoundTripInvariant(double value, string expected)
    {
        Assert.Equal($"${expected.Length}\r\n{expected}\r\n", EncodeArg(value));
        if (double.IsFinite(value))
        {
            Assert.Equal(value, double.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void WriteCommand_DoubleFormattingIgnoresCurrentCulture()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
            Assert.Equal("$4\r\n1.25\r\n", EncodeArg(1.25));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void WriteCommand_EncodesFloatAtItsOwnPrecision() => Assert.Equal("$3\r\n0.1\r\n", EncodeArg(0.1f));

    [Fact]
    public void WriteCommand_EncodesDecimalAndBigInteger()
    {
        Assert.Equal("$4\r\n1.50\r\n", EncodeArg(1.50m));
        Assert.Equal("$20\r\n12345678901234567890\r\n", EncodeArg(BigInteger.Parse("12345678901234567890")));
    }

    [Fact]
    public void WriteCommand_EncodesBooleansAsOneAndZero()
        => Assert.Equal("*3\r\n$4\r\nECHO\r\n$1\r\n1\r\n$1\r\n0\r\n", Encode("ECHO", true, false));

    private sealed class Seconds(double value) : IRedisArg
    {
        public int Calls { get; private set; }
        public object? RedisArg()
        {
            Calls++;
            return value;
        }
    }

    private sealed class Nested : IRedisArg
    {
        public object? RedisArg() => this;
    }

    [Fact]
    public void WriteCommand_EncodesCustomArgumentThroughRedisArgOnce()
    {
        var arg = new Seconds(60.0);
        Assert.Equal("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$2\r\n60\r\n", Encode("SET", "key", arg));
        Assert.Equal(1, arg.Calls);
    }

    [Fact]
    public void WriteCommand_RejectsCustomArgumentReturningUnsupportedValue()
    {
        using var writer = new RespWriter();
        var ex = Assert.Throws<ArgumentException>(() => writer.WriteCommand("SET", ["key", new Nested()]));
        Assert.Contains("RedisArg()", ex.Message);
        Assert.Equal(0, writer.Length);
    }

    [Theory]
    [MemberData(nameof(UnsupportedArguments))]
    public void WriteCommand_RejectsUnsupportedTypesBeforeBufferingAnything(object value)
    {
        using var writer = new RespWriter();
        writer.WriteCommand("PING", []);
        int before = writer.Length;
        var ex = Assert.Throws<ArgumentException>(() => writer.WriteCommand("SET", ["key", value]));
        Assert.Equal(before, writer.Length);
        Assert.Contains("Argument 1 of command 'SET'", ex.Message);
        Assert.Contains(value.GetType().Name, ex.Message);
    }

    public static TheoryData<object> UnsupportedArguments() => new()
    {
        CancellationToken.None,
        new object(),
        new[] { "a", "b" },
        DateTime.UnixEpoch,
        TimeSpan.FromSeconds(1),
        'c',
    };

    [Fact]
    public void WriteCommand_ExplainsCancellationTokenMistake()
    {
        using var writer = new RespWriter();
        var ex = Assert.Throws<ArgumentException>(() => writer.WriteCommand("GET", [new CancellationTokenSource().Token]));
        Assert.Contains("CancellationToken is not a command argument", ex.Message);
    }

    [Fact]
    public void WriteCommand_KeepsCommandNameAsGivenAndAllowsEmptyName()
    {
        using var writer = new RespWriter();
        writer.WriteCommand("get", ["k"]);
        writer.WriteCommand("", []);
        Assert.Equal("*2\r\n$3\r\nget\r\n$1\r\nk\r\n*1\r\n$0\r\n\r\n", Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void Writer_GrowsForLargeValuesAndShrinksAfterReset()
    {
        using var writer = new RespWriter();
        byte[] big = new byte[3 * 1024 * 1024];
        new Random(7).NextBytes(big);
        writer.WriteCommand("SET", ["k", big]);
        Assert.Equal(big.Length + "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3145728\r\n\r\n".Length, writer.Length);
        Assert.True(writer.WrittenSpan[^(big.Length + 2)..^2].SequenceEqual(big));
        writer.Reset();
        Assert.Equal(0, writer.Length);
        writer.WriteCommand("PING", []);
        Assert.Equal("*1\r\n$4\r\nPING\r\n", Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Fact]
    public void TypedMethods_WriteTheSameBytesAsTheUntypedPath()
    {
        using var typed = new RespWriter();
        typed.WriteArrayHeader(5);
        typed.WriteBulkString("SET");
        typed.WriteBulkString("k"u8);
        typed.WriteBulkString(-42L);
        typed.WriteBulkString(2.5);
        typed.WriteBulkString(true);
        Assert.Equal(Encode("SET", "k", -42L, 2.5, true), Encoding.UTF8.GetString(typed.WrittenSpan));
    }
}
