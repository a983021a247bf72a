using System.Diagnostics;

namespace Redis;

// The watchdog: a command timeout keeps the shared connection (the late reply is dropped), so a
// connection that stops delivering replies while they are owed would time every command out forever.
// A timer samples what the reader has read and ends the connection in two cases:
//   - silence: not one byte arrived for ClientOptions.StallTimeout (a hung server, a black-holed path
//     that still acknowledges TCP);
//   - a reply that takes too long: bytes of a reply keep arriving but it has not completed within
//     ClientOptions.ReplyTimeout (a huge value trickled by a slow or hostile server: the bytes keep the
//     silence rule quiet while the reply holds every caller behind it, and the decoder's buffer grows).
// Either way the connection is aborted: callers in flight fail with RedisConnectionException and the
// reader reconnects as after any other loss.
public sealed partial class RedisClient
{
    private readonly Lock _stallGate = new();
    private Timer? _stallTimer;
    // Guarded by _stallGate.
    private ClientTransport? _stallTransport;  // the connection the samples below are about
    private long _stallBytes;                  // bytes read at the last sample that saw bytes move
    private long _stallSince;                  // when they last moved
    private long _replyFrames;                 // frames completed at the last sample that saw one complete
    private long _replyStartBytes;             // bytes read at that sample: more than this is a reply under way
    private long _replySince;                  // when bytes of the reply under way were first seen (0: none)

    private void StartStallWatchdog()
    {
        TimeSpan stall = _options.StallTimeout, reply = _options.EffectiveReplyTimeout;
        TimeSpan shortest = stall <= TimeSpan.Zero ? reply : reply <= TimeSpan.Zero ? stall : (stall < reply ? stall : reply);
        if (shortest <= TimeSpan.Zero) return;
        TimeSpan period = TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(5).Ticks));
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
            long frames = Volatile.Read(ref _frames);
            if (!ReferenceEquals(_stallTransport, transport))
            {
                _stallTransport = transport;
                _stallBytes = _replyStartBytes = bytes;
                _stallSince = now;
                _replyFrames = frames;
                _replySince = 0;
                return;
            }

            TimeSpan stallTimeout = _options.StallTimeout;
            if (bytes != _stallBytes)
            {
                _stallBytes = bytes;
                _stallSince = now;
            }
            else if (stallTimeout > TimeSpan.Zero && Stopwatch.GetElapsedTime(_stallSince, now) is var silent && silent >= stallTimeout)
            {
                _stallTransport = null;
                transport.Abort(new RedisTimeoutException(
                    $"No reply from {Endpoint} for {silent.TotalMilliseconds:0} ms while {owed} command(s) were owed (StallTimeout); the connection was closed and will be replaced."));
                return;
            }

            TimeSpan replyTimeout = _options.EffectiveReplyTimeout;
            if (frames != _replyFrames)
            {
                _replyFrames = frames;
                _replyStartBytes = bytes;
                _replySince = 0;
            }
            else if (bytes != _replyStartBytes)
            {
                if (_replySince == 0)
                {
                    _replySince = now;
                }
                else if (replyTimeout > TimeSpan.Zero && Stopwatch.GetElapsedTime(_replySince, now) is var receiving && receiving >= replyTimeout)
                {
                    _stallTransport = null;
                    transport.Abort(new RedisTimeoutException(
                        $"A reply from {Endpoint} was still incomplete after {receiving.TotalMilliseconds:0} ms of receiving ({bytes - _replyStartBytes} bytes so far; ReplyTimeout); the connection was closed and will be replaced."));
                }
            }
        }
        finally
        {
            _stallGate.Exit();
        }
    }
}
