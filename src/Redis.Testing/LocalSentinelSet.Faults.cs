using System.Diagnostics;
using System.Globalization;

namespace Redis.Testing;

// LocalSentinelSet: the faults a test injects: SENTINEL FAILOVER, kill -9, SIGSTOP/SIGCONT and restart on the same port and config.
public sealed partial class LocalSentinelSet
{
    /// <summary>
    /// <c>SENTINEL FAILOVER &lt;name&gt;</c> on the first answering sentinel (retried while it answers <c>-NOGOODSLAVE</c>, i.e.
    /// it has not yet judged a replica fit; <c>-INPROG</c> counts as accepted), then waits until every answering sentinel names another master and that node
    /// answers <c>ROLE</c> master (<see cref="WaitForMasterChangeAsync"/>). The old master is still a master at that point:
    /// Sentinel demotes it ~8-15 s later; <see cref="WaitForHealthyAsync"/> waits for that.
    /// </summary>
    /// <param name="ct">Cancels the wait.</param>
    /// <returns>The new master.</returns>
    public async Task<LocalSentinelNode> FailoverAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var old = await GetMasterAsync(ct).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        LocalSentinelNode? sentTo = null;
        await WaitUntilAsync(
            "a sentinel accepts SENTINEL FAILOVER",
            async token =>
            {
                var sentinel = AnyAnswering(_sentinels, "sentinel");
                try
                {
                    await sentinel.ExecuteAsync(["SENTINEL", "FAILOVER", MasterName], token).ConfigureAwait(false);
                    sentTo = sentinel;
                    return null;
                }
                catch (InvalidOperationException e) when (e.Message.Contains("NOGOODSLAVE", StringComparison.Ordinal))
                {
                    return e.Message;
                }
                catch (InvalidOperationException e) when (e.Message.Contains("INPROG", StringComparison.Ordinal))
                {
                    // A failover is already under way (e.g. an earlier attempt that timed out on our side was accepted): wait for it.
                    sentTo = sentinel;
                    return null;
                }
            },
            ct).ConfigureAwait(false);
        var accepted = clock.Elapsed;
        var promoted = await WaitForMasterChangeAsync(old, null, ct).ConfigureAwait(false);
        _log(string.Create(CultureInfo.InvariantCulture, $"local sentinel set: SENTINEL FAILOVER on {sentTo!.Address} accepted in {accepted.TotalMilliseconds:0} ms; {old.Address} -> {promoted.Address} agreed by every sentinel and confirmed by ROLE in {clock.Elapsed.TotalMilliseconds:0} ms"));
        return promoted;
    }

    /// <summary>
    /// Waits until every answering sentinel names the same master, other than <paramref name="oldMaster"/>, and that data
    /// node answers <c>ROLE</c> master. Use after <see cref="KillAsync"/> or <see cref="PauseAsync"/> of the master.
    /// </summary>
    /// <param name="oldMaster">The master being replaced.</param>
    /// <param name="timeout">How long to wait; <see langword="null"/> for <see cref="LocalSentinelOptions.OperationTimeout"/>.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <returns>The new master.</returns>
    /// <exception cref="TimeoutException">No agreed new master in time; the message says what was last seen.</exception>
    public async Task<LocalSentinelNode> WaitForMasterChangeAsync(LocalSentinelNode oldMaster, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(oldMaster);
        CheckMember(oldMaster);
        var clock = Stopwatch.StartNew();
        LocalSentinelNode? result = null;
        await WaitUntilAsync(
            $"every sentinel names a new master instead of {oldMaster.Address} and it answers ROLE master",
            async token =>
            {
                var (agreed, problem) = await ReadAgreedMasterAsync(token).ConfigureAwait(false);
                if (agreed is null)
                {
                    return problem;
                }

                if (agreed == oldMaster)
                {
                    return $"the sentinels still name {oldMaster.Address}";
                }

                if (!agreed.IsAnswering)
                {
                    return $"the sentinels name {agreed}, which does not answer";
                }

                var role = await GetRoleAsync(agreed, token).ConfigureAwait(false);
                if (role != "master")
                {
                    return $"the sentinels name {agreed.Address}, whose ROLE is still {role}";
                }

                result = agreed;
                return null;
            },
            ct,
            timeout).ConfigureAwait(false);
        _log(string.Create(CultureInfo.InvariantCulture, $"local sentinel set: new master {result!.Address} (was {oldMaster.Address}) agreed after {clock.Elapsed.TotalMilliseconds:0} ms of waiting"));
        return result;
    }

    /// <summary>Kills the node's process with SIGKILL (<c>kill -9</c>: no shutdown, sockets reset); its directory and config stay for <see cref="RestartAsync"/>.</summary>
    /// <param name="node">A running node of this set.</param>
    /// <returns>A completed task once the process is gone.</returns>
    public Task KillAsync(LocalSentinelNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckMember(node);
        node.Kill();
        _log($"local sentinel set: killed {node.Address}");
        return Task.CompletedTask;
    }

    /// <summary>Stops the node's process with SIGSTOP: it keeps its sockets open and answers nothing, like a frozen host.</summary>
    /// <param name="node">A running node of this set.</param>
    /// <returns>A completed task.</returns>
    public Task PauseAsync(LocalSentinelNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckMember(node);
        node.Pause();
        _log($"local sentinel set: paused {node.Address}");
        return Task.CompletedTask;
    }

    /// <summary>Continues a paused node with SIGCONT.</summary>
    /// <param name="node">A paused node of this set.</param>
    /// <returns>A completed task.</returns>
    public Task ResumeAsync(LocalSentinelNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckMember(node);
        node.Resume();
        _log($"local sentinel set: resumed {node.Address}");
        return Task.CompletedTask;
    }

    /// <summary>
    /// Starts the node again on its port with its directory and config file (as Sentinel last rewrote it: a demoted master
    /// comes back as a replica, a sentinel with its id and the peers it knew); kills it first when it is still running.
    /// By default then waits until the set is healthy. A master killed before Sentinel could rewrite its config comes back
    /// as a master (a "zombie") until Sentinel demotes it, ~8-15 s later; the healthy wait includes that.
    /// </summary>
    /// <param name="node">A node of this set.</param>
    /// <param name="waitForHealthy">Wait for <see cref="WaitForHealthyAsync"/> after the node answers PING.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>A task completing when the node answers (and the set is healthy, if asked).</returns>
    public async Task RestartAsync(LocalSentinelNode node, bool waitForHealthy = true, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckMember(node);
        if (node.Process is not null)
        {
            await KillAsync(node).ConfigureAwait(false);
        }

        var clock = Stopwatch.StartNew();
        var (process, failure) = await RedisServerProcess.StartWithArgumentsAsync(_serverPath, node.Directory, node.Port, Arguments(node.IsSentinel, node.ConfigPath), _options.StartTimeout, ct).ConfigureAwait(false);
        node.Process = process ?? throw new InvalidOperationException($"{node.Address} did not restart: {failure}");
        var answering = clock.Elapsed;
        if (waitForHealthy)
        {
            await WaitForHealthyAsync(null, ct).ConfigureAwait(false);
        }

        _log(string.Create(CultureInfo.InvariantCulture, $"local sentinel set: restarted {node.Address}: answering {answering.TotalMilliseconds:0} ms{(waitForHealthy ? string.Create(CultureInfo.InvariantCulture, $", healthy {clock.Elapsed.TotalMilliseconds:0} ms") : string.Empty)}"));
    }
}
