using System.Globalization;
using System.Text;
using Redis.Tests.Fuzzing;

namespace Redis.Tests.Protocol;

/// <summary>
/// A bounded, seeded fuzz test of RESP3 streamed replies: random valid replies are written twice, counted
/// and with random parts streamed (strings in random chunks, aggregates and attributes ended by <c>.</c>),
/// and the streamed form, fed at random split points, must decode to exactly what the counted form decodes
/// to: the same frame bytes, the same object tree, or the same protocol error under tight limits.
/// </summary>
public class StreamedFuzzTests
{
    private const int Seed = 20261205;
    private const int Replies = 3000;

    private static readonly RespLimits[] LimitSets =
    [
        RespLimits.Default,
        new RespLimits { MaxBulkLength = 64, MaxAggregateLength = 12, MaxDepth = 8 },
    ];

    private sealed class Writer(Random random)
    {
        public readonly List<byte> Counted = [];
        public readonly List<byte> Streamed = [];

        private void Both(string text)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            Counted.AddRange(bytes);
            Streamed.AddRange(bytes);
        }

        private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

        public void Value(int depth)
        {
            if (depth < 4 && random.Next(8) == 0) Attribute(depth); // bounded nesting: within the tight MaxDepth
            int kind = random.Next(depth >= 4 ? 10 : 14);
            switch (kind)
            {
                case 0: Both("+" + Text(12) + "\r\n"); break;
                case 1: Both("-ERR " + Text(12) + "\r\n"); break;
                case 2: Both(":" + N(random.NextInt64(long.MinValue, long.MaxValue)) + "\r\n"); break;
                case 3: Both(random.Next(2) == 0 ? "_\r\n" : "$-1\r\n"); break;
                case 4: Both("," + (random.NextDouble() * 1e6).ToString("R", CultureInfo.InvariantCulture) + "\r\n"); break;
                case 5: Both(random.Next(2) == 0 ? "#t\r\n" : "#f\r\n"); break;
                case 6: Both("(" + N(random.NextInt64()) + N(random.NextInt64(0, long.MaxValue)) + "\r\n"); break;
                case 7: { string t = "txt:" + Text(10); Both("=" + N(Encoding.UTF8.GetByteCount(t)) + "\r\n" + t + "\r\n"); break; }
                case 8:
                case 9: Bulk(); break;
                case 10:
                case 11: Aggregate(random.Next(2) == 0 ? '*' : '~', random.Next(random.Next(2) == 0 ? 4 : 16), pairs: false, depth); break;
                default: Aggregate('%', random.Next(random.Next(2) == 0 ? 3 : 9), pairs: true, depth); break;
            }
        }

        private void Attribute(int depth)
        {
            int count = random.Next(3);
            Aggregate('|', count, pairs: true, depth);
        }

        private void Bulk()
        {
            byte[] payload = new byte[random.Next(random.Next(4) == 0 ? 100 : 20)];
            random.NextBytes(payload);
            Counted.AddRange(Encoding.ASCII.GetBytes("$" + N(payload.Length) + "\r\n"));
            Counted.AddRange(payload);
            Counted.AddRange("\r\n"u8.ToArray());
            if (random.Next(2) == 0)
            {
                Streamed.AddRange(Encoding.ASCII.GetBytes("$" + N(payload.Length) + "\r\n"));
                Streamed.AddRange(payload);
                Streamed.AddRange("\r\n"u8.ToArray());
                return;
            }
            Streamed.AddRange("$?\r\n"u8.ToArray());
            for (int at = 0; at < payload.Length;)
            {
                int n = Math.Min(payload.Length - at, 1 + random.Next(random.Next(2) == 0 ? 4 : 40));
                Streamed.AddRange(Encoding.ASCII.GetBytes(";" + N(n) + "\r\n"));
                Streamed.AddRange(payload.AsSpan(at, n).ToArray());
                Streamed.AddRange("\r\n"u8.ToArray());
                at += n;
            }
            Streamed.AddRange(";0\r\n"u8.ToArray());
        }

