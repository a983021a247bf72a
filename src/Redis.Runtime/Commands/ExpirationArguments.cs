using System.Globalization;

namespace Redis;

/// <summary>What <see cref="Expiration"/> and <see cref="ExpirationUpdate"/> share: checks, counting and writing.</summary>
internal static class ExpirationArguments
{
    public static long Positive(long value, string name)
    {
        // The server rejects 0 and negative times ("invalid expire time"): say so before sending.
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, name);
        return value;
    }

    public static long Positive(TimeSpan value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero, name);
        return (long)value.TotalMilliseconds;
    }

    // A point in time as EXAT (whole seconds) or PXAT (anything finer); below a millisecond is dropped.
    public static (ExpirationKind Kind, long Value) At(DateTimeOffset time)
    {
        long milliseconds = time.ToUnixTimeMilliseconds();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(milliseconds, nameof(time));
        return milliseconds % 1000 == 0 ? (ExpirationKind.UnixSeconds, milliseconds / 1000) : (ExpirationKind.UnixMilliseconds, milliseconds);
    }

    // A duration as EX (whole seconds) or PX.
    public static (ExpirationKind Kind, long Value) After(TimeSpan duration)
    {
        long milliseconds = Positive(duration, nameof(duration));
        if (milliseconds == 0) milliseconds = 1;
        return milliseconds % 1000 == 0 ? (ExpirationKind.Seconds, milliseconds / 1000) : (ExpirationKind.Milliseconds, milliseconds);
    }

    public static int Count(ExpirationKind kind) => kind switch
    {
        ExpirationKind.None => 0,
        ExpirationKind.KeepTtl or ExpirationKind.Persist => 1,
        _ => 2,
    };

    public static void Write(RespWriter writer, ExpirationKind kind, long value)
    {
        switch (kind)
        {
            case ExpirationKind.None:
                return;
            case ExpirationKind.KeepTtl:
                writer.WriteBulkString("KEEPTTL"u8);
                return;
            case ExpirationKind.Persist:
                writer.WriteBulkString("PERSIST"u8);
                return;
        }
        writer.WriteBulkString(kind switch
        {
            ExpirationKind.Seconds => "EX"u8,
            ExpirationKind.Milliseconds => "PX"u8,
            ExpirationKind.UnixSeconds => "EXAT"u8,
            _ => "PXAT"u8,
        });
        writer.WriteBulkString(value);
    }

    public static string Describe(ExpirationKind kind, long value) => kind switch
    {
        ExpirationKind.None => "(none)",
        ExpirationKind.KeepTtl => "KEEPTTL",
        ExpirationKind.Persist => "PERSIST",
        ExpirationKind.Seconds => "EX " + value.ToString(CultureInfo.InvariantCulture),
        ExpirationKind.Milliseconds => "PX " + value.ToString(CultureInfo.InvariantCulture),
        ExpirationKind.UnixSeconds => "EXAT " + value.ToString(CultureInfo.InvariantCulture),
        _ => "PXAT " + value.ToString(CultureInfo.InvariantCulture),
    };
}
