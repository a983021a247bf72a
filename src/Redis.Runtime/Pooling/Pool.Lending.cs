namespace Redis;

// Lending and returning: the idle list, the slots (MaxActive) and the queue of waiters, all under _lock.
public sealed partial class Pool
{
    // Takes an idle connection (returned), a slot to dial into (null, no waiter), or a place in the
    // queue (null, waiter set). Expired idle connections are closed on the way.
    private PoolEntry? Acquire(out PoolWaiter? waiter)
    {
        waiter = null;
        List<PoolEntry>? expired = null;
        PoolEntry? entry = null;
        try
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (!_started) Start();
                Prune(_options.TimeProvider.GetUtcNow(), ref expired);
                if (_idle.Count > 0)
                {
                    entry = _idle[^1];
                    _idle.RemoveAt(_idle.Count - 1);
                }
                else if (_options.MaxActive == 0 || _active < _options.MaxActive)
                {
                    _active++;
                }
                else if (!_options.Wait)
                {
                    throw new RedisPoolExhaustedException();
                }
                else
                {
                    waiter = new PoolWaiter(_options.TimeProvider.GetTimestamp());
                    waiter.Node = _waiters.AddLast(waiter);
                    _waitCount++;
                }
            }
        }
        finally
        {
            if (expired is not null)
            {
                foreach (PoolEntry old in expired) old.Close();
            }
        }
        return entry;
    }

    private async ValueTask<PoolEntry?> WaitAsync(PoolWaiter waiter, CancellationToken cancellationToken)
    {
        PoolEntry? entry;
        CancellationTokenRegistration registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static (state, token) =>
            {
                var (pool, w) = ((Pool, PoolWaiter))state!;
                pool.CancelWait(w, token);
            }, (this, waiter))
            : default;
        try
        {
            entry = await waiter.Task.ConfigureAwait(false);
        }
        finally
        {
            await registration.DisposeAsync().ConfigureAwait(false);
        }
        if (cancellationToken.IsCancellationRequested)
        {
            // Granted just as the caller gave up: hand it back rather than returning to a caller that no longer wants it.
            if (entry is null) ReleaseSlot();
            else Return(entry, reusable: true);
            cancellationToken.ThrowIfCancellationRequested();
        }
        return entry;
    }

    private bool CancelWait(PoolWaiter waiter, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (waiter.Node is null) return false; // granted, failed or already cancelled
            _waiters.Remove(waiter.Node);
            waiter.Node = null;
            _waitDuration += _options.TimeProvider.GetElapsedTime(waiter.StartTimestamp);
        }
        return waiter.TrySetCanceled(cancellationToken);
    }

    private bool IsUsable(PoolEntry entry)
    {
        if (entry.Conn.Err is not null) return false;
        if (_options.MaxConnLifetime > TimeSpan.Zero && _options.TimeProvider.GetUtcNow() - entry.Created >= _options.MaxConnLifetime) return false;
        if (_options.TestOnBorrow is { } test)
        {
            try
            {
                return test(entry.Conn, entry.ReturnedAt);
            }
            catch (Exception)
            {
                return false;
            }
        }
        return true;
    }

    // A borrowed connection failed its checks: close it and free its slot.
    private void Discard(PoolEntry entry)
    {
        entry.Close();
        ReleaseSlot();
    }

    // Dials into a slot already taken; a failure frees it. Async prefers DialAsync (with the caller's
    // token); sync prefers Dial and blocks on DialAsync only when it is the only dialer (passing it the
    // token Dispose cancels).
    private async ValueTask<PoolEntry> DialEntry(bool async, CancellationToken cancellationToken)
    {
        Func<IConn>? dial = _options.Dial;
        Func<CancellationToken, ValueTask<IConn>>? dialAsync = _options.DialAsync;
        bool useAsyncDialer = async ? dialAsync is not null : dial is null;
        IConn conn;
        try
        {
            if (!useAsyncDialer) conn = dial!();
            else if (async) conn = await dialAsync!(cancellationToken).ConfigureAwait(false);
            else conn = dialAsync!(_disposal.Token).AsTask().GetAwaiter().GetResult();
            if (conn is null) throw new InvalidOperationException(useAsyncDialer ? "Pool.DialAsync returned null." : "Pool.Dial returned null.");
            if (_onDialed is { } adopt) conn = adopt(conn);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && _disposal.IsCancellationRequested)
        {
            ReleaseSlot();
            throw new ObjectDisposedException("The pool was disposed while dialing a connection.", ex);
        }
        catch
        {
            ReleaseSlot();
            throw;
        }
        return Adopt(conn);
    }

    private PoolEntry Adopt(IConn conn)
    {
        lock (_lock)
        {
            if (!_disposed) return new PoolEntry(conn, _options.TimeProvider.GetUtcNow());
            _active--;
        }
        try { conn.Close(); } catch (Exception) { /* closing: nothing to report */ }
        throw new ObjectDisposedException(nameof(Pool), "The pool was disposed while dialing a connection.");
    }

    // Called by PooledConn once its state is cleaned (reusable) or could not be (not reusable).
    internal void Return(PoolEntry entry, bool reusable)
    {
        PoolEntry? toClose = null;
        lock (_lock)
        {
            DateTimeOffset now = _options.TimeProvider.GetUtcNow();
            entry.ReturnedAt = now;
            if (!reusable || _disposed || entry.Conn.Err is not null
                || (_options.MaxConnLifetime > TimeSpan.Zero && now - entry.Created >= _options.MaxConnLifetime))
            {
                toClose = entry;
                ReleaseSlotLocked();
            }
            else if (_waiters.First is { } first)
            {
                GrantLocked(first.Value, entry);
            }
            else
            {
                _idle.Add(entry);
                if (_idle.Count > _options.MaxIdle)
                {
                    toClose = _idle[0];
                    _idle.RemoveAt(0);
                    _active--;
                }
            }
        }
        toClose?.Close();
    }

    private void ReleaseSlot()
    {
        lock (_lock) ReleaseSlotLocked();
    }

    // A connection is gone: its slot goes to the first waiter (who dials), or the active count drops.
    private void ReleaseSlotLocked()
    {
        if (_waiters.First is { } first) GrantLocked(first.Value, null);
        else _active--;
    }

    private void GrantLocked(PoolWaiter waiter, PoolEntry? entry)
    {
        _waiters.Remove(waiter.Node!);
        waiter.Node = null;
        _waitDuration += _options.TimeProvider.GetElapsedTime(waiter.StartTimestamp);
        waiter.TrySetResult(entry); // continuations run asynchronously: safe under the lock
    }
}