        private void Aggregate(char type, int count, bool pairs, int depth)
        {
            bool streamed = random.Next(2) == 0;
            Counted.AddRange(Encoding.ASCII.GetBytes(type + N(count) + "\r\n"));
            Streamed.AddRange(Encoding.ASCII.GetBytes(type + (streamed ? "?" : N(count)) + "\r\n"));
            for (int i = 0; i < (pairs ? 2 * count : count); i++) Value(depth + 1);
            if (streamed) Streamed.AddRange(".\r\n"u8.ToArray());
        }

        private string Text(int max)
        {
            const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 :-_é";
            var chars = new char[random.Next(max)];
            for (int i = 0; i < chars.Length; i++) chars[i] = alphabet[random.Next(alphabet.Length)];
            return new string(chars);
        }
    }

    // Frames (as text of their bytes) and trees decoded from `wire`, or the protocol error that ended it.
    private static (List<string> Frames, List<string> Trees, bool Failed) Decode(byte[] wire, RespLimits limits, Random? splits)
    {
        var frames = new List<string>();
        var trees = new List<string>();
        using var decoder = new RespDecoder(limits, initialCapacity: 64);
        try
        {
            for (int at = 0; at < wire.Length;)
            {
                int n = splits is null ? wire.Length - at : Math.Min(wire.Length - at, 1 + splits.Next(splits.Next(3) == 0 ? 3 : 200));
                decoder.Append(wire.AsSpan(at, n));
                at += n;
                while (decoder.TryReadFrame(out ReadOnlySpan<byte> frame))
                {
                    frames.Add(Convert.ToHexString(frame));
                    var reader = new RespReader(frame);
                    trees.Add(RespFuzzer.Render(reader.ReadObject()));
                    Assert.Equal(frame.Length, reader.Position);
                    decoder.Consume(frame.Length);
                }
            }
            Assert.Equal(0, decoder.BufferedLength);
            return (frames, trees, false);
        }
        catch (RedisProtocolException)
        {
            return (frames, trees, true);
        }
    }

    [Fact]
    public void RandomStreamedReplies_DecodeAsTheirCountedEncodings_AtRandomSplitPoints()
    {
        var random = new Random(Seed);
        int streamedParts = 0, failures = 0;
        for (int i = 0; i < Replies; i++)
        {
            var writer = new Writer(random);
            writer.Value(0);
            writer.Value(0); // two replies in a row: the second must stay in step
            byte[] counted = [.. writer.Counted];
            byte[] streamed = [.. writer.Streamed];
            if (!counted.AsSpan().SequenceEqual(streamed)) streamedParts++;
            RespLimits limits = LimitSets[i % LimitSets.Length];
            var expected = Decode(counted, limits, splits: null);
            var actual = Decode(streamed, limits, new Random(Seed + i));
            string replay = $"reply {i} (seed {Seed}): {Encoding.UTF8.GetString(streamed).Replace("\r\n", "\\r\\n", StringComparison.Ordinal)}";
            Assert.True(expected.Failed == actual.Failed, $"counted {(expected.Failed ? "failed" : "decoded")} but streamed {(actual.Failed ? "failed" : "decoded")}: {replay}");
            if (expected.Failed)
            {
                failures++;
                continue;
            }
            Assert.True(expected.Frames.SequenceEqual(actual.Frames), $"frames differ: {replay}");
            Assert.True(expected.Trees.SequenceEqual(actual.Trees), $"trees differ: {replay}");
        }
        // The generator must exercise what it is for: most inputs stream something, some hit the tight limits.
        Assert.True(streamedParts > Replies / 2, $"only {streamedParts} of {Replies} inputs had streamed parts");
        Assert.True(failures > 0 && failures < Replies / 2, $"{failures} of {Replies} inputs ended in a protocol error");
    }
}
