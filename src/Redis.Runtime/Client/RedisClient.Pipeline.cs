namespace Redis;

// The shared pipeline: callers append encoded commands under the write lock and queue their
// operation in the same order; whoever finds no write in progress flushes everything queued.
public sealed partial class RedisClient
{
    /// <summary>
    /// Sends one command and returns its reply, converted as <see cref="IConn.Do"/> converts replies
    /// (an error reply is thrown as <see cref="RedisServerException"/>). Thread-safe; blocks only the
    /// calling thread. Blocking commands run on a dedicated connection; transactions, subscriptions and
    /// connection-changing commands are refused (see the class remarks).
    /// </summary>
    /// <exception cref="ArgumentException">An empty command name, or an argument of an unsupported type (nothing was sent).</exception>
    /// <exception cref="InvalidOperationException">The command cannot run on a shared connection (the message names the alternative).</exception>
    /// <exception cref="RedisServerException">The server answered with an error.</exception>
    /// <exception cref="RedisTimeoutException">No reply within <see cref="ClientOptions.CommandTimeout"/> (the connection is kept).</exception>
    /// <exception cref="RedisConnectionException">The connection broke before the reply arrived, or is down.</exception>
    /// <exception cref="ObjectDisposedException">The client is disposed.</exception>
    public object? Do(string command, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(command);
        args ??= [null];
        CheckCommandName(command);
        CommandRoute route = CommandRouting.Classify(CommandTable.Find(command, args.Length > 0 ? args[0] : null), args);
        if (route != CommandRoute.Shared) return DoDedicated(command, args, route);
        ThrowIfReaderThread();

        RawOperation operation = RawOperation.Rent();
        operation.Start(sync: true, command);
        bool flush;
        try
        {
            Task? wait;
            while ((wait = TryEnqueueRaw(operation, command, args, out flush)) is not null) WaitForConnection(wait);
        }
        catch
        {
            operation.Discard();
            throw;
        }
        if (flush) FlushLoop();
        return operation.WaitForResult(_timeoutMs, SyncSpinTicks());
    }

    /// <summary>
    /// How long a synchronous caller spins for its reply before blocking, in microseconds (0: never spins).
    /// Internal so the benchmarks can compare settings; see <see cref="SyncSpinTicks"/>.
    /// </summary>
    internal static int SyncSpinMicroseconds = 50;

    // Spinning pays only for a caller alone on the connection with a core to spare: with other commands
    // in flight the reader thread is busy with their replies first, and many spinning callers would take
    // the cores the reader and the server need.
    private long SyncSpinTicks()
    {
        int microseconds = SyncSpinMicroseconds;
        if (microseconds <= 0 || Environment.ProcessorCount < 2) return 0;
        long inFlight = Volatile.Read(ref _commands) - Volatile.Read(ref _failedInFlight) - Volatile.Read(ref _replies);
        return inFlight <= 1 ? microseconds * System.Diagnostics.Stopwatch.Frequency / 1_000_000 : 0;
    }

    /// <summary>The asynchronous twin of <see cref="Do"/>, without cancellation.</summary>
    public ValueTask<object?> DoAsync(string command, params object?[] args)
        => DoAsync(command, args ?? [null], CancellationToken.None);

    /// <summary>
    /// The asynchronous twin of <see cref="Do"/>. Cancelling ends the wait at once with
    /// <see cref="OperationCanceledException"/>; the command keeps its place in the pipeline and its reply
    /// is dropped when it arrives, so the connection stays in step and is kept (the command may still run).
    /// </summary>
    public ValueTask<object?> DoAsync(string command, IReadOnlyList<object?> args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(args);
        CheckCommandName(command);
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<object?>(cancellationToken);
        object?[] array = args as object?[] ?? [.. args];
        CommandRoute route = CommandRouting.Classify(CommandTable.Find(command, array.Length > 0 ? array[0] : null), array);
        if (route != CommandRoute.Shared) return DoDedicatedAsync(command, array, route, cancellationToken);

        RawOperation operation = RawOperation.Rent();
        operation.Start(sync: false, command);
        Task? wait;
        bool flush;
        try
        {
            wait = TryEnqueueRaw(operation, command, array, out flush);
        }
        catch (Exception ex)
        {
            operation.Discard();
            return ValueTask.FromException<object?>(ex);
        }
        if (wait is not null)
        {
            operation.Discard();
            return DoAfterConnectAsync(wait, command, array, cancellationToken);
        }
        operation.Arm(_timeoutMs, cancellationToken);
        if (flush) FlushLoop();
        return operation.AsValueTask();
    }

