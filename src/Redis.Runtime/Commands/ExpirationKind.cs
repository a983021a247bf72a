namespace Redis;

/// <summary>Which expiration argument an <see cref="Expiration"/> or <see cref="ExpirationUpdate"/> sends (default: none).</summary>
internal enum ExpirationKind : byte
{
    None,
    Seconds,
    Milliseconds,
    UnixSeconds,
    UnixMilliseconds,
    KeepTtl,
    Persist,
}
