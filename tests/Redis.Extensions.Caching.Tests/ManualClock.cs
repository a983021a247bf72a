namespace Redis.Extensions.Caching.Tests;

/// <summary>A clock that stands still until a test moves it, so expiration times are exact.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    /// <summary>The current time.</summary>
    public DateTimeOffset Now { get; private set; } = start;

    /// <summary>A clock at the real current time (whole milliseconds), then standing still.</summary>
    public static ManualClock AtRealNow() => new(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan by) => Now += by;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Now;
}