    private async ValueTask<object?> DoAfterConnectAsync(Task wait, string command, object?[] args, CancellationToken cancellationToken)
    {
        await WaitForConnectionAsync(wait, cancellationToken).ConfigureAwait(false);
        return await DoAsync(command, args, cancellationToken).ConfigureAwait(false);
    }

    // Appends the command and queues its operation; null when done, else the connect attempt to wait for.
    private Task? TryEnqueueRaw(PipelineOperation operation, string command, ReadOnlySpan<object?> args, out bool flush)
    {
        flush = false;
        lock (_writeLock)
        {
            if (_state != State.Connected) return NotWritableLocked();
            int before = _active.Length;
            try
            {
                _active.WriteCommand(command, args); // checks every argument before writing a byte
            }
            catch
            {
                _active.Truncate(before); // a command too large for a buffer may fail part-way
                throw;
            }
            if (_cache is not null) EvictWrittenKeys(default, _active.WrittenSpan[before..]);
            if (RedisTelemetry.IsEnabled) operation.BeginTelemetry(TelemetryTarget, command, args);
            _queued.Enqueue(operation);
            _commands++;
            flush = ClaimFlushLocked(operation.IsSynchronous);
        }
        return null;
    }

    // Decides, under the lock, who writes the command just queued. A thread already in FlushLoop will
    // (it loops until the buffer is empty). Otherwise a synchronous caller writes itself, always: it must
    // never wait for a thread-pool work item. An asynchronous caller:
    // - that has queued other commands since it last awaited (a burst: calls started, then awaited) leaves
    //   the write to its own first await (WriteBurst.End), so the burst goes out in one write; it writes at
    //   once only when the buffer is large. A timer is the backstop for a burst that is never awaited.
    // - else writes itself when the connection is idle (lowest latency);
    // - else, with replies still outstanding, schedules the write as a work item behind the continuations
    //   already queued, so the commands those continuations send join the same batch: one socket write per
    //   wave of replies instead of one per command.
    private bool ClaimFlushLocked(bool synchronous)
    {
        if (_flushing) return false;
        if (synchronous)
        {
            _flushing = true;
            return true;
        }
        if (WriteBurst.Add(this) >= 2)
        {
            if (_active.Length >= BurstWriteBytes)
            {
                _flushing = true;
                return true;
            }
            if (_burstThread == 0)
            {
                _burstThread = Environment.CurrentManagedThreadId;
                ArmBurstTimerLocked();
            }
            return false;
        }
        if (_commands - _failedInFlight - Volatile.Read(ref _replies) <= 1)
        {
            _flushing = true;
            return true;
        }
        if (!_flushScheduled)
        {
            _flushScheduled = true;
            ThreadPool.UnsafeQueueUserWorkItem(_scheduledFlush ??= new ScheduledFlush(this), preferLocal: false);
        }
        return false;
    }

    // A burst writes by itself once this much is queued: bounds the buffer and the first reply's wait.
    private const int BurstWriteBytes = 32 * 1024;

    /// <summary>
    /// How long a burst may stay unwritten when its thread never awaits (fire and forget): the backstop, in
    /// milliseconds. Internal so a test can keep a slow machine's preemption from cutting a burst in two.
    /// </summary>
    internal int BurstTimeoutMilliseconds { get; set; } = 1;

    /// <summary>The thread of <see cref="WriteBurst"/> awaits: write what is queued (its burst and anything else).</summary>
    internal void EndBurst()
    {
        lock (_writeLock)
        {
            _burstThread = 0;
            if (_flushing || _active.Length == 0 || _state != State.Connected) return;
            _flushing = true;
        }
        FlushLoop();
    }

    private void ArmBurstTimerLocked()
    {
        if (_burstTimerArmed) return;
        _burstTimerArmed = true;
        if (_burstTimer is null)
        {
            // The timer outlives the call that arms it: it must not capture that caller's execution context.
            if (ExecutionContext.IsFlowSuppressed())
            {
                _burstTimer = new Timer(BurstTimerFired, this, Timeout.Infinite, Timeout.Infinite);
            }
            else
            {
                using (ExecutionContext.SuppressFlow()) _burstTimer = new Timer(BurstTimerFired, this, Timeout.Infinite, Timeout.Infinite);
            }
        }
        _burstTimer.Change(BurstTimeoutMilliseconds, Timeout.Infinite);
    }

