using Microsoft.Extensions.Logging;

namespace Redis;

/// <summary>
/// Keeps a client on the current master: subscribes to <c>+switch-master</c> on a sentinel (moving to
/// the next sentinel when its connection fails), checks the master again every
/// <see cref="Sentinel.CheckInterval"/>, after a resubscription (a switch may have been missed) and when
/// asked (a <c>-READONLY</c> reply), and reports a new address. Runs until disposed.
/// </summary>
internal sealed class SentinelWatch : IAsyncDisposable
{
    private readonly Sentinel _sentinel;
    private readonly Action<string> _onMaster;
    private readonly ILogger? _logger;
    private readonly DialOptions? _dataOptions;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _checkRequested = new(0, 1);
    private readonly Lock _reportLock = new();      // orders the reports of +switch-master and of checks
    private long _switches;                         // +switch-master messages reported (guarded by _reportLock)
    private Task? _listener;
    private Task? _checker;

    public SentinelWatch(Sentinel sentinel, Action<string> onMaster, ILogger? logger, DialOptions? dataOptions = null)
    {
        _dataOptions = dataOptions;
        _sentinel = sentinel;
        _onMaster = onMaster;
        _logger = logger;
    }

    /// <summary>Starts listening; returns once subscribed to a sentinel, or after <paramref name="wait"/> (the periodic check covers the gap).</summary>
    public void Start(TimeSpan wait)
    {
        _listener = Task.Run(ListenAsync);
        _checker = Task.Run(CheckLoopAsync);
        _subscribed.Task.Wait(wait);
    }

    /// <summary>Asks for a check of who the master is (coalesced).</summary>
    public void RequestCheck()
    {
        try
        {
            if (_checkRequested.CurrentCount == 0) _checkRequested.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already requested.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        foreach (Task? task in (Task?[])[_listener, _checker])
        {
            if (task is null) continue;
            try
            {
                await task.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
            {
                // Stopped (or stuck in a bounded sentinel call; it ends by itself).
            }
        }
    }

    private async Task ListenAsync()
    {
        CancellationToken stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            foreach (string address in _sentinel.Addresses)
            {
                if (stop.IsCancellationRequested) return;
                try
                {
                    DialOptions options = _sentinel.SentinelConnectionOptions with { ReadTimeout = TimeSpan.Zero };
                    await using var subscriber = new PubSubConn(await Conn.DialAsync("tcp", address, options, stop).ConfigureAwait(false));
                    await subscriber.SubscribeAsync(["+switch-master"], stop).ConfigureAwait(false);
                    bool first = _subscribed.TrySetResult();
                    if (!first) RequestCheck(); // resubscribed: a switch may have happened meanwhile
                    while (true)
                    {
                        object item = await subscriber.ReceiveAsync(stop).ConfigureAwait(false);
                        if (item is Message { Channel: "+switch-master" } message) OnSwitch(message.Text);
                    }
                }
                catch (Exception ex) when (ex is RedisException or OperationCanceledException or IOException)
                {
                    if (stop.IsCancellationRequested) return;
                    if (_logger is not null) _logger.LogDebug(ex, "Lost the +switch-master subscription on sentinel {Address}; trying the next.", address);
                }
            }
            try
            {
                await Task.Delay(200, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // "<master name> <old ip> <old port> <new ip> <new port>"
    private void OnSwitch(string text)
    {
        string[] parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 5 || !string.Equals(parts[0], _sentinel.MasterName, StringComparison.Ordinal)) return;
        string address = parts[3].Contains(':') ? $"[{parts[3]}]:{parts[4]}" : $"{parts[3]}:{parts[4]}";
        if (_logger is not null) _logger.LogInformation("Sentinel: +switch-master {Name} -> {Address}.", parts[0], address);
        lock (_reportLock)
        {
            _switches++;
            _onMaster(address);
        }
    }

    private async Task CheckLoopAsync()
    {
        CancellationToken stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _checkRequested.WaitAsync(_sentinel.CheckInterval, stop).ConfigureAwait(false);
                long switches;
                lock (_reportLock) switches = _switches;
                string master = await _sentinel.MasterAddressAsync(_dataOptions, stop).ConfigureAwait(false);
                lock (_reportLock)
                {
                    // A +switch-master that came while this check ran is newer than the check's answer, which must not
                    // undo it (the next check confirms the switch).
                    if (_switches == switches) _onMaster(master);
                    else if (_logger is not null) _logger.LogDebug("Sentinel check of '{Name}' named {Address}, but a +switch-master came meanwhile; it wins.", _sentinel.MasterName, master);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (RedisException ex)
            {
                if (_logger is not null) _logger.LogWarning(ex, "Sentinel check of '{Name}' failed: {Message}", _sentinel.MasterName, ex.Message);
            }
        }
    }
}
