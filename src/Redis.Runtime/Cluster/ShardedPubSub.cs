using System.Threading.Channels;

namespace Redis;

/// <summary>
/// Sharded pub/sub on a cluster (SSUBSCRIBE, Redis 7+): each channel is subscribed on the master that owns
/// its slot, one SSUBSCRIBE per channel (several channels in one command would be refused as CROSSSLOT),
/// and the messages of every node arrive in one stream. When a slot moves, the server ends the
/// subscription (a spontaneous <c>sunsubscribe</c>) or answers MOVED, and a node may go away: the channel is
/// then subscribed again on the slot's new owner, without the caller doing anything. Messages published
/// while a channel is between owners are lost, as sharded pub/sub promises nothing more.
/// Publish with <c>cluster.Do("SPUBLISH", channel, message)</c> (routed by the channel's slot).
/// </summary>
public sealed class ShardedPubSub : IDisposable, IAsyncDisposable
{
    private readonly RedisCluster _cluster;
    private readonly Channel<Message> _messages = Channel.CreateUnbounded<Message>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Lock _lock = new();
    private readonly HashSet<string> _wanted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeSubscriber> _owners = new(StringComparer.Ordinal);       // channel -> where it is subscribed
    private readonly Dictionary<RedisClient, NodeSubscriber> _nodes = [];
    private readonly CancellationTokenSource _disposed = new();
    private long _resubscriptions;

    internal ShardedPubSub(RedisCluster cluster) => _cluster = cluster;

    /// <summary>How many times a channel was subscribed again after its slot moved or its node was lost.</summary>
    public long Resubscriptions => Interlocked.Read(ref _resubscriptions);