    private static readonly TimerCallback BurstTimerFired = static state => ((RedisClient)state!).OnBurstTimer();

    // The backstop: a burst whose thread has not awaited within BurstTimeoutMilliseconds is written now.
    private void OnBurstTimer()
    {
        lock (_writeLock)
        {
            _burstTimerArmed = false;
            _burstThread = 0;
            if (_flushing || _active.Length == 0 || _state != State.Connected) return;
            _flushing = true;
        }
        FlushLoop();
    }

    /// <summary>The deferred write of <see cref="ClaimFlushLocked"/> (one instance per client: queuing it allocates nothing).</summary>
    private sealed class ScheduledFlush(RedisClient client) : IThreadPoolWorkItem
    {
        public void Execute()
        {
            lock (client._writeLock)
            {
                client._flushScheduled = false;
                if (client._flushing) return; // someone is writing: they take everything
                if (client._burstThread != 0) return; // a burst's thread writes at its await (or the burst timer does)
                client._flushing = true;
            }
            client.FlushLoop();
        }
    }

    // Called under the lock when the state is not Connected: the attempt to wait for, or the error.
    private Task NotWritableLocked()
    {
        switch (_state)
        {
            case State.Connecting:
                return _connectAttempt!.Task;
            case State.Down:
            {
                double ms = Math.Max(0, (_nextAttemptTimestamp - System.Diagnostics.Stopwatch.GetTimestamp()) * 1000.0 / System.Diagnostics.Stopwatch.Frequency);
                throw new RedisConnectionException(
                    $"Not connected to {Endpoint}; the next reconnect attempt is in {ms:0} ms. Last error: {_lastError?.Message}", _lastError);
            }
            default:
                throw DisposedError();
        }
    }

    private int ConnectWaitMilliseconds => _timeoutMs != Timeout.Infinite
        ? _timeoutMs
        : _dialOptions.ConnectTimeout > TimeSpan.Zero ? (int)Math.Min(int.MaxValue, _dialOptions.ConnectTimeout.TotalMilliseconds + 1000) : Timeout.Infinite;

    private void WaitForConnection(Task attempt)
    {
        bool done;
        try
        {
            done = attempt.Wait(ConnectWaitMilliseconds);
        }
        catch (AggregateException)
        {
            done = true; // disposed meanwhile: the state check that follows says so
        }
        if (!done) throw new RedisTimeoutException($"Not connected to {Endpoint}: the reconnect attempt took longer than {ConnectWaitMilliseconds} ms.");
    }

    private async ValueTask WaitForConnectionAsync(Task attempt, CancellationToken cancellationToken)
    {
        try
        {
            int ms = ConnectWaitMilliseconds;
            await attempt.WaitAsync(ms == Timeout.Infinite ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(ms), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new RedisTimeoutException($"Not connected to {Endpoint}: the reconnect attempt took longer than {ConnectWaitMilliseconds} ms.", ex);
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile: the state check that follows says so.
        }
    }

    // Writes batches until nothing is queued. Only one flusher runs at a time (_flushing); commands
    // appended while it writes go out in its next batch.
    private void FlushLoop()
    {
        while (true)
        {
            RespWriter batch;
            ClientTransport transport;
            lock (_writeLock)
            {
                if (_active.Length == 0 || _state != State.Connected)
                {
                    _flushing = false;
                    return;
                }
                batch = _active;
                _active = _spare;
                _spare = batch;
                transport = _transport!;
                _writes++;
                _bytesWritten += batch.Length;
            }
            try
            {
                transport.Write(batch.WrittenSpan);
            }
            catch (Exception ex)
            {
                // The reader thread wakes, fails the commands in flight and reconnects.
                transport.Abort(MapFailure(transport, ex, "writing to"));
            }
            finally
            {
                batch.Reset();
            }
        }
    }

    private static void CheckCommandName(string command)
    {
        if (command.Length == 0) throw new ArgumentException("A command name is required (Do(\"\") has no meaning on a shared connection).", nameof(command));
    }

    private void ThrowIfReaderThread()
    {
        if (ReaderThread.Client == this)
        {
            throw new InvalidOperationException(
                "A synchronous call on the RedisClient from its own reader thread (the push handler) would wait for itself; use the async methods or hand the work to another thread.");
        }
    }
}
