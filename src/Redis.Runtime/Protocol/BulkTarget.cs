namespace Redis;

/// <summary>
/// Where a large reply that is one bulk string is read to once its header has arrived (see
/// <see cref="RespDecoder"/>): into the decoder's own buffer, or straight from the transport into an
/// array of the payload's exact length (handed over as the result, as a <c>byte[]</c> reply is), or
/// into a pooled array (handed over as a <see cref="RedisLease"/>).
/// </summary>
internal enum BulkTarget
{
    /// <summary>The decoder's buffer (grown as bytes arrive): for parsers that read the payload as a span.</summary>
    Buffer,

    /// <summary>A new array of exactly the payload's length, which becomes the <c>byte[]</c> result.</summary>
    Exact,

    /// <summary>An array rented from <see cref="System.Buffers.ArrayPool{T}.Shared"/>, which becomes a <see cref="RedisLease"/>.</summary>
    Pooled,
}
