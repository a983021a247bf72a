using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace Redis.Tests.Fuzzing;

/// <summary>
/// The reply reader under a seeded mutation fuzzer and adversarial inputs: every input ends in
/// values or <see cref="RedisProtocolException"/>, never another exception, a hang, a stack
/// overflow or memory out of proportion to the bytes received.
/// </summary>
/// <remarks>
/// The suite runs a bounded number of inputs. For a longer run (the same checks, another seed):
/// <c>REDIS_FUZZ_ITERATIONS=20000000 REDIS_FUZZ_SEED=7 dotnet test tests/Redis.Runtime.Tests --filter "FullyQualifiedName~RespFuzzTests.Fuzz_" --logger "console;verbosity=detailed"</c>.
/// A failure message holds the seed, the iteration and the input (base64), which replay it.
/// </remarks>
public class RespFuzzTests(ITestOutputHelper output)
{
    private const long DefaultIterations = 200_000;
    private const int DefaultSeed = 20260601;

    // Run on a thread with a 1 MB stack (smaller than the default of any .NET thread), so the depth
    // limits are shown to hold with room to spare.
    private const int StackSize = 1024 * 1024;

    [Fact]
    public void Fuzz_EveryInputEndsInValuesOrProtocolException()
    {
        long iterations = ReadEnv("REDIS_FUZZ_ITERATIONS", DefaultIterations);
        int seed = (int)ReadEnv("REDIS_FUZZ_SEED", DefaultSeed);
        FuzzReport? report = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { report = RespFuzzer.Run(seed, iterations); }
            catch (Exception ex) { failure = ex; }
        }, StackSize) { IsBackground = true, Name = "resp-fuzz" };
        thread.Start();
        // A hang fails the test: a generous bound of 2 ms per input on top of a minute.
        TimeSpan bound = TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(2.0 * iterations);
        Assert.True(thread.Join(bound), $"the fuzzer did not finish within {bound} (a hang): seed {seed}");
        if (failure is not null) throw new Xunit.Sdk.XunitException($"fuzzing failed: {failure}");
        output.WriteLine($"[figures] fuzz: {report}");
    }

    public static TheoryData<string, int> AdversarialHeaders() => new()
    {
        // header, bytes of trickling data behind it
        { "$2147483647\r\n", 64 * 1024 },
        { "$2147483646\r\n", 64 * 1024 },
        { "$536870912\r\n", 256 * 1024 },
        { "!536870912\r\n", 256 * 1024 },
        { "=536870912\r\n", 256 * 1024 },
        { "*100000000\r\n", 256 * 1024 },
        { "*2147483647\r\n", 64 * 1024 },
        { "%100000000\r\n", 256 * 1024 },
        { "%1073741824\r\n", 64 * 1024 },
        { "~100000000\r\n", 256 * 1024 },
        { ">100000000\r\n", 256 * 1024 },
        { "|100000000\r\n", 256 * 1024 },
        { "*100000000\r\n*100000000\r\n*100000000\r\n*100000000\r\n", 256 * 1024 },
        { "+", 256 * 1024 },
    };

    [Theory]
    [MemberData(nameof(AdversarialHeaders))]
    public void Fuzz_AdversarialLengthHeaders_AllocateInProportionToTheData(string header, int trickle)
    {
        foreach (RespLimits limits in RespFuzzer.LimitSets)
        {
            // The trickle is valid filler for what the header announces: payload bytes for a bulk,
            // elements (":1") for an aggregate, line bytes for a simple string.
            byte[] filler = header[0] is '$' or '!' or '=' or '+' ? Encoding.ASCII.GetBytes(new string('a', 4096)) : Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(":1\r\n", 1024)));
            using var decoder = new RespDecoder(limits);
            long before = GC.GetAllocatedBytesForCurrentThread();
            int fed = 0, peakBuffered = 0;
            string outcome = "waiting for more data";
            try
            {
                decoder.Append(Encoding.ASCII.GetBytes(header));
                while (fed < trickle)
                {
                    Assert.False(decoder.TryReadObject(out _));
                    Memory<byte> free = decoder.GetFillBuffer(4096);
                    int n = Math.Min(Math.Min(free.Length, filler.Length), trickle - fed);
                    filler.AsSpan(0, n).CopyTo(free.Span);
                    decoder.Advance(n);
                    fed += n;
                    peakBuffered = Math.Max(peakBuffered, decoder.BufferedLength);
                }
                Assert.False(decoder.TryReadObject(out _));
            }
            catch (RedisProtocolException ex)
            {
                outcome = ex.Message;
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[figures] adversarial {Printable(header)} (limits #{Array.IndexOf(RespFuzzer.LimitSets, limits)}): {fed:N0} bytes fed, peak buffered {peakBuffered:N0}, allocated {allocated:N0} bytes; {outcome}"));
            // Never a buffer sized by the announced length: at most about twice the data plus 1 MB.
            Assert.True(allocated <= 1024 * 1024 + 3L * trickle, $"{Printable(header)}: allocated {allocated:N0} bytes for {fed:N0} bytes of data");
        }
    }

    public static TheoryData<string> Nestings() => new() { "*1\r\n", "~1\r\n", ">1\r\n", "%1\r\n_\r\n", "|1\r\n+a\r\n+b\r\n*1\r\n" };

    [Theory]
    [MemberData(nameof(Nestings))]
    public void Fuzz_NestingAtTheMaximumDepth_NeverOverflowsTheStack(string level)
    {
        var limits = new RespLimits { MaxDepth = 1024 };
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                // Each level nests one aggregate deeper (an attribute closes before its array opens).
                string atLimit = string.Concat(Enumerable.Repeat(level, 1024)) + ":1\r\n";
                foreach (bool split in new[] { false, true })
                {
                    var ok = RespFuzzer.Decode(Encoding.ASCII.GetBytes(atLimit), limits, new Random(1), split, "at the limit");
                    Assert.Null(ok.Error);
                    Assert.Single(ok.Values);
                    var over = RespFuzzer.Decode(Encoding.ASCII.GetBytes(level + atLimit), limits, new Random(1), split, "past the limit");
                    Assert.Contains("nested deeper", over.Error);
                }
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        }, StackSize);
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
        Assert.Null(failure);
    }

    private static string Printable(string header) => header.Replace("\r\n", "\\r\\n", StringComparison.Ordinal);

    private static long ReadEnv(string name, long fallback)
        => long.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) && value > 0 ? value : fallback;
}
