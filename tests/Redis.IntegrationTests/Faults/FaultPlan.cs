namespace Redis.Tests.Faults;

/// <summary>The fault for one accepted connection.</summary>
/// <param name="Kind">What happens.</param>
/// <param name="AfterBytes">For cuts, resets and stalls: how many bytes pass in the watched direction first.</param>
/// <param name="Delay">For <see cref="FaultKind.Delay"/>: the most each chunk waits.</param>
public sealed record FaultPlan(FaultKind Kind, int AfterBytes = 0, TimeSpan Delay = default)
{
    /// <summary>Forward untouched.</summary>
    public static FaultPlan None { get; } = new(FaultKind.None);

    /// <summary>
    /// A seeded mix: about <paramref name="faultRate"/> of connections get a cut (either direction),
    /// a reset, a stall or a refusal after a random byte count below <paramref name="maxAfterBytes"/>,
    /// a few are delayed, the rest pass untouched. Stalls are rarer (each one costs a read timeout).
    /// </summary>
    public static Func<int, Random, FaultPlan> Mixed(double faultRate, int maxAfterBytes, double stallShare = 0.05) => (_, random) =>
    {
        double roll = random.NextDouble();
        if (roll >= faultRate)
        {
            return random.Next(10) == 0 ? new FaultPlan(FaultKind.Delay, Delay: TimeSpan.FromMilliseconds(random.Next(1, 3))) : None;
        }
        // Replies are shorter than commands: faults on the server-to-client side come sooner.
        int after = random.Next(maxAfterBytes), replyAfter = random.Next(Math.Max(1, maxAfterBytes / 4));
        double pick = random.NextDouble();
        if (pick < stallShare) return new FaultPlan(FaultKind.Stall, replyAfter);
        if (pick < stallShare + 0.05) return new FaultPlan(FaultKind.Refuse);
        return (random.Next(3)) switch
        {
            0 => new FaultPlan(FaultKind.CutClientToServer, after),
            1 => new FaultPlan(FaultKind.CutServerToClient, replyAfter),
            _ => new FaultPlan(FaultKind.Reset, replyAfter),
        };
    };
}
