using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Redis.Tests.Fuzzing;

/// <summary>What one fuzz run did.</summary>
internal sealed record FuzzReport(
    int Seed,
    long Iterations,
    long InputsWithValues,
    long ValuesDecoded,
    long ProtocolErrors,
    long IncompleteAtEnd,
    double MaxInputMilliseconds,
    long MaxAllocatedBytesPerInput,
    int MaxInputLength,
    TimeSpan Elapsed)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"seed {Seed}: {Iterations:N0} inputs in {Elapsed.TotalSeconds:0.0} s; {InputsWithValues:N0} yielded values ({ValuesDecoded:N0} values), " +
        $"{ProtocolErrors:N0} ended in RedisProtocolException, {IncompleteAtEnd:N0} incomplete at the end; 0 other exceptions; " +
        $"slowest input {MaxInputMilliseconds:0.00} ms; most allocated for one input {MaxAllocatedBytesPerInput:N0} bytes (longest input {MaxInputLength:N0} bytes)");
}

/// <summary>
/// A seeded mutation fuzzer for the reply reader. Each input (a mutated corpus entry) is decoded
/// twice through <see cref="RespDecoder"/>: in one piece and fed at random split points the way
/// <see cref="Conn"/> fills it. Both must end in values or <see cref="RedisProtocolException"/>
/// and agree with each other; each complete frame must also be skipped exactly by
/// <see cref="RespReader.Skip"/>. Anything else (another exception type, a slow input, memory out
/// of proportion to the input) fails with the seed and iteration that replay it.
/// </summary>
internal static class RespFuzzer
{
    /// <summary>The limit configurations inputs are decoded under, chosen per input.</summary>
    public static readonly RespLimits[] LimitSets =
    [
        RespLimits.Default,
        new RespLimits { MaxBulkLength = 64, MaxAggregateLength = 16, MaxDepth = 8, MaxBufferedBytes = 4096 },
        new RespLimits { MaxDepth = 1024 },
        new RespLimits { MaxBulkLength = int.MaxValue, MaxAggregateLength = int.MaxValue, MaxDepth = 1024 },
    ];

    private const double MaxMillisecondsPerInput = 2000;

    /// <summary>Runs <paramref name="iterations"/> inputs from <paramref name="seed"/>; throws on the first violation.</summary>
    public static FuzzReport Run(int seed, long iterations)
    {
        List<byte[]> corpus = RespCorpus.Build(seed);
        var random = new Random(seed);
        long withValues = 0, values = 0, errors = 0, incomplete = 0, maxAllocated = 0;
        int maxLength = 0;
        double maxMs = 0;
        var total = Stopwatch.StartNew();
        for (long i = 0; i < iterations; i++)
        {
            byte[] seedInput = corpus[random.Next(corpus.Count)];
            byte[] input = random.Next(16) == 0 ? seedInput : RespMutator.Mutate(random, seedInput, corpus);
            RespLimits limits = LimitSets[random.Next(LimitSets.Length)];
            int splitSeed = random.Next();
            string replay = $"seed {seed}, iteration {i}, limits #{Array.IndexOf(LimitSets, limits)}, input (base64) {Convert.ToBase64String(input)}";

            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            long started = Stopwatch.GetTimestamp();
            DecodeOutcome whole = Decode(input, limits, new Random(splitSeed), split: false, replay);
            DecodeOutcome split = Decode(input, limits, new Random(splitSeed), split: true, replay);
            double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

            if (ms > MaxMillisecondsPerInput) throw new FuzzFailure($"an input took {ms:0} ms (bound {MaxMillisecondsPerInput} ms): {replay}");
            // Memory is proportional to the bytes received, never to a length the input announces:
            // both decodes together stay under a fixed overhead plus a constant factor per input byte.
            long allocationBound = 1024 * 1024 + 512L * input.Length;
            if (allocated > allocationBound) throw new FuzzFailure($"an input of {input.Length} bytes allocated {allocated:N0} bytes (bound {allocationBound:N0}): {replay}");
            CheckAgreement(whole, split, replay);

            maxMs = Math.Max(maxMs, ms);
            maxAllocated = Math.Max(maxAllocated, allocated);
            maxLength = Math.Max(maxLength, input.Length);
            if (whole.Values.Count > 0) withValues++;
            values += whole.Values.Count;
            if (whole.Error is not null) errors++;
            else if (whole.Incomplete) incomplete++;
        }
        return new FuzzReport(seed, iterations, withValues, values, errors, incomplete, maxMs, maxAllocated, maxLength, total.Elapsed);
    }

    /// <summary>The values decoded from one input, and how it ended.</summary>
    internal sealed record DecodeOutcome(List<string> Values, string? Error, bool Incomplete);

