namespace Redis;

/// <summary>A range of hash slots, both ends included.</summary>
/// <param name="Start">The first slot.</param>
/// <param name="End">The last slot.</param>
public readonly record struct SlotRange(int Start, int End)
{
    /// <summary>The number of slots in the range.</summary>
    public int Count => End - Start + 1;

    /// <summary>True when <paramref name="slot"/> is in the range.</summary>
    public bool Contains(int slot) => slot >= Start && slot <= End;

    /// <summary>"start-end".</summary>
    public override string ToString() => Start == End ? $"{Start}" : $"{Start}-{End}";
}
