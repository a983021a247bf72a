using System.Text;

namespace Redis.Tests.Fuzzing;

/// <summary>
/// Seeded mutations of RESP inputs: bit flips, interesting bytes, byte insertion and deletion,
/// length-field tampering, truncation, splicing with another input, range duplication, and
/// wrapping in aggregates or attributes.
/// </summary>
internal static class RespMutator
{
    private static readonly byte[] InterestingBytes = "\r\n*$-+:%|>~_,#(!=0919"u8.ToArray().Concat(new byte[] { 0, 0x7f, 0x80, 0xff }).ToArray();

    private static readonly string[] InterestingLengths =
    [
        "0", "1", "2", "3", "-1", "-2", "-0", "", "-", "+5", " 5", "1e3", "00000000001",
        "127", "128", "129", "65535", "65536", "99999999", "100000000", "100000001",
        "536870911", "536870912", "536870913", "1073741823", "1073741824",
        "2147483647", "2147483648", "4294967295", "4294967296", "9999999999", "99999999999",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
    ];

    private static readonly string[] Wrappers = ["*1\r\n", "~1\r\n", ">1\r\n", "%1\r\n+k\r\n", "|1\r\n+a\r\n+b\r\n", "*2\r\n:0\r\n"];

    /// <summary>Applies one to four mutations to <paramref name="input"/>.</summary>
    public static byte[] Mutate(Random random, byte[] input, IReadOnlyList<byte[]> corpus)
    {
        var data = new List<byte>(input);
        int count = 1 + random.Next(4);
        for (int i = 0; i < count; i++) MutateOnce(random, data, corpus);
        return [.. data];
    }

    private static void MutateOnce(Random random, List<byte> data, IReadOnlyList<byte[]> corpus)
    {
        switch (random.Next(10))
        {
            case 0 when data.Count > 0: // bit flip
            {
                int at = random.Next(data.Count);
                data[at] ^= (byte)(1 << random.Next(8));
                break;
            }
            case 1 when data.Count > 0: // an interesting byte
                data[random.Next(data.Count)] = InterestingBytes[random.Next(InterestingBytes.Length)];
                break;
            case 2: // insert bytes
            {
                int at = random.Next(data.Count + 1);
                int n = 1 + random.Next(8);
                for (int i = 0; i < n; i++)
                {
                    data.Insert(at, random.Next(2) == 0 ? InterestingBytes[random.Next(InterestingBytes.Length)] : (byte)random.Next(256));
                }
                break;
            }
            case 3 when data.Count > 0: // delete a range
            {
                int at = random.Next(data.Count);
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(8)));
                break;
            }
            case 4:
            case 5: // tamper with a length or integer field
                TamperLength(random, data);
                break;
            case 6 when data.Count > 0: // truncate
                Truncate(random, data);
                break;
            case 7: // splice: a prefix of this input and a suffix of another
            {
                byte[] other = corpus[random.Next(corpus.Count)];
                int keep = random.Next(data.Count + 1);
                int from = random.Next(other.Length + 1);
                data.RemoveRange(keep, data.Count - keep);
                data.AddRange(other.AsSpan(from).ToArray());
                break;
            }
            case 8 when data.Count > 0: // duplicate a range
            {
                int at = random.Next(data.Count);
                int n = Math.Min(data.Count - at, 1 + random.Next(32));
                data.InsertRange(random.Next(data.Count + 1), data.GetRange(at, n));
                break;
            }
            default: // wrap in an aggregate or an attribute
            {
                string wrapper = Wrappers[random.Next(Wrappers.Length)];
                int times = 1 + random.Next(random.Next(4) == 0 ? 200 : 3);
                byte[] prefix = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(wrapper, times)));
                data.InsertRange(0, prefix);
                break;
            }
        }
    }

    private static void Truncate(Random random, List<byte> data)
    {
        if (data.Count == 0) return;
        int keep = random.Next(data.Count);
        data.RemoveRange(keep, data.Count - keep);
    }

    // Finds a type byte followed by a length or integer and replaces the digits.
    private static void TamperLength(Random random, List<byte> data)
    {
        var starts = new List<int>();
        for (int i = 0; i + 1 < data.Count; i++)
        {
            if (data[i] is (byte)'$' or (byte)'*' or (byte)'%' or (byte)'~' or (byte)'>' or (byte)'|' or (byte)'!' or (byte)'=' or (byte)':')
            {
                if (data[i + 1] is (>= (byte)'0' and <= (byte)'9') or (byte)'-') starts.Add(i + 1);
            }
        }
        if (starts.Count == 0) return;
        int start = starts[random.Next(starts.Count)];
        int end = start;
        while (end < data.Count && data[end] != (byte)'\r') end++;
        data.RemoveRange(start, end - start);
        data.InsertRange(start, Encoding.ASCII.GetBytes(InterestingLengths[random.Next(InterestingLengths.Length)]));
    }
}
