using System.Diagnostics;

namespace Redis;

// The stall watchdog: a command timeout keeps the shared connection (the late reply is dropped), so
// a connection that has gone completely silent while replies are owed (a hung server, a black-holed
// path that still acknowledges TCP) would time every command out forever. A timer samples the bytes
// the reader has read; when nothing arrived for ClientOptions.StallTimeout while commands were owed,
// the connection is aborted: callers in flight fail with RedisConnectionException and the reader
// reconnects as after any other loss.
public sealed partial class RedisClient
{
    private readonly Lock _stallGate = new();
    private Timer? _stallTimer;
    private ClientTransport? _stallTransport;  // guarded by _stallGate
    private long _stallBytes;
    private long _stallSince;

    private void StartStallWatchdog()
    {
        TimeSpan stall = _options.StallTimeout;
        if (stall <= TimeSpan.Zero) return;
        TimeSpan period = TimeSpan.FromTicks(Math.Clamp(stall.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(5).Ticks));
        // No ExecutionContext capture: the timer must not keep a caller's context (or AsyncLocals) alive.
        using (ExecutionContext.SuppressFlow())
        {
            _stallTimer = new Timer(static state => ((RedisClient)state!).CheckForStall(), this, period, period);
        }
    }

    private void StopStallWatchdog() => _stallTimer?.Dispose();

    private void CheckForStall()
    {
        if (!_stallGate.TryEnter()) return; // the previous tick is still running
        try
        {
            ClientTransport? transport;
            long owed;
            lock (_writeLock)
            {
                transport = _transport;
                owed = _commands - _failedInFlight - Volatile.Read(ref _replies);
            }
            long now = Stopwatch.GetTimestamp();
            if (transport is null || owed <= 0)
            {
                _stallTransport = null;
                return;
            }
            long bytes = transport.BytesRead;
            if (!ReferenceEquals(_stallTransport, transport) || bytes != _stallBytes)
            {
                _stallTransport = transport;
                _stallBytes = bytes;
                _stallSince = now;
                return;
            }
            TimeSpan silent = Stopwatch.GetElapsedTime(_stallSince, now);
            if (silent >= _options.StallTimeout)
            {
                _stallTransport = null;
                transport.Abort(new RedisTimeoutException(
                    $"No reply from {Endpoint} for {silent.TotalMilliseconds:0} ms while {owed} command(s) were owed (StallTimeout); the connection was closed and will be replaced."));
            }
        }
        finally
        {
            _stallGate.Exit();
        }
    }
}
