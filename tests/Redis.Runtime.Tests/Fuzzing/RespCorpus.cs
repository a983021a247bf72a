using System.Text;
using Redis.Tests.Protocol;

namespace Redis.Tests.Fuzzing;

/// <summary>
/// The fuzzer's seed inputs: valid RESP2/RESP3 replies of every type (nested, attributes, pushes,
/// maps, sets, verbatim, big numbers, doubles), invalid ones, adversarial length headers, and
/// random reply trees generated from a seed.
/// </summary>
internal static class RespCorpus
{
    private static readonly string[] Handwritten =
    [
        // RESP2
        "+OK\r\n", "+\r\n", "-ERR unknown command 'FOO'\r\n", "-WRONGTYPE Operation against a key\r\n",
        ":0\r\n", ":-1\r\n", ":9223372036854775807\r\n", ":-9223372036854775808\r\n",
        "$0\r\n\r\n", "$-1\r\n", "$5\r\nhello\r\n", "$12\r\nline\r\nbreaks\r\n",
        "*0\r\n", "*-1\r\n", "*2\r\n$3\r\nfoo\r\n:42\r\n", "*3\r\n*1\r\n+a\r\n*0\r\n$-1\r\n",
        "*2\r\n*2\r\n:1\r\n:2\r\n*2\r\n-ERR x\r\n$1\r\nz\r\n",
        "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n",
        // RESP3
        "_\r\n", ",3.14\r\n", ",-0.5e10\r\n", ",inf\r\n", ",-inf\r\n", ",nan\r\n", "#t\r\n", "#f\r\n",
        "(3492890328409238509324850943850943825024385\r\n", "(-12\r\n",
        "!21\r\nSYNTAX invalid syntax\r\n", "=15\r\ntxt:Some string\r\n",
        "%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n", "%0\r\n", "~3\r\n+a\r\n+b\r\n+c\r\n", "~0\r\n",
        ">3\r\n+message\r\n+ch\r\n$2\r\nhi\r\n", ">4\r\n+invalidate\r\n*1\r\n$3\r\nkey\r\n_\r\n:1\r\n",
        "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n",
        "|0\r\n+after-empty-attribute\r\n", "*2\r\n|1\r\n+ttl\r\n:3600\r\n$1\r\nv\r\n:7\r\n",
        "%1\r\n*2\r\n:1\r\n:2\r\n~1\r\n%1\r\n_\r\n#t\r\n",
        ">2\r\n+pong\r\n|1\r\n+a\r\n+b\r\n$0\r\n\r\n",
        // Several replies in one stream, as a pipeline reads them.
        "+OK\r\n:1\r\n$3\r\nabc\r\n*1\r\n_\r\n",
        // Invalid
        "?\r\n", "+OK\n", "+OK\r", ":\r\n", ":-\r\n", ":12a\r\n", ":99999999999999999999\r\n",
        "$-2\r\n", "$3\r\nabcd\r\n", "$3\r\nab\r\n", "$abc\r\n", "*-2\r\n", "*1x\r\n", "%-1\r\n",
        "_x\r\n", "#x\r\n", "#tt\r\n", ",1.2.3\r\n", ",Infinity\r\n", ",\r\n", "(\r\n", "(12a\r\n",
        "=2\r\nab\r\n", "=5\r\ntxtab\r\n", "!-1\r\n", "~-1\r\n", ">-1\r\n", "|-1\r\n", "\r\n", "\n",
        // Adversarial length headers with little data behind them
        "$2147483647\r\nabc", "$2147483648\r\n", "$536870912\r\nxyz", "$536870913\r\n", "$99999999999\r\n",
        "*100000000\r\n:1\r\n", "*100000001\r\n", "*2147483647\r\n", "%100000000\r\n+k\r\n", "%1073741824\r\n",
        "~100000000\r\n", ">100000000\r\n", "|100000000\r\n", "=2147483647\r\n", "!536870912\r\n",
    ];

    /// <summary>The seeds: the handwritten entries, deep nestings, and <paramref name="generated"/> random trees.</summary>
    public static List<byte[]> Build(int seed, int generated = 200)
    {
        var corpus = Handwritten.Select(s => Encoding.UTF8.GetBytes(s)).ToList();
        corpus.Add(Repeat("*1\r\n", 127, ":1\r\n"));
        corpus.Add(Repeat("*1\r\n", 128, ":1\r\n"));
        corpus.Add(Repeat("*1\r\n", 129, ":1\r\n"));
        corpus.Add(Repeat("%1\r\n_\r\n", 100, "_\r\n"));
        corpus.Add(Repeat("|1\r\n+a\r\n+b\r\n", 200, "+v\r\n"));
        corpus.Add(Repeat("*100000000\r\n", 200, ""));
        var random = new Random(seed);
        for (int i = 0; i < generated; i++) corpus.Add(RandomReply.Generate(random, depth: 0).Wire);
        return corpus;
    }

    private static byte[] Repeat(string unit, int count, string tail)
    {
        var sb = new StringBuilder(unit.Length * count + tail.Length);
        for (int i = 0; i < count; i++) sb.Append(unit);
        return Encoding.ASCII.GetBytes(sb.Append(tail).ToString());
    }
}
