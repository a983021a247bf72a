using System.Diagnostics;
using System.Globalization;

namespace Redis.Testing;

// LocalCluster: moving a slot between masters, whole or step by step (MIGRATING/IMPORTING, MIGRATE, NODE).
public sealed partial class LocalCluster
{
    /// <summary>
    /// Moves <paramref name="slot"/> and its keys from <paramref name="source"/> to <paramref name="target"/> as
    /// <c>redis-cli --cluster reshard</c> does: <see cref="BeginMigrationAsync"/>, <see cref="MoveKeysAsync"/>,
    /// <see cref="FinishMigrationAsync"/> (which waits until every answering node names the new owner).
    /// </summary>
    /// <param name="slot">The slot.</param>
    /// <param name="source">Its current master.</param>
    /// <param name="target">Another master.</param>
    /// <param name="ct">Cancels the migration (the slot may then be left migrating).</param>
    /// <returns>A task completing when every node agrees that <paramref name="target"/> serves the slot.</returns>
    public async Task MigrateSlotAsync(int slot, LocalClusterNode source, LocalClusterNode target, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        await BeginMigrationAsync(slot, source, target, ct).ConfigureAwait(false);
        var moved = await MoveKeysAsync(slot, source, target, null, ct).ConfigureAwait(false);
        await FinishMigrationAsync(slot, source, target, ct).ConfigureAwait(false);
        _log(string.Create(CultureInfo.InvariantCulture, $"local cluster: slot {slot} ({moved} keys) moved {source.Address} -> {target.Address} in {clock.Elapsed.TotalMilliseconds:0} ms"));
    }

    /// <summary>
    /// First step of a migration: <c>CLUSTER SETSLOT slot IMPORTING source-id</c> on the target, then
    /// <c>CLUSTER SETSLOT slot MIGRATING target-id</c> on the source. From now on the source answers <c>ASK</c> for
    /// keys of the slot it no longer has.
    /// </summary>
    /// <param name="slot">The slot.</param>
    /// <param name="source">Its current master.</param>
    /// <param name="target">Another master.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>A task completing when both nodes have the slot's migration state.</returns>
    public async Task BeginMigrationAsync(int slot, LocalClusterNode source, LocalClusterNode target, CancellationToken ct = default)
    {
        CheckMigration(slot, source, target);
        var s = slot.ToString(CultureInfo.InvariantCulture);
        await target.ExecuteAsync(["CLUSTER", "SETSLOT", s, "IMPORTING", source.NodeId], ct).ConfigureAwait(false);
        await source.ExecuteAsync(["CLUSTER", "SETSLOT", s, "MIGRATING", target.NodeId], ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Second step: moves keys of <paramref name="slot"/> from <paramref name="source"/> to <paramref name="target"/>
    /// with <c>CLUSTER GETKEYSINSLOT</c> and <c>MIGRATE 127.0.0.1 port "" 0 timeout KEYS ...</c>, in batches of 100.
    /// </summary>
    /// <param name="slot">The slot being migrated.</param>
    /// <param name="source">The migrating node.</param>
    /// <param name="target">The importing node.</param>
    /// <param name="maxKeys">Move at most this many keys (leaving the rest on the source); <see langword="null"/> for all.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The number of keys moved.</returns>
    public async Task<int> MoveKeysAsync(int slot, LocalClusterNode source, LocalClusterNode target, int? maxKeys = null, CancellationToken ct = default)
    {
        CheckMigration(slot, source, target);
        const int batch = 100;
        var s = slot.ToString(CultureInfo.InvariantCulture);
        var timeoutMs = ((long)_options.CommandTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        var moved = 0;
        while (maxKeys is null || moved < maxKeys)
        {
            var count = maxKeys is null ? batch : Math.Min(batch, maxKeys.Value - moved);
            var keys = (object?[])(await source.ExecuteAsync(["CLUSTER", "GETKEYSINSLOT", s, count.ToString(CultureInfo.InvariantCulture)], ct).ConfigureAwait(false))!;
            if (keys.Length == 0)
            {
                break;
            }

            var args = new List<string> { "MIGRATE", "127.0.0.1", target.Port.ToString(CultureInfo.InvariantCulture), string.Empty, "0", timeoutMs, "KEYS" };
            args.AddRange(keys.Cast<string>());
            await source.ExecuteAsync(args, ct).ConfigureAwait(false);
            moved += keys.Length;
        }

        return moved;
    }

    /// <summary>
    /// Last step: <c>CLUSTER SETSLOT slot NODE target-id</c> on the target, the source and every other master, then waits
    /// until every answering node (replicas learn by gossip) names the target as the slot's owner.
    /// </summary>
    /// <param name="slot">The slot being migrated.</param>
    /// <param name="source">The migrating node (it must hold no more keys of the slot).</param>
    /// <param name="target">The importing node.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <returns>A task completing when all nodes agree.</returns>
    public async Task FinishMigrationAsync(int slot, LocalClusterNode source, LocalClusterNode target, CancellationToken ct = default)
    {
        CheckMigration(slot, source, target);
        var s = slot.ToString(CultureInfo.InvariantCulture);
        string[] setNode = ["CLUSTER", "SETSLOT", s, "NODE", target.NodeId];

        // Target first: were the source told first, it would redirect clients to a target that does not yet accept the slot.
        await target.ExecuteAsync(setNode, ct).ConfigureAwait(false);
        await source.ExecuteAsync(setNode, ct).ConfigureAwait(false);
        foreach (var node in _nodes.Where(n => n != source && n != target && n.IsAnswering))
        {
            if (await node.IsMasterAsync(ct).ConfigureAwait(false))
            {
                await node.ExecuteAsync(setNode, ct).ConfigureAwait(false);
            }
        }

        await WaitUntilAsync(
            $"every node names {target.Address} as the owner of slot {s}",
            async token =>
            {
                foreach (var node in _nodes.Where(n => n.IsAnswering))
                {
                    var view = await ReadViewAsync(node, token).ConfigureAwait(false);
                    var owner = view.FirstOrDefault(sh => sh.Ranges.Any(r => r.Start <= slot && slot <= r.End))?.Nodes.FirstOrDefault(n => n.IsMaster)?.Id;
                    if (owner != target.NodeId)
                    {
                        return $"{node.Address} names {FindNode(owner ?? string.Empty)?.Address ?? owner ?? "no node"}";
                    }
                }

                return null;
            },
            ct).ConfigureAwait(false);
    }

    private void CheckMigration(int slot, LocalClusterNode source, LocalClusterNode target)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, SlotCount);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        CheckMember(source);
        CheckMember(target);
        if (source == target)
        {
            throw new ArgumentException($"source and target are the same node {source}", nameof(target));
        }
    }
}
