namespace Redis;

// Expiry: idle connections past IdleTimeout or MaxConnLifetime are closed on borrow and by a background sweep.
public sealed partial class Pool
{
    private static readonly TimeSpan MinimumSweepPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaximumSweepPeriod = TimeSpan.FromMinutes(1);

    private void Prune(DateTimeOffset now, ref List<PoolEntry>? expired)
    {
        if (_idle.Count == 0 || (_options.IdleTimeout == TimeSpan.Zero && _options.MaxConnLifetime == TimeSpan.Zero)) return;
        for (int i = 0; i < _idle.Count;)
        {
            PoolEntry entry = _idle[i];
            bool idleTooLong = _options.IdleTimeout > TimeSpan.Zero && now - entry.ReturnedAt >= _options.IdleTimeout;
            bool tooOld = _options.MaxConnLifetime > TimeSpan.Zero && now - entry.Created >= _options.MaxConnLifetime;
            if (idleTooLong || tooOld)
            {
                _idle.RemoveAt(i);
                (expired ??= []).Add(entry);
                ReleaseSlotLocked();
            }
            else
            {
                i++;
            }
        }
    }

    // The first Get starts the sweep (the settings were fixed at construction).
    private void Start()
    {
        _started = true;
        TimeSpan shortest = _options.IdleTimeout == TimeSpan.Zero ? _options.MaxConnLifetime
            : _options.MaxConnLifetime == TimeSpan.Zero ? _options.IdleTimeout
            : TimeSpan.FromTicks(Math.Min(_options.IdleTimeout.Ticks, _options.MaxConnLifetime.Ticks));
        if (shortest == TimeSpan.Zero) return;
        TimeSpan period = TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 2, MinimumSweepPeriod.Ticks, MaximumSweepPeriod.Ticks));
        // A weak reference: a pool dropped without Dispose must not be kept alive by its own timer.
        _sweepTimer = _options.TimeProvider.CreateTimer(static state => Sweep(state!), new WeakReference<Pool>(this), period, period);
    }

    private static void Sweep(object state)
    {
        if (!((WeakReference<Pool>)state).TryGetTarget(out Pool? pool)) return;
        List<PoolEntry>? expired = null;
        lock (pool._lock)
        {
            if (pool._disposed) return;
            pool.Prune(pool._options.TimeProvider.GetUtcNow(), ref expired);
        }
        if (expired is null) return;
        foreach (PoolEntry entry in expired) entry.Close();
    }
}
