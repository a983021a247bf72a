using System.Diagnostics;
using System.Globalization;

namespace Redis.Testing;

// LocalCluster: the faults a test injects: manual failover, kill -9, SIGSTOP/SIGCONT and restart on the same port.
public sealed partial class LocalCluster
{
    /// <summary>
    /// Manual failover: <c>CLUSTER FAILOVER</c> (or <c>FORCE</c>) on <paramref name="replica"/>, then waits until it is a
    /// master in every answering node's view and the cluster is healthy.
    /// </summary>
    /// <param name="replica">A replica.</param>
    /// <param name="force">Send <c>CLUSTER FAILOVER FORCE</c> (needed when the master is down or paused).</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <returns>A task completing when the promotion is agreed.</returns>
    public async Task FailoverAsync(LocalClusterNode replica, bool force = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(replica);
        CheckMember(replica);
        if (await replica.IsMasterAsync(ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"{replica} is a master; CLUSTER FAILOVER needs a replica");
        }

        var clock = Stopwatch.StartNew();
        await replica.ExecuteAsync(force ? ["CLUSTER", "FAILOVER", "FORCE"] : ["CLUSTER", "FAILOVER"], ct).ConfigureAwait(false);
        await WaitUntilAsync(
            $"{replica.Address} is promoted to master in every node's view",
            async token =>
            {
                foreach (var node in _nodes.Where(n => n.IsAnswering))
                {
                    var view = await ReadViewAsync(node, token).ConfigureAwait(false);
                    var shard = view.FirstOrDefault(sh => sh.Nodes.Any(n => n.Id == replica.NodeId));
                    if (shard is null || shard.Ranges.Count == 0 || !shard.Nodes.Any(n => n.Id == replica.NodeId && n.IsMaster))
                    {
                        return $"{node.Address} does not yet see it as a master with slots";
                    }
                }

                return null;
            },
            ct).ConfigureAwait(false);
        var promoted = clock.Elapsed;
        await WaitForHealthyAsync(null, ct).ConfigureAwait(false);
        _log(string.Create(CultureInfo.InvariantCulture, $"local cluster: failover to {replica.Address}: agreed by all nodes {promoted.TotalMilliseconds:0} ms, healthy {clock.Elapsed.TotalMilliseconds:0} ms"));
    }

    /// <summary>Kills the node's process with SIGKILL (<c>kill -9</c>: no shutdown, sockets reset); its directory stays for <see cref="RestartAsync"/>.</summary>
    /// <param name="node">A running node.</param>
    /// <returns>A completed task once the process is gone.</returns>
    public Task KillAsync(LocalClusterNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckMember(node);
        node.Kill();
        _log($"local cluster: killed {node.Address}");
        return Task.CompletedTask;
    }

    /// <summary>Stops the node's process with SIGSTOP: it keeps its sockets open and answers nothing, like a frozen host.</summary>
    /// <param name="node">A running node.</param>
    /// <returns>A completed task.</returns>
    public Task PauseAsync(LocalClusterNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckMember(node);
        node.Pause();
        return Task.CompletedTask;
    }

    /// <summary>Continues a paused node with SIGCONT.</summary>
    /// <param name="node">A paused node.</param>
    /// <returns>A completed task.</returns>
    public Task ResumeAsync(LocalClusterNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckMember(node);
        node.Resume();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Starts the node again on its port with its directory and nodes.conf (so with its node id); kills it first when it
    /// is still running. By default then waits until the cluster is healthy (the node rejoined, as a replica if its
    /// slots were taken over meanwhile).
    /// </summary>
    /// <param name="node">A node of this cluster.</param>
    /// <param name="waitForHealthy">Wait for <see cref="WaitForHealthyAsync"/> after the node answers PING.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>A task completing when the node answers (and the cluster is healthy, if asked).</returns>
    public async Task RestartAsync(LocalClusterNode node, bool waitForHealthy = true, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckMember(node);
        if (node.Process is not null)
        {
            await KillAsync(node).ConfigureAwait(false);
        }

        var clock = Stopwatch.StartNew();
        var (process, failure) = await RedisServerProcess.StartInDirectoryAsync(_serverPath, node.Directory, node.Port, _nodeArgs, _options.StartTimeout, ct).ConfigureAwait(false);
        node.Process = process ?? throw new InvalidOperationException($"{node.Address} did not restart: {failure}");
        if (waitForHealthy)
        {
            await WaitForHealthyAsync(null, ct).ConfigureAwait(false);
        }

        _log(string.Create(CultureInfo.InvariantCulture, $"local cluster: restarted {node.Address} in {clock.Elapsed.TotalMilliseconds:0} ms{(waitForHealthy ? " (healthy)" : string.Empty)}"));
    }
}
