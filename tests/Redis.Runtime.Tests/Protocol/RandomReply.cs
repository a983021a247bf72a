using System.Globalization;
using System.Numerics;
using System.Text;

namespace Redis.Tests.Protocol;

/// <summary>Generates random reply trees with their RESP encoding and the value a reader must return.</summary>
internal static class RandomReply
{
    public static (object? Value, byte[] Wire) Generate(Random random, int depth)
    {
        var sb = new List<byte>();
        object? value = Write(random, depth, sb);
        return (value, sb.ToArray());
    }

    private static void Line(List<byte> sb, string s) => sb.AddRange(Encoding.UTF8.GetBytes(s + "\r\n"));

    private static string Text(Random random, int max)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 :-_é€";
        var chars = new char[random.Next(0, max)];
        for (int i = 0; i < chars.Length; i++) chars[i] = alphabet[random.Next(alphabet.Length)];
        return new string(chars);
    }

    private static object? Write(Random random, int depth, List<byte> sb)
    {
        int kind = random.Next(depth >= 4 ? 11 : 16);
        switch (kind)
        {
            case 0:
            {
                string s = Text(random, 20);
                Line(sb, "+" + s);
                return s;
            }
            case 1:
            {
                string s = "ERR " + Text(random, 20);
                Line(sb, "-" + s);
                return new RedisServerException(s);
            }
            case 2:
            {
                long n = random.NextInt64(long.MinValue, long.MaxValue);
                Line(sb, ":" + n.ToString(CultureInfo.InvariantCulture));
                return n;
            }
            case 3:
            {
                byte[] payload = new byte[random.Next(0, random.Next(2) == 0 ? 10 : 300)];
                random.NextBytes(payload);
                Line(sb, "$" + payload.Length.ToString(CultureInfo.InvariantCulture));
                sb.AddRange(payload);
                Line(sb, "");
                return payload;
            }
            case 4:
                Line(sb, random.Next(2) == 0 ? "$-1" : "_");
                return null;
            case 5:
            {
                double d = random.Next(4) switch
                {
                    0 => double.PositiveInfinity,
                    1 => Math.Round(random.NextDouble() * 1000, 3),
                    _ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-20, 20)),
                };
                Line(sb, "," + (double.IsInfinity(d) ? "inf" : d.ToString("R", CultureInfo.InvariantCulture)));
                return d;
            }
            case 6:
            {
                bool b = random.Next(2) == 0;
                Line(sb, b ? "#t" : "#f");
                return b;
            }
            case 7:
            {
                var big = new BigInteger(random.NextInt64()) * new BigInteger(random.NextInt64()) * (random.Next(2) == 0 ? -1 : 1);
                Line(sb, "(" + big.ToString(CultureInfo.InvariantCulture));
                return big;
            }
            case 8:
            {
                string s = "SYNTAX " + Text(random, 10);
                byte[] bytes = Encoding.UTF8.GetBytes(s);
                Line(sb, "!" + bytes.Length.ToString(CultureInfo.InvariantCulture));
                sb.AddRange(bytes);
                Line(sb, "");
                return new RedisServerException(s);
            }
            case 9:
            {
                string s = Text(random, 30);
                byte[] bytes = Encoding.UTF8.GetBytes("txt:" + s);
                Line(sb, "=" + bytes.Length.ToString(CultureInfo.InvariantCulture));
                sb.AddRange(bytes);
                Line(sb, "");
                return s;
            }
            case 10:
                Line(sb, "*-1");
                return null;
            case 11:
            case 12:
            {
                int n = random.Next(0, 6);
                Line(sb, (kind == 11 ? "*" : "~") + n.ToString(CultureInfo.InvariantCulture));
                var items = n == 0 ? [] : new object?[n];
                for (int i = 0; i < n; i++) items[i] = Write(random, depth + 1, sb);
                return items;
            }
            case 13:
            {
                int n = random.Next(0, 4);
                Line(sb, "%" + n.ToString(CultureInfo.InvariantCulture));
                var pairs = n == 0 ? [] : new KeyValuePair<object?, object?>[n];
                for (int i = 0; i < n; i++)
                {
                    object? key = Write(random, depth + 1, sb);
                    pairs[i] = new(key, Write(random, depth + 1, sb));
                }
                return pairs;
            }
            case 14:
            {
                // An attribute before a value: skipped by the reader.
                int n = random.Next(0, 3);
                Line(sb, "|" + n.ToString(CultureInfo.InvariantCulture));
                for (int i = 0; i < 2 * n; i++) Write(random, depth + 1, sb);
                return Write(random, depth + 1, sb);
            }
            default:
            {
                if (depth > 0)
                {
                    // Push frames only appear at the top level.
                    return Write(random, depth, sb);
                }
                int n = random.Next(1, 4);
                Line(sb, ">" + n.ToString(CultureInfo.InvariantCulture));
                var items = new object?[n];
                for (int i = 0; i < n; i++) items[i] = Write(random, depth + 1, sb);
                return new RedisPush(items);
            }
        }
    }
}
