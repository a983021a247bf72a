using System.Buffers.Text;
using Microsoft.Extensions.Caching.Distributed;

namespace Redis.Extensions.Caching;

// The hash an entry is stored in, as ASP.NET Core's Redis cache (Microsoft.Extensions.Caching.StackExchangeRedis)
// writes and reads it, so that both caches share entries:
//   absexp  the absolute expiration as UTC DateTimeOffset ticks, or -1 for none
//   sldexp  the sliding window as TimeSpan ticks, or -1 for none
//   data    the value's bytes
// The key's time to live is the smaller of the time left to absexp and the sliding window (none: no TTL),
// so Redis drops the entry on its own; a read of an entry with a sliding window pushes the TTL forward.
// Its older versions wrote the three fields with a Lua script (HSET, then EXPIRE in seconds), current ones
// with HSET and EXPIRE pipelined in one batch; both read them with HMGET. This cache writes the same fields
// (absexp as UtcTicks: theirs writes DateTimeOffset.Ticks and reads them back as UTC, the same value for the
// zero-offset times it computes from UtcNow), sets the TTL in milliseconds (PEXPIRE) and reads all shapes.
internal static class CacheEntryLayout
{
    public const string AbsoluteExpirationField = "absexp";
    public const string SlidingExpirationField = "sldexp";
    public const string DataField = "data";
    public const long NotPresent = -1;

    // One round trip for a read that refreshes: the fields are read and the TTL moved in the same script.
    // The caller's clock comes in ARGV[1] (UTC ticks) rather than the server's TIME, because absexp was
    // computed on a client clock too (and TIME before a write is refused by old servers' script replication).
    // Lua numbers are doubles: tick values (~6.4e17) lose their last ~7 bits there, about 13 microseconds,
    // which does not matter once the difference is turned into whole milliseconds.
    // ARGV[2] is '1' when the caller wants the data back (Get), '0' for Refresh.
    // Returns the data (or 1 for Refresh), or nil when there is no entry or it has expired
    // (an entry found past its absolute expiration, e.g. written by a client whose clock runs late, is deleted).
    public static readonly Script Read = new(1, """
        local f = redis.call('HMGET', KEYS[1], 'absexp', 'sldexp', 'data')
        if not f[3] then return false end
        local now = tonumber(ARGV[1])
        local abs = tonumber(f[1])
        if abs == -1 then abs = nil end
        if abs and abs <= now then
          redis.call('DEL', KEYS[1])
          return false
        end
        local sld = tonumber(f[2])
        if sld and sld > 0 then
          local ms = math.floor(sld / 10000)
          if abs then
            local left = math.floor((abs - now) / 10000)
            if left < ms then ms = left end
          end
          if ms < 1 then
            redis.call('DEL', KEYS[1])
            return false
          end
          redis.call('PEXPIRE', KEYS[1], ms)
        end
        if ARGV[2] == '1' then return f[3] end
        return 1
        """);

    // One round trip for a write, and atomic: the fields and the TTL (or its removal, so that an entry
    // written without expiration over one that had a TTL does not inherit it) land together.
    // ARGV: absexp, sldexp, data, the TTL in milliseconds or -1 for none.
    public static readonly Script Write = new(1, """
        redis.call('HSET', KEYS[1], 'absexp', ARGV[1], 'sldexp', ARGV[2], 'data', ARGV[3])
        if ARGV[4] == '-1' then
          redis.call('PERSIST', KEYS[1])
        else
          redis.call('PEXPIRE', KEYS[1], ARGV[4])
        end
        return 1
        """);

    /// <summary>The field values and the key's time to live of an entry written at <paramref name="now"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The absolute expiration is not in the future (as ASP.NET Core's Redis cache).</exception>
    public static EntryTimes ForWrite(DateTimeOffset now, DistributedCacheEntryOptions options)
    {
        DateTimeOffset? absolute = options.AbsoluteExpiration;
        if (absolute is { } given && given <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(options), given, "The absolute expiration value must be in the future.");
        }
        if (options.AbsoluteExpirationRelativeToNow is { } relative) absolute = now + relative;
        TimeSpan? sliding = options.SlidingExpiration;

        TimeSpan? ttl = sliding;
        if (absolute is { } at)
        {
            TimeSpan left = at - now;
            if (ttl is null || left < ttl) ttl = left;
        }
        // Whole milliseconds, rounded down so that the key never outlives its absolute expiration.
        long ttlMs = ttl is { } t ? Math.Max(0, t.Ticks / TimeSpan.TicksPerMillisecond) : NotPresent;
        return new EntryTimes(
            absolute is { } a ? a.UtcTicks : NotPresent,
            sliding is { } s ? s.Ticks : NotPresent,
            ttlMs);
    }

    /// <summary>
    /// What a read of the fields <c>absexp</c>, <c>sldexp</c> means at <paramref name="nowTicks"/>:
    /// whether the entry is still live and, for a sliding entry, the TTL to set (milliseconds; -1 for none).
    /// The same rules as <see cref="Read"/>'s script, for servers without scripting.
    /// </summary>
    public static bool IsLive(object? absoluteField, object? slidingField, long nowTicks, out long refreshMs)
    {
        refreshMs = NotPresent;
        long absolute = ParseTicks(absoluteField);
        if (absolute != NotPresent && absolute <= nowTicks) return false;
        long sliding = ParseTicks(slidingField);
        if (sliding <= 0) return true;
        long ms = sliding / TimeSpan.TicksPerMillisecond;
        if (absolute != NotPresent) ms = Math.Min(ms, (absolute - nowTicks) / TimeSpan.TicksPerMillisecond);
        if (ms < 1) return false;
        refreshMs = ms;
        return true;
    }

    // A field as HMGET returns it: a decimal integer, or nil when the field is missing (read as "not present").
    private static long ParseTicks(object? field) => field switch
    {
        byte[] bytes when Utf8Parser.TryParse(bytes, out long value, out int used) && used == bytes.Length => value,
        long value => value,
        _ => NotPresent,
    };
}

/// <summary>The stored expiration fields of an entry and its key's TTL (milliseconds; 0: already expired; -1: none).</summary>
internal readonly record struct EntryTimes(long AbsoluteTicks, long SlidingTicks, long TtlMs);
