using System.Diagnostics;

namespace Redis;

/// <summary>
/// One command in flight on a <see cref="RedisClient"/>'s shared connection: the caller's side (a
/// sync wait or a <see cref="ValueTask{TResult}"/>) and the pipeline's side (the reply, or the failure
/// of the connection). Pooled: each object serves many calls.
/// </summary>
/// <remarks>
/// <para>The reply and the caller's own ending (cancellation, timeout) race through one compare-and-swap
/// on a word holding the call number and the state, so exactly one of them completes the call. When the
/// caller gives up first, the operation stays in the pipeline's queue: its reply is still read and dropped,
/// so the stream never slips out of step.</para>
/// <para>Two references keep an operation alive, the caller's and the pipeline's; the last one released
/// recycles it. For an async caller the pipeline releases its reference only after completing the value-task
/// source, so a recycled object can never be signalled for an earlier call. A sync caller always waits for
/// the signal before releasing, so there the pipeline releases first and the caller's thread recycles the
/// object into its own cache.</para>
/// </remarks>
internal abstract partial class PipelineOperation
{
    private protected const long StatePending = 0;
    private protected const long StateCompleted = 1;
    private protected const long StateAbandoned = 2;
    private const long StateMask = 3;

    private static readonly TimerCallback TimerFired = static state => ((PipelineOperation)state!).OnTimer();
    private static readonly Action<object?, CancellationToken> Cancelled = static (state, token) => ((PipelineOperation)state!).OnCancelled(token);

    private long _word;          // (call number << 2) | state
    private int _refs;
    private long _deadline;      // Stopwatch timestamp of the armed timeout
    private long _deadlineCall;  // the call number _deadline belongs to
    private long _timerDue = long.MaxValue;  // when the timer fires next (Stopwatch timestamp); MaxValue when it is not scheduled
    private int _timeoutMs;
    private Timer? _timer;
    private CancellationTokenRegistration _registration;
    private ManualResetEventSlim? _event;
    private string? _command;    // for timeout messages: a name the caller passed, never an argument

    /// <summary>True for a synchronous caller (waits on an event); false for a <see cref="ValueTask"/>.</summary>
    private protected bool IsSync { get; private set; }

    /// <summary>True while a synchronous caller owns this call.</summary>
    public bool IsSynchronous => IsSync;

    /// <summary>The error a synchronous caller gets (set by whoever completes the call).</summary>
    private protected Exception? Error { get; set; }

    /// <summary>Starts a new call: both references taken, state pending.</summary>
    public void Start(bool sync, string? command)
    {
        IsSync = sync;
        _command = command;
        if (sync) _event ??= new ManualResetEventSlim(false, 1);
        _refs = 2;
        Volatile.Write(ref _word, ((Volatile.Read(ref _word) >> 2) + 1) << 2 | StatePending);
    }

    /// <summary>A call that never reached the pipeline (refused, or its command failed to encode): recycle now.</summary>
    public void Discard()
    {
        _refs = 0;
        Volatile.Write(ref _word, (Volatile.Read(ref _word) & ~StateMask) | StateAbandoned);
        Recycle();
    }

    /// <summary>
    /// The pipeline side: parses <paramref name="frame"/> as this call's reply and completes it (if the caller
    /// has not given up), then releases. <paramref name="bulk"/> is the payload of a bulk read outside the buffer.
    /// </summary>
    public abstract void Complete(ReadOnlySpan<byte> frame, DetachedBulk? bulk);

    /// <summary>Where this call's reply goes when it is one large bulk string (see <see cref="Redis.BulkTarget"/>).</summary>
    public virtual BulkTarget BulkTarget => BulkTarget.Buffer;

    /// <summary>The pipeline side: the reply will never come (connection lost, client disposed).</summary>
    public void Fail(Exception error)
    {
        if (TryEnd(StateCompleted))
        {
            EndTelemetry(error);
            if (IsSync)
            {
                Error = error;
                ReleasePipeline(); // as in Complete: the sync caller releases after the signal
                SignalSync();
                return;
            }
            SignalError(error);
        }
        ReleasePipeline();
    }

