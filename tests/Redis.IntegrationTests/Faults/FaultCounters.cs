using System.Globalization;

namespace Redis.Tests.Faults;

/// <summary>What the proxy did, counted as it happened (thread-safe).</summary>
public sealed class FaultCounters
{
    private long _accepted;
    private long _cuts;
    private long _resets;
    private long _stalls;
    private long _refused;
    private long _delayedChunks;
    private long _blackHoles;
    private long _trickles;
    private long _trickledBytes;

    /// <summary>Connections accepted.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Connections cut (FIN) after N bytes, either direction.</summary>
    public long Cuts => Interlocked.Read(ref _cuts);

    /// <summary>Connections reset (RST).</summary>
    public long Resets => Interlocked.Read(ref _resets);

    /// <summary>Connections stalled.</summary>
    public long Stalls => Interlocked.Read(ref _stalls);

    /// <summary>Connections refused (closed before any byte).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Chunks delayed.</summary>
    public long DelayedChunks => Interlocked.Read(ref _delayedChunks);

    /// <summary>Connections black-holed (bytes from the client reached the black hole).</summary>
    public long BlackHoles => Interlocked.Read(ref _blackHoles);

    /// <summary>Connections that started receiving a trickled bulk.</summary>
    public long Trickles => Interlocked.Read(ref _trickles);

    /// <summary>Bytes of trickled bulks sent so far (header included).</summary>
    public long TrickledBytes => Interlocked.Read(ref _trickledBytes);

    /// <summary>Faults injected: cuts, resets, stalls and refusals (delays are not faults).</summary>
    public long Injected => Cuts + Resets + Stalls + Refused;

    internal void Accept() => Interlocked.Increment(ref _accepted);

    internal void Cut() => Interlocked.Increment(ref _cuts);

    internal void Reset() => Interlocked.Increment(ref _resets);

    internal void Stall() => Interlocked.Increment(ref _stalls);

    internal void Refuse() => Interlocked.Increment(ref _refused);

    internal void DelayChunk() => Interlocked.Increment(ref _delayedChunks);

    internal void BlackHole() => Interlocked.Increment(ref _blackHoles);

    internal void Trickle() => Interlocked.Increment(ref _trickles);

    internal void Trickled(int bytes) => Interlocked.Add(ref _trickledBytes, bytes);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Accepted} connections, {Injected} faults injected ({Cuts} cuts, {Resets} resets, {Stalls} stalls, {Refused} refused), {DelayedChunks} chunks delayed, {BlackHoles} black holes, {Trickles} trickled bulks ({TrickledBytes} bytes)");
}
