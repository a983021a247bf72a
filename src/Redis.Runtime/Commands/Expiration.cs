namespace Redis;

/// <summary>
/// The expiration of <c>SET</c>: one of <c>EX seconds</c>, <c>PX milliseconds</c>, <c>EXAT</c>, <c>PXAT</c>
/// or <c>KEEPTTL</c>, as one value so that two of them cannot be sent together. <c>default</c> sends none
/// (the key gets no time to live and loses any it had).
/// </summary>
/// <example><c>commands.Set("session", token, expiration: Expiration.Seconds(60));</c></example>
/// <remarks>GETEX, which may remove a time to live but not keep one, takes <see cref="ExpirationUpdate"/>.</remarks>
public readonly struct Expiration : IRespArguments, IEquatable<Expiration>
{
    private readonly ExpirationKind _kind;
    private readonly long _value;

    private Expiration(ExpirationKind kind, long value)
    {
        _kind = kind;
        _value = value;
    }

    private Expiration((ExpirationKind Kind, long Value) choice)
        : this(choice.Kind, choice.Value)
    {
    }

    /// <summary>Expires after <paramref name="seconds"/> seconds (<c>EX</c>).</summary>
    /// <param name="seconds">The time to live in seconds; greater than zero.</param>
    public static Expiration Seconds(long seconds) => new(ExpirationKind.Seconds, ExpirationArguments.Positive(seconds, nameof(seconds)));

    /// <summary>Expires after <paramref name="milliseconds"/> milliseconds (<c>PX</c>).</summary>
    /// <param name="milliseconds">The time to live in milliseconds; greater than zero.</param>
    public static Expiration Milliseconds(long milliseconds) => new(ExpirationKind.Milliseconds, ExpirationArguments.Positive(milliseconds, nameof(milliseconds)));

    /// <summary>Expires after <paramref name="duration"/>: <c>EX</c> when it is whole seconds, else <c>PX</c> (below a millisecond is dropped).</summary>
    /// <param name="duration">The time to live; greater than zero.</param>
    public static Expiration After(TimeSpan duration) => new(ExpirationArguments.After(duration));

    /// <summary>Expires at <paramref name="time"/>: <c>EXAT</c> when it is a whole second, else <c>PXAT</c> (below a millisecond is dropped).</summary>
    /// <param name="time">The moment the key expires; after the Unix epoch.</param>
    public static Expiration At(DateTimeOffset time) => new(ExpirationArguments.At(time));

    /// <summary>Keeps the time to live the key already has (<c>KEEPTTL</c>).</summary>
    public static Expiration KeepTtl => new(ExpirationKind.KeepTtl, 0);

    /// <summary>True for <c>default</c>, which sends no expiration argument.</summary>
    public bool IsNone => _kind == ExpirationKind.None;

    /// <inheritdoc/>
    public int ArgumentCount => ExpirationArguments.Count(_kind);

    /// <inheritdoc/>
    public void WriteTo(RespWriter writer) => ExpirationArguments.Write(writer, _kind, _value);

    /// <inheritdoc/>
    public bool Equals(Expiration other) => _kind == other._kind && _value == other._value;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Expiration other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_kind, _value);

    /// <summary>The arguments as sent: <c>EX 60</c>, <c>KEEPTTL</c>, or <c>(none)</c>.</summary>
    public override string ToString() => ExpirationArguments.Describe(_kind, _value);

    /// <summary>True when both send the same arguments.</summary>
    public static bool operator ==(Expiration left, Expiration right) => left.Equals(right);

    /// <summary>True when they send different arguments.</summary>
    public static bool operator !=(Expiration left, Expiration right) => !left.Equals(right);
}
