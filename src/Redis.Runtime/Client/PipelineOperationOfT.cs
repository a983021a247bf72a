using System.Threading.Tasks.Sources;

namespace Redis;

/// <summary>
/// A <see cref="PipelineOperation"/> with a result: the reply is parsed on the reader thread by
/// <see cref="Parse"/> and handed to the caller through the pooled value-task source (async) or a
/// field read after the event (sync).
/// </summary>
internal abstract class PipelineOperation<TResult> : PipelineOperation, IValueTaskSource<TResult>
{
    // Continuations never run on the reader thread: user code there would stall every other caller
    // (or deadlock, if it called the client synchronously).
    private ManualResetValueTaskSourceCore<TResult> _core = new() { RunContinuationsAsynchronously = true };
    private TResult _result = default!;

    /// <summary>The async caller's handle on this call.</summary>
    public ValueTask<TResult> AsValueTask() => new(this, _core.Version);

    /// <summary>
    /// Waits (synchronously) for the reply and returns it, or throws its error; releases the caller's reference.
    /// <paramref name="spinTicks"/> (Stopwatch ticks, 0 for none): how long to spin before blocking.
    /// </summary>
    public TResult WaitForResult(int timeoutMs, long spinTicks = 0)
    {
        try
        {
            WaitSync(timeoutMs, spinTicks);
            if (Error is { } error) throw error;
            return _result;
        }
        finally
        {
            _result = default!;
            ReleaseCaller();
        }
    }

    /// <summary>Reads the reply into the result. Runs on the reader thread over a complete frame; may throw (error reply, type mismatch).</summary>
    private protected abstract TResult Parse(ReadOnlySpan<byte> frame, DetachedBulk? bulk);

    /// <inheritdoc />
    public sealed override void Complete(ReadOnlySpan<byte> frame, DetachedBulk? bulk)
    {
        if (IsPending)
        {
            TResult result = default!;
            Exception? error = null;
            try
            {
                result = Parse(frame, bulk);
            }
            catch (Exception ex)
            {
                error = ex;
            }
            if (TryEnd(StateCompleted))
            {
                EndTelemetry(error);
                if (IsSync)
                {
                    _result = result;
                    Error = error;
                    // A sync caller holds its reference until it has seen the signal, so the pipeline can
                    // let go first: the caller, not the reader thread, then recycles the object (into its
                    // own thread's cache, where its next call finds it).
                    ReleasePipeline();
                    SignalSync();
                    return;
                }
                if (error is null)
                {
                    _core.SetResult(result);
                }
                else
                {
                    _core.SetException(error);
                }
            }
        }
        ReleasePipeline();
    }

    private protected sealed override void SignalError(Exception error)
    {
        if (IsSync)
        {
            Error = error;
            SignalSync();
        }
        else
        {
            _core.SetException(error);
        }
    }

    private protected sealed override void ResetCore()
    {
        _result = default!;
        _core.Reset();
    }

    TResult IValueTaskSource<TResult>.GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            ReleaseCaller();
        }
    }

    // An await asks for the status first: the caller is about to wait, so a burst of calls it started is
    // written now (see WriteBurst). OnCompleted does the same for callers that skip the status check.
    ValueTaskSourceStatus IValueTaskSource<TResult>.GetStatus(short token)
    {
        WriteBurst.End();
        return _core.GetStatus(token);
    }

    void IValueTaskSource<TResult>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        WriteBurst.End();
        _core.OnCompleted(continuation, state, token, flags);
    }
}
