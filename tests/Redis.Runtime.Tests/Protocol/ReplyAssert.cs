using System.Numerics;
using System.Text;

namespace Redis.Tests.Protocol;

/// <summary>Deep equality for reply trees (byte arrays, arrays, maps, pushes, error values).</summary>
internal static class ReplyAssert
{
    public static void Equal(object? expected, object? actual) => Assert.True(DeepEqual(expected, actual),
        $"Expected {Describe(expected)}{Environment.NewLine}Actual   {Describe(actual)}");

    public static bool DeepEqual(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
        (object?[] x, object?[] y) => x.Length == y.Length && x.Zip(y).All(p => DeepEqual(p.First, p.Second)),
        (KeyValuePair<object?, object?>[] x, KeyValuePair<object?, object?>[] y) => x.Length == y.Length
            && x.Zip(y).All(p => DeepEqual(p.First.Key, p.Second.Key) && DeepEqual(p.First.Value, p.Second.Value)),
        (RedisPush x, RedisPush y) => DeepEqual(x.Values, y.Values),
        (RedisServerException x, RedisServerException y) => x.Message == y.Message,
        (double x, double y) => x.Equals(y),
        (string x, string y) => x == y,
        (long x, long y) => x == y,
        (bool x, bool y) => x == y,
        (BigInteger x, BigInteger y) => x == y,
        _ => false,
    };

    public static string Describe(object? value) => value switch
    {
        null => "nil",
        byte[] b => $"bulk(\"{Encoding.UTF8.GetString(b)}\")",
        string s => $"\"{s}\"",
        object?[] a => "[" + string.Join(", ", a.Select(Describe)) + "]",
        KeyValuePair<object?, object?>[] m => "{" + string.Join(", ", m.Select(p => Describe(p.Key) + ": " + Describe(p.Value))) + "}",
        RedisPush p => ">" + Describe(p.Values),
        RedisServerException e => $"error({e.Message})",
        _ => $"{value.GetType().Name}({value})",
    };
}