    /// <summary>Subscribes <paramref name="channels"/>, each on its slot's master; returns when every node has been asked.</summary>
    public async ValueTask SubscribeAsync(IReadOnlyList<string> channels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channels);
        foreach (string channel in channels)
        {
            ArgumentNullException.ThrowIfNull(channel);
            lock (_lock) _wanted.Add(channel);
            await SubscribeOnOwnerAsync(channel, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Unsubscribes <paramref name="channels"/>.</summary>
    public async ValueTask UnsubscribeAsync(IReadOnlyList<string> channels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channels);
        foreach (string channel in channels)
        {
            NodeSubscriber? owner;
            lock (_lock)
            {
                _wanted.Remove(channel);
                _owners.Remove(channel, out owner);
            }
            if (owner is not null) await owner.SendAsync(c => c.SUnsubscribeAsync([channel], cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>The next message of any subscribed channel.</summary>
    public ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken = default) => _messages.Reader.ReadAsync(cancellationToken);

    /// <summary>The messages of every subscribed channel, until <paramref name="cancellationToken"/> is cancelled or this is disposed.</summary>
    public IAsyncEnumerable<Message> ReadMessagesAsync(CancellationToken cancellationToken = default) => _messages.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Closes every node's subscriber connection and ends the message stream.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Closes every node's subscriber connection and ends the message stream.</summary>
    public async ValueTask DisposeAsync()
    {
        NodeSubscriber[] nodes;
        lock (_lock)
        {
            if (_disposed.IsCancellationRequested) return;
            _disposed.Cancel();
            nodes = [.. _nodes.Values];
            _nodes.Clear();
            _owners.Clear();
            _wanted.Clear();
        }
        foreach (NodeSubscriber node in nodes) await node.Conn.DisposeAsync().ConfigureAwait(false);
        _messages.Writer.TryComplete();
    }

    private async Task SubscribeOnOwnerAsync(string channel, CancellationToken cancellationToken)
    {
        RedisClient node = _cluster.MasterOfSlot(RedisCluster.Slot(channel));
        NodeSubscriber subscriber = await SubscriberFor(node, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            if (!_wanted.Contains(channel)) return;
            _owners[channel] = subscriber;
        }
        await subscriber.SendAsync(c => c.SSubscribeAsync([channel], cancellationToken)).ConfigureAwait(false);
    }

    private async Task<NodeSubscriber> SubscriberFor(RedisClient node, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            if (_nodes.TryGetValue(node, out NodeSubscriber? existing)) return existing;
        }
        PubSubConn conn = await node.CreatePubSubAsync(cancellationToken).ConfigureAwait(false);
        var created = new NodeSubscriber(node, conn);
        lock (_lock)
        {
            if (!_disposed.IsCancellationRequested && !_nodes.ContainsKey(node))
            {
                _nodes.Add(node, created);
                _ = Task.Run(() => PumpAsync(created));
                return created;
            }
        }
        await conn.DisposeAsync().ConfigureAwait(false);
        return await SubscriberFor(node, cancellationToken).ConfigureAwait(false);
    }

    // Reads one node's subscriber connection: messages go to the shared stream; a dropped or redirected
    // channel is subscribed again where its slot lives now; a lost connection moves all its channels.
    private async Task PumpAsync(NodeSubscriber subscriber)
    {
        CancellationToken stop = _disposed.Token;
        while (!stop.IsCancellationRequested)
        {
            object item;
            try
            {
                item = await subscriber.Conn.ReceiveAsync(stop).ConfigureAwait(false);
            }
            catch (RedisServerException error) when (ClusterRedirect.From(error) is { Kind: ClusterRedirectKind.Moved or ClusterRedirectKind.Ask } redirect)
            {
                _cluster.OnSlotMoved();
                foreach (string channel in ChannelsOf(subscriber, redirect.Slot)) Resubscribe(channel, subscriber);
                continue;
            }
            catch (RedisServerException)
            {
                continue; // an error reply to one SSUBSCRIBE: the connection is still usable
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                // The node's connection is gone (failover, kill): move every channel it carried.
                lock (_lock) _nodes.Remove(subscriber.Node);
                _cluster.OnSlotMoved();
                foreach (string channel in ChannelsOf(subscriber, -1)) Resubscribe(channel, subscriber);
                await subscriber.Conn.DisposeAsync().ConfigureAwait(false);
                return;
            }
            catch (Exception)
            {
                return;
            }
            switch (item)
            {
                case Message message:
                    _messages.Writer.TryWrite(message);
                    break;
                case Subscription { Kind: "sunsubscribe" } ended:
                    // Sent by the server when the channel's slot moved away (not only when we asked).
                    bool dropped;
                    lock (_lock) dropped = _wanted.Contains(ended.Channel) && _owners.TryGetValue(ended.Channel, out NodeSubscriber? owner) && owner == subscriber;
                    if (dropped)
                    {
                        _cluster.OnSlotMoved();
                        Resubscribe(ended.Channel, subscriber);
                    }
                    break;
            }
        }
    }

    private List<string> ChannelsOf(NodeSubscriber subscriber, int slot)
    {
        lock (_lock)
        {
            return [.. _owners.Where(p => p.Value == subscriber && (slot < 0 || RedisCluster.Slot(p.Key) == slot)).Select(p => p.Key)];
        }
    }

    private void Resubscribe(string channel, NodeSubscriber from)
    {
        lock (_lock)
        {
            if (!_owners.TryGetValue(channel, out NodeSubscriber? owner) || owner != from) return;
            _owners.Remove(channel);
        }
        Interlocked.Increment(ref _resubscriptions);
        _ = Task.Run(async () =>
        {
            CancellationToken stop = _disposed.Token;
            for (int attempt = 0; attempt < 50 && !stop.IsCancellationRequested; attempt++)
            {
                try
                {
                    // Give the topology refresh a moment; the first try may already find the new owner.
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(50 * (attempt + 1), 1000)), stop).ConfigureAwait(false);
                    lock (_lock)
                    {
                        if (!_wanted.Contains(channel) || _owners.ContainsKey(channel)) return;
                    }
                    await SubscribeOnOwnerAsync(channel, stop).ConfigureAwait(false);
                    return;
                }
                catch (Exception ex) when (ex is RedisException or OperationCanceledException or ObjectDisposedException)
                {
                    // Try again after the next refresh (bounded: about 40 s in all).
                }
            }
        });
    }

    /// <summary>One node's subscriber connection; its writes are serialised (the pump reads concurrently).</summary>
    private sealed class NodeSubscriber(RedisClient node, PubSubConn conn)
    {
        private readonly SemaphoreSlim _write = new(1, 1);

        public RedisClient Node => node;

        public PubSubConn Conn => conn;

        public async Task SendAsync(Func<PubSubConn, ValueTask> send)
        {
            await _write.WaitAsync().ConfigureAwait(false);
            try
            {
                await send(conn).ConfigureAwait(false);
            }
            finally
            {
                _write.Release();
            }
        }
    }
}
