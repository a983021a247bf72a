using System.Text;
using Redis.Tests.Protocol;

namespace Redis.Tests.Replies;

/// <summary>
/// The two ways to convert a reply, the typed reader (the parsers generated commands use) over the wire
/// bytes and the <see cref="Reply"/> helpers over the object tree <c>Do</c> returns, follow one set of rules
/// (<see cref="ScalarRules"/>): fed the same replies (every RESP2/RESP3 scalar, nil, errors, aggregates and
/// the edge spellings) they give the same value or throw the same exception type.
/// </summary>
public class ConversionAgreementTests
{
    private static readonly string BigBeyondDouble = "(1" + new string('0', 400);

    /// <summary>Each reply without its final <c>\r\n</c>.</summary>
    private static readonly string[] Replies =
    [
        // simple strings
        "+OK", "+1", "+0", "+true", "+t", "+T", "+inf", "+-inf", "+nan", "+1e3", "+ 1", "+1 ", "+", "+Infinity", "+NaN",
        "+abc", "+3.5", "+-0", "+0x10", "+1_000", "+1,5",
        // bulk strings
        "$2\r\nOK", "$1\r\n1", "$1\r\n0", "$4\r\ntrue", "$5\r\nFalse", "$1\r\nf", "$3\r\nyes", "$3\r\ninf", "$4\r\n-inf",
        "$4\r\n+inf", "$8\r\nInfinity", "$9\r\n-INFINITY", "$3\r\nnan", "$3\r\nNaN", "$4\r\n-nan", "$3\r\n1e3", "$2\r\n 1",
        "$0\r\n", "$19\r\n9223372036854775807", "$20\r\n-9223372036854775808", "$19\r\n9223372036854775808",
        "$20\r\n-9223372036854775809", "$20\r\n18446744073709551615", "$20\r\n18446744073709551616", "$5\r\n1e400",
        "$6\r\n-1e400", "$3\r\n1.5", "$2\r\n-1", "$2\r\n+5", "$2\r\né", "$3\r\n1.0", "$4\r\n.5e1",
        // integers
        ":0", ":1", ":-1", ":9223372036854775807", ":-9223372036854775808", ":2147483648", ":-2147483649", ":+5",
        // RESP3 doubles, booleans, big numbers, verbatim strings
        ",1.5", ",3", ",-0", ",inf", ",-inf", ",+inf", ",nan", ",NAN", ",-nan", ",nan(1)", ",1e3", ",9.3e18", ",-9.3e18",
        ",1e19", ",2e19", ",Infinity",
        "#t", "#f",
        "(0", "(123", "(-5", "(9223372036854775808", "(-9223372036854775809", "(18446744073709551615", BigBeyondDouble,
        "=7\r\ntxt:1.5", "=6\r\ntxt:OK", "=5\r\ntxt:1",
        // nil
        "$-1", "*-1", "_",
        // errors
        "-ERR boom", "!9\r\nERR bloop",
        // aggregates
        "*1\r\n:1", "*0", "~1\r\n:1", "%1\r\n+a\r\n:1", ">1\r\n+x",
        // streamed forms of the same scalars, and replies the protocol refuses
        "$?\r\n;2\r\n42\r\n;0", "$?\r\n;2\r\nOK\r\n;0", "$?\r\n;0",
        ",1e400", ",abc", ":1.5", "#x",
    ];

    public static TheoryData<string> Inputs()
    {
        var data = new TheoryData<string>();
        foreach (string reply in Replies) data.Add(reply);
        return data;
    }

    /// <summary>What a conversion gave: a value, or the type of what it threw.</summary>
    private sealed record Outcome(object? Value, Type? Thrown)
    {
        public static Outcome Of(Func<object?> convert)
        {
            try
            {
                return new Outcome(convert(), null);
            }
            catch (Exception ex)
            {
                return new Outcome(null, ex.GetType());
            }
        }

        public bool Agrees(Outcome other) => Thrown is not null || other.Thrown is not null
            ? Thrown == other.Thrown
            : (Value, other.Value) switch
            {
                (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
                (double a, double b) => a.Equals(b), // NaN equals NaN here
                var (a, b) => Equals(a, b),
            };

        public override string ToString() => Thrown is not null ? $"throws {Thrown.Name}"
            : Value is byte[] bytes ? $"bytes \"{Encoding.UTF8.GetString(bytes)}\"" : $"{Value?.GetType().Name ?? "null"} {Value}";
    }

    private static byte[] Wire(string reply) => Encoding.UTF8.GetBytes(reply + "\r\n");

    // The typed path: the parser reads the frame the decoder hands out.
    private static Outcome Typed<TParser, T>(string reply)
        where TParser : struct, IRespParser<T>
        => Outcome.Of(() =>
        {
            using var decoder = new RespDecoder();
            decoder.Append(Wire(reply));
            Assert.True(decoder.TryReadFrame(out ReadOnlySpan<byte> frame));
            var reader = new RespReader(frame);
            return default(TParser).Parse(ref reader);
        });

    // The untyped path: the helper converts the object tree the decoder builds.
    private static Outcome Tree(string reply, Func<object?, object?> helper)
        => Outcome.Of(() =>
        {
            using var decoder = new RespDecoder();
            decoder.Append(Wire(reply));
            Assert.True(decoder.TryReadObject(out object? tree));
            return helper(tree);
        });

