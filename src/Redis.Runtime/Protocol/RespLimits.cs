namespace Redis;

/// <summary>
/// Bounds on what a connection accepts from the server, so that malformed or hostile input ends
/// in a <see cref="RedisProtocolException"/> instead of unbounded memory or a stack overflow.
/// </summary>
public sealed record RespLimits
{
    /// <summary>The defaults: 512 MB bulks (the server's own maximum), 100 million elements per aggregate, nesting depth 128.</summary>
    public static RespLimits Default { get; } = new();

    /// <summary>The longest bulk string (and simple string line) accepted, in bytes. Default 512 MB.</summary>
    public int MaxBulkLength { get; init; } = 512 * 1024 * 1024;

    /// <summary>The most elements accepted in one array, set, push or map (a map counts its pairs). Default 100,000,000.</summary>
    public int MaxAggregateLength { get; init; } = 100_000_000;

    /// <summary>The deepest nesting of aggregates accepted. Default 128; at most 1024 (replies are built recursively).</summary>
    public int MaxDepth
    {
        get => _maxDepth;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1024);
            _maxDepth = value;
        }
    }

    private readonly int _maxDepth = 128;

    /// <summary>
    /// The most bytes a connection buffers for one reply. Default <see cref="Array.MaxLength"/>
    /// (a reply is held in one buffer); lower it to cap memory per connection.
    /// </summary>
    public int MaxBufferedBytes { get; init; } = Array.MaxLength;
}
