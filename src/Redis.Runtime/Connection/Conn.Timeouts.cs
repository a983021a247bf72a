namespace Redis;

// Per-call read deadlines (redigo's DoWithTimeout / ReceiveWithTimeout). Only one reader runs at a
// time, so the override is a field the read paths consult, restored after the call.
public sealed partial class Conn : IConnWithTimeout
{
    /// <inheritdoc />
    public object? DoWithTimeout(TimeSpan timeout, string command, params object?[] args)
    {
        using (OverrideReadTimeout(timeout)) return Do(command, args);
    }

    /// <inheritdoc />
    public object? ReceiveWithTimeout(TimeSpan timeout)
    {
        using (OverrideReadTimeout(timeout)) return Receive();
    }

    /// <inheritdoc />
    public async ValueTask<object?> DoWithTimeoutAsync(TimeSpan timeout, string command, IReadOnlyList<object?> args, CancellationToken cancellationToken = default)
    {
        using (OverrideReadTimeout(timeout)) return await DoAsync(command, args, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<object?> ReceiveWithTimeoutAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using (OverrideReadTimeout(timeout)) return await ReceiveAsync(cancellationToken).ConfigureAwait(false);
    }

    private ReadTimeoutScope OverrideReadTimeout(TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), "A timeout must not be negative.");
        TimeSpan previous = _activeReadTimeout;
        SetReadTimeout(timeout);
        return new ReadTimeoutScope(this, previous);
    }

    private void SetReadTimeout(TimeSpan timeout)
    {
        _activeReadTimeout = timeout;
        if (_stream.CanTimeout && Err is null)
        {
            try
            {
                _stream.ReadTimeout = timeout > TimeSpan.Zero ? ToMilliseconds(timeout) : Timeout.Infinite;
            }
            catch (ObjectDisposedException)
            {
                // Closed meanwhile: the next call reports it.
            }
        }
    }

    private readonly struct ReadTimeoutScope(Conn conn, TimeSpan previous) : IDisposable
    {
        public void Dispose() => conn.SetReadTimeout(previous);
    }
}
