using System.Collections.Concurrent;
using System.Globalization;

namespace Redis.Tests.Faults;

/// <summary>The outcome counts of a fault run (thread-safe).</summary>
public sealed class FaultTally
{
    private long _rounds;
    private long _checked;
    private long _misdelivered;
    private long _connectionErrors;
    private long _timeouts;
    private long _brokenReused;
    private long _brokenLent;
    private readonly ConcurrentQueue<string> _problems = new();

    /// <summary>Rounds run (a dial or borrow and the operations on it).</summary>
    public long Rounds => Interlocked.Read(ref _rounds);

    /// <summary>Replies compared with the value their own operation expects.</summary>
    public long RepliesChecked => Interlocked.Read(ref _checked);

    /// <summary>Replies that were not the expected one (a reply for another operation, or garbage). Must be 0.</summary>
    public long Misdelivered => Interlocked.Read(ref _misdelivered);

    /// <summary>Calls that failed with <see cref="RedisConnectionException"/> (timeouts included).</summary>
    public long ConnectionErrors => Interlocked.Read(ref _connectionErrors);

    /// <summary>Of <see cref="ConnectionErrors"/>, the <see cref="RedisTimeoutException"/>s.</summary>
    public long Timeouts => Interlocked.Read(ref _timeouts);

    /// <summary>A broken connection that accepted another call or had no <c>Err</c>. Must be 0.</summary>
    public long BrokenReused => Interlocked.Read(ref _brokenReused);

    /// <summary>A pool lent a connection whose <c>Err</c> was set. Must be 0.</summary>
    public long BrokenLent => Interlocked.Read(ref _brokenLent);

    /// <summary>Exceptions of any other type, and misdelivery details. Must be empty.</summary>
    public IReadOnlyCollection<string> Problems => _problems;

    internal void Round() => Interlocked.Increment(ref _rounds);

    internal void Checked() => Interlocked.Increment(ref _checked);

    internal void Misdelivery(string detail)
    {
        Interlocked.Increment(ref _misdelivered);
        Problem("misdelivered: " + detail);
    }

    /// <summary>Counts a checked reply, and a misdelivery when it is not the value its own operation expects.</summary>
    internal void Expect(object? reply, object? expected, string context)
    {
        Checked();
        bool same = (expected, reply) switch
        {
            (null, null) => true,
            (string e, byte[] r) => System.Text.Encoding.UTF8.GetString(r) == e,
            (string e, string r) => r == e,
            (long e, long r) => r == e,
            _ => false,
        };
        if (!same) Misdelivery($"{context}: expected {Show(expected)}, got {Show(reply)}");
    }

    private static string Show(object? value) => value switch
    {
        null => "nil",
        byte[] b => "\"" + System.Text.Encoding.UTF8.GetString(b) + "\"",
        _ => $"{value} ({value.GetType().Name})",
    };

    internal void ConnectionError(RedisConnectionException ex)
    {
        Interlocked.Increment(ref _connectionErrors);
        if (ex is RedisTimeoutException) Interlocked.Increment(ref _timeouts);
    }

    internal void BrokenConnectionReused(string detail)
    {
        Interlocked.Increment(ref _brokenReused);
        Problem("broken connection reused: " + detail);
    }

    internal void BrokenConnectionLent()
    {
        Interlocked.Increment(ref _brokenLent);
        Problem("the pool lent a broken connection");
    }

    internal void Problem(string detail)
    {
        if (_problems.Count < 50) _problems.Enqueue(detail);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Rounds} rounds, {RepliesChecked} replies checked, {Misdelivered} misdelivered, {ConnectionErrors} failed calls ({Timeouts} timeouts), " +
        $"{BrokenReused} broken connections reused, {BrokenLent} broken connections lent, {Problems.Count} other problems");
}