    private static void AssertAgree(string reply, string target, Outcome typed, Outcome tree)
        => Assert.True(typed.Agrees(tree), $"{target} of {reply.Replace("\r\n", "\\r\\n", StringComparison.Ordinal)}: typed {typed}, Reply {tree}");

    [Theory]
    [MemberData(nameof(Inputs))]
    public void TypedReaderAndReplyHelpers_GiveTheSameValueOrException(string reply)
    {
        AssertAgree(reply, "Int64", Typed<Int64Parser, long>(reply), Tree(reply, r => Reply.Int64(r)));
        AssertAgree(reply, "Int32", Typed<Int32Parser, int>(reply), Tree(reply, r => Reply.Int32(r)));
        AssertAgree(reply, "UInt64", Typed<CursorParser, ulong>(reply), Tree(reply, r => Reply.UInt64(r)));
        AssertAgree(reply, "Double", Typed<DoubleParser, double>(reply), Tree(reply, r => Reply.Double(r)));
        AssertAgree(reply, "Bool", Typed<BooleanParser, bool>(reply), Tree(reply, r => Reply.Bool(r)));
        AssertAgree(reply, "String", Typed<StringParser, string?>(reply), Tree(reply, Reply.String));
        AssertAgree(reply, "Bytes", Typed<BytesParser, byte[]?>(reply), Tree(reply, Reply.Bytes));
    }

    // The same agreement through a connection: a generated command's typed result and Reply.* over Do.
    [Theory]
    [MemberData(nameof(Inputs))]
    public void GeneratedCommandsAndReplyHelpersOverDo_Agree(string reply)
    {
        Outcome ThroughConn(Func<Conn, object?> call) => Outcome.Of(() =>
        {
            using Conn conn = Conn.FromStream(new ScriptStream(Wire(reply)));
            return call(conn);
        });
        AssertAgree(reply, "INCR", ThroughConn(c => ((IConn)c).Commands().Incr("k")), ThroughConn(c => Reply.Int64(c.Do("INCR", "k"))));
        AssertAgree(reply, "INCRBYFLOAT", ThroughConn(c => ((IConn)c).Commands().IncrByFloat("k", 1)), ThroughConn(c => Reply.Double(c.Do("INCRBYFLOAT", "k", 1))));
        AssertAgree(reply, "GET", ThroughConn(c => ((IConn)c).Commands().Get("k")), ThroughConn(c => Reply.Bytes(c.Do("GET", "k"))));
    }

    // The rules themselves (agreement alone would pass if both paths were wrong the same way).
    public static TheoryData<string, string, object?> Rules() => new()
    {
        { "+OK", "Bool", true },
        { "$4\r\ntrue", "Bool", true },
        { "$1\r\nf", "Bool", false },
        { ":2", "Bool", true },
        { "$3\r\nyes", "Bool", typeof(RedisException) },
        { ",1", "Bool", typeof(RedisException) },
        { "$8\r\nInfinity", "Double", double.PositiveInfinity },
        { "$4\r\n+inf", "Double", double.PositiveInfinity },
        { "$3\r\nNaN", "Double", double.NaN },
        { ",NAN", "Double", double.NaN },
        { ",-nan", "Double", double.NaN },
        { "$3\r\n1e3", "Double", 1000.0 },
        { "$5\r\n1e400", "Double", typeof(RedisException) },
        { "$2\r\n 1", "Double", typeof(RedisException) },
        { "$3\r\n1e3", "Int64", typeof(RedisException) },
        { "$2\r\n 1", "Int64", typeof(RedisException) },
        { "$0\r\n", "Int64", typeof(RedisException) },
        { "$2\r\n+5", "Int64", 5L },
        { "$20\r\n-9223372036854775808", "Int64", long.MinValue },
        { "$19\r\n9223372036854775808", "Int64", typeof(RedisException) },
        { ",3", "Int64", 3L },
        { ",1.5", "Int64", typeof(RedisException) },
        { "#t", "Int64", 1L },
        { "(-5", "Int64", -5L },
        { "_", "Int64", typeof(RedisNilException) },
        { "-ERR boom", "Int64", typeof(RedisServerException) },
        { "#t", "String", "1" },
        { ",inf", "String", "inf" },
        { ",nan", "String", "nan" },
        { "(123", "String", "123" },
        { "_", "String", null },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void BothPaths_FollowTheDocumentedRules(string reply, string target, object? expected)
    {
        (Outcome typed, Outcome tree) = target switch
        {
            "Bool" => (Typed<BooleanParser, bool>(reply), Tree(reply, r => Reply.Bool(r))),
            "Double" => (Typed<DoubleParser, double>(reply), Tree(reply, r => Reply.Double(r))),
            "Int64" => (Typed<Int64Parser, long>(reply), Tree(reply, r => Reply.Int64(r))),
            _ => (Typed<StringParser, string?>(reply), Tree(reply, Reply.String)),
        };
        Outcome want = expected is Type thrown ? new Outcome(null, thrown) : new Outcome(expected, null);
        Assert.True(want.Agrees(typed), $"typed {target} of {reply}: {typed}, expected {want}");
        Assert.True(want.Agrees(tree), $"Reply.{target} of {reply}: {tree}, expected {want}");
    }
}