    /// <summary>Arms the caller-side endings of an async call: the timeout and the cancellation token.</summary>
    /// <remarks>
    /// The timer is not re-armed per call, which would cost two <see cref="Timer.Change(int, int)"/> calls (each
    /// taking the timer queue's lock) per command: a timer already due at or before this call's deadline is left
    /// as it is, and when it fires it re-arms itself for the call then in progress (see <see cref="OnTimer"/>).
    /// With one timeout per client, deadlines only move forward, so a busy operation object arms its timer about
    /// once per timeout period instead of twice per call. The barrier pairs with the exchange in
    /// <see cref="OnTimer"/>: either this call sees the timer as not scheduled and arms it, or the firing timer
    /// sees this call's deadline and re-arms for it.
    /// </remarks>
    public void Arm(int timeoutMs, CancellationToken cancellationToken)
    {
        if (timeoutMs != Timeout.Infinite)
        {
            _timeoutMs = timeoutMs;
            long deadline = Stopwatch.GetTimestamp() + timeoutMs * Stopwatch.Frequency / 1000;
            Volatile.Write(ref _deadline, deadline);
            Volatile.Write(ref _deadlineCall, Volatile.Read(ref _word) >> 2);
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref _timerDue) > deadline)
            {
                _timer ??= CreateTimer();
                Volatile.Write(ref _timerDue, deadline);
                _timer.Change(timeoutMs, Timeout.Infinite);
            }
        }
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(Cancelled, this);
        }
    }

    // The timer outlives the call that created it: it must not capture (and keep alive) that caller's
    // execution context and async-locals.
    private Timer CreateTimer()
    {
        if (ExecutionContext.IsFlowSuppressed()) return new Timer(TimerFired, this, Timeout.Infinite, Timeout.Infinite);
        using (ExecutionContext.SuppressFlow())
        {
            return new Timer(TimerFired, this, Timeout.Infinite, Timeout.Infinite);
        }
    }

    /// <summary>Blocks a synchronous caller until the reply (or failure) arrives, or the timeout passes.</summary>
    private protected void WaitSync(int timeoutMs, long spinTicks = 0)
    {
        ManualResetEventSlim signal = _event!;
        if (spinTicks > 0 && SpinUntilSet(signal, spinTicks)) return;
        if (signal.Wait(timeoutMs)) return;
        if (TryEnd(StateAbandoned))
        {
            Error = TimeoutError(timeoutMs);
            EndTelemetry(Error);
            return;
        }
        signal.Wait(); // the pipeline won the race and is signalling right now
    }

    // A lone synchronous caller: a loopback round trip takes tens of microseconds, and blocking on the event
    // costs a sleep and a wake-up (a futex round) on top of the reader thread's own. Spinning on the event's
    // state for about one round trip hands the reply over without that wake-up; past the budget it blocks.
    private static bool SpinUntilSet(ManualResetEventSlim signal, long spinTicks)
    {
        long until = Stopwatch.GetTimestamp() + spinTicks;
        while (!signal.IsSet)
        {
            Thread.SpinWait(16);
            if (Stopwatch.GetTimestamp() > until) return signal.IsSet;
        }
        return true;
    }

    /// <summary>True when this call is still pending.</summary>
    private protected bool IsPending => (Volatile.Read(ref _word) & StateMask) == StatePending;

    /// <summary>Moves the current call from pending to <paramref name="state"/>; false when someone else ended it first.</summary>
    private protected bool TryEnd(long state)
    {
        long word = Volatile.Read(ref _word);
        if ((word & StateMask) != StatePending) return false;
        return Interlocked.CompareExchange(ref _word, (word & ~StateMask) | state, word) == word;
    }

    /// <summary>Wakes a synchronous caller (the result or <see cref="Error"/> is already stored).</summary>
    private protected void SignalSync() => _event!.Set();

    /// <summary>Completes the call with <paramref name="error"/> (sync: stored and signalled; async: the task faults).</summary>
    private protected abstract void SignalError(Exception error);

    /// <summary>The caller side is done (result taken): undo the arming and release the caller's reference.</summary>
    private protected void ReleaseCaller()
    {
        if (_registration != default)
        {
            _registration.Dispose(); // waits for a cancellation callback running right now
            _registration = default;
        }
        // The timer stays scheduled: it serves the next call of this object (see Arm).
        Release();
    }

    /// <summary>The pipeline is done with this call.</summary>
    private protected void ReleasePipeline() => Release();

    private void Release()
    {
        if (Interlocked.Decrement(ref _refs) == 0) Recycle();
    }

    private void Recycle()
    {
        Error = null;
        _command = null;
        _event?.Reset();
        ResetCore();
        ReturnToCache();
    }

    /// <summary>Clears the result and readies the value-task source for the next call.</summary>
    private protected abstract void ResetCore();

    /// <summary>Puts this object back in its type's <see cref="OperationCache{T}"/>.</summary>
    private protected abstract void ReturnToCache();

    /// <summary>The cache is full: release what the object holds.</summary>
    public void Drop()
    {
        _timer?.Dispose();
        _timer = null;
        _timerDue = long.MaxValue;
        _event?.Dispose();
        _event = null;
    }

    private RedisTimeoutException TimeoutError(int timeoutMs)
        => new($"No reply to {_command ?? "the command"} within the command timeout of {timeoutMs} ms. The connection is kept; the late reply will be dropped.");

    // The timer is left scheduled from call to call (see Arm), so it may fire at an earlier call's deadline:
    // then it re-arms for the deadline of the call in progress, or does nothing when no armed call is in
    // progress. The compare-and-swap in TryEnd only accepts the call that is current, and the deadline
    // check (against the deadline of that very call) keeps a stale firing from ending it early.
    private void OnTimer()
    {
        Interlocked.Exchange(ref _timerDue, long.MaxValue);
        long word = Volatile.Read(ref _word);
        if ((word & StateMask) != StatePending) return;
        if (Volatile.Read(ref _deadlineCall) != word >> 2) return; // not armed (yet): its Arm schedules the timer
        long deadline = Volatile.Read(ref _deadline);
        long now = Stopwatch.GetTimestamp();
        if (now < deadline)
        {
            // Early: an earlier call's schedule (or timer granularity). No slack here: a timer left at an earlier
            // call's deadline may fire just before this call's, and must not end it early.
            Volatile.Write(ref _timerDue, deadline);
            _timer?.Change((int)Math.Min(int.MaxValue, (deadline - now) * 1000 / Stopwatch.Frequency + 1), Timeout.Infinite);
            return;
        }
        if (Interlocked.CompareExchange(ref _word, (word & ~StateMask) | StateAbandoned, word) == word)
        {
            RedisTimeoutException timeout = TimeoutError(_timeoutMs);
            EndTelemetry(timeout);
            SignalError(timeout);
        }
    }

    private void OnCancelled(CancellationToken token)
    {
        if (TryEnd(StateAbandoned))
        {
            var cancelled = new OperationCanceledException("The wait for the reply was cancelled; the connection is kept and the late reply will be dropped.", token);
            EndTelemetry(cancelled);
            SignalError(cancelled);
        }
    }
}