    /// <summary>Decodes <paramref name="input"/> in one piece or at random split points; only <see cref="RedisProtocolException"/> may escape the reader.</summary>
    internal static DecodeOutcome Decode(byte[] input, RespLimits limits, Random random, bool split, string replay)
    {
        var values = new List<string>();
        using var decoder = new RespDecoder(limits, initialCapacity: split && random.Next(2) == 0 ? 64 : 16 * 1024);
        int offset = 0;
        try
        {
            while (offset < input.Length)
            {
                int chunk = split ? 1 + random.Next(random.Next(3) == 0 ? 4 : 300) : input.Length - offset;
                chunk = Math.Min(chunk, input.Length - offset);
                // As Conn fills: ask for room, copy what fits, advance.
                Span<byte> free = decoder.GetFillBuffer(split ? 4096 : chunk).Span;
                int n = Math.Min(free.Length, chunk);
                input.AsSpan(offset, n).CopyTo(free);
                decoder.Advance(n);
                offset += n;
                while (decoder.TryReadFrame(out ReadOnlySpan<byte> frame))
                {
                    var skipper = new RespReader(frame);
                    skipper.Skip();
                    if (skipper.Position != frame.Length) throw new FuzzFailure($"Skip stopped at {skipper.Position} of a {frame.Length}-byte frame: {replay}");
                    var reader = new RespReader(frame);
                    object? value = reader.ReadObject();
                    if (reader.Position != frame.Length) throw new FuzzFailure($"ReadObject stopped at {reader.Position} of a {frame.Length}-byte frame: {replay}");
                    decoder.Consume(frame.Length);
                    values.Add(Render(value));
                }
            }
            return new DecodeOutcome(values, null, decoder.BufferedLength > 0);
        }
        catch (RedisProtocolException ex)
        {
            return new DecodeOutcome(values, ex.Message, false);
        }
        catch (FuzzFailure)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new FuzzFailure($"{ex.GetType().Name} escaped the reader ({(split ? "split" : "whole")}): {ex.Message}: {replay}", ex);
        }
    }

    private static void CheckAgreement(DecodeOutcome whole, DecodeOutcome split, string replay)
    {
        // Fed in one piece, a reply past the buffered-bytes limit fails before earlier replies are
        // read; fed in pieces they are read first. Otherwise the split points must not matter.
        bool bufferLimit = (whole.Error ?? split.Error ?? "").Contains("buffered bytes", StringComparison.Ordinal);
        if (bufferLimit)
        {
            List<string> shorter = whole.Values.Count <= split.Values.Count ? whole.Values : split.Values;
            List<string> longer = ReferenceEquals(shorter, whole.Values) ? split.Values : whole.Values;
            if (!shorter.SequenceEqual(longer.Take(shorter.Count))) throw new FuzzFailure($"split decoding disagrees: {replay}");
            return;
        }
        if (!whole.Values.SequenceEqual(split.Values) || (whole.Error is null) != (split.Error is null))
        {
            throw new FuzzFailure($"split decoding disagrees (whole: {whole.Values.Count} values, {whole.Error ?? "no error"}; split: {split.Values.Count} values, {split.Error ?? "no error"}): {replay}");
        }
    }

    /// <summary>A canonical text form of a reply tree, to compare decodes.</summary>
    internal static string Render(object? value)
    {
        var sb = new StringBuilder();
        Render(value, sb);
        return sb.ToString();
    }

    private static void Render(object? value, StringBuilder sb)
    {
        switch (value)
        {
            case null: sb.Append("nil"); break;
            case string s: sb.Append("s\"").Append(s).Append('"'); break;
            case byte[] b: sb.Append("b:").Append(Convert.ToHexString(b)); break;
            case long l: sb.Append("i:").Append(l); break;
            case double d: sb.Append("d:").Append(d.ToString("R", CultureInfo.InvariantCulture)); break;
            case bool b: sb.Append(b ? "#t" : "#f"); break;
            case BigInteger n: sb.Append("(").Append(n); break;
            case RedisServerException e: sb.Append("e\"").Append(e.Message).Append('"'); break;
            case RedisPush p: sb.Append("push"); RenderAll(p.Values, sb); break;
            case object?[] a: RenderAll(a, sb); break;
            case KeyValuePair<object?, object?>[] m:
                sb.Append('{');
                foreach (var pair in m) { Render(pair.Key, sb); sb.Append("=>"); Render(pair.Value, sb); sb.Append(','); }
                sb.Append('}');
                break;
            default: throw new FuzzFailure($"unexpected reply value type {value.GetType()}");
        }
    }

    private static void RenderAll(object?[] values, StringBuilder sb)
    {
        sb.Append('[');
        foreach (object? v in values) { Render(v, sb); sb.Append(','); }
        sb.Append(']');
    }
}

/// <summary>A fuzzing invariant was broken; the message holds what replays it.</summary>
internal sealed class FuzzFailure(string message, Exception? inner = null) : Exception(message, inner);
