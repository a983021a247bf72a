using System.Collections.Concurrent;
using System.Diagnostics;

namespace Redis;

/// <summary>
/// The entries of one connection's client-side cache: replies (as RESP bytes) by the encoded read command,
/// indexed by the key they read, evicted least recently used first (second chance: a hit only marks its
/// entry). Thread-safe: changes take one lock; a hit takes none (a lookup by span in a concurrent
/// dictionary, a flag, a striped counter: no allocation, no contention between callers).
/// </summary>
/// <remarks>
/// Coherence: a read first puts a placeholder, then sends <c>CLIENT CACHING YES</c>, the read and
/// <c>PTTL</c> back to back. An invalidation of the key (applied by the connection's reader thread as it
/// arrives, so before any later reply) marks the placeholder invalid, and its reply is then returned but
/// not kept. A lost connection flushes everything (its tracking ended with it); a null key list (FLUSHALL,
/// FLUSHDB) flushes everything; the client's own writes evict their keys before they are sent.
/// </remarks>
internal sealed class ClientCache
{
    private readonly Lock _lock = new();
    private readonly CacheOptions _options;
    private readonly ConcurrentDictionary<byte[], Entry> _entries = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], List<Entry>> _byKey = new(ByteKeyComparer.Instance);
    private readonly LinkedList<Entry> _lru = new();
    private long _bytes;
    private readonly long[] _stripedHits = new long[8 * HitStride]; // hits on the lock-free path, one padded cell per thread group
    private long _hits;
    private long _misses;
    private long _invalidations;
    private long _evictions;

    private const int HitStride = 16; // 128 bytes between counters: no false sharing

    public ClientCache(CacheOptions options) => _options = options;

    public CacheStats Stats
    {
        get
        {
            long striped = 0;
            for (int i = 0; i < _stripedHits.Length; i += HitStride) striped += Volatile.Read(ref _stripedHits[i]);
            lock (_lock) return new CacheStats(_hits + striped, _misses, _invalidations, _evictions, _lru.Count, _bytes);
        }
    }

    /// <summary>One cached read (or a read in flight: a placeholder).</summary>
    public sealed class Entry(byte[] command, byte[] key)
    {
        public byte[] Command { get; } = command;

        public byte[] Key { get; } = key;

        private byte[]? _reply;

        /// <summary>Null while the read is in flight; published last (after <see cref="ExpiresAt"/>) for lock-free hits.</summary>
        public byte[]? Reply
        {
            get => Volatile.Read(ref _reply);
            set => Volatile.Write(ref _reply, value);
        }

        public long ExpiresAt { get; set; }

        /// <summary>Set by a hit; eviction gives a marked entry a second chance instead of relinking on every hit.</summary>
        public volatile bool Accessed;

        /// <summary>Set (under the lock) when the entry is dropped; read by lock-free hits.</summary>
        public volatile bool Invalid;

        public LinkedListNode<Entry>? Node { get; set; }

        public TaskCompletionSource<byte[]>? Waiters { get; set; }
    }

    /// <summary>What a lookup found.</summary>
    public readonly record struct Lookup(byte[]? Hit, Task<byte[]>? Wait, Entry? Placeholder);

    /// <summary>
    /// The cached reply of an encoded read, or null. Only cacheable reads are ever stored, so any command's
    /// bytes may be looked up: this is the hit path, before the command is even parsed.
    /// </summary>
    public byte[]? TryHit(ReadOnlySpan<byte> command)
    {
        if (!_entries.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(command, out Entry? entry)) return null;
        byte[]? reply = entry.Reply;
        if (reply is null || entry.Invalid || Stopwatch.GetTimestamp() >= entry.ExpiresAt) return null;
        if (!entry.Accessed) entry.Accessed = true;
        Interlocked.Increment(ref _stripedHits[(Environment.CurrentManagedThreadId & 7) * HitStride]);
        return reply;
    }

    /// <summary>A hit, a read in flight to wait for, or a new placeholder this caller must fill.</summary>
    public Lookup Find(ReadOnlySpan<byte> command, ReadOnlySpan<byte> key)
    {
        long now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            var byCommand = _entries.GetAlternateLookup<ReadOnlySpan<byte>>();
            if (byCommand.TryGetValue(command, out Entry? entry))
            {
                if (entry.Reply is not null)
                {
                    if (now < entry.ExpiresAt)
                    {
                        _hits++;
                        entry.Accessed = true;
                        return new Lookup(entry.Reply, null, null);
                    }
                    _evictions++;
                    RemoveLocked(entry);
                }
                else
                {
                    _hits++;
                    entry.Waiters ??= new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
                    return new Lookup(null, entry.Waiters.Task, null);
                }
            }
            _misses++;
            var placeholder = new Entry(command.ToArray(), key.ToArray());
            _entries[placeholder.Command] = placeholder;
            IndexLocked(placeholder);
            return new Lookup(null, null, placeholder);
        }
    }

    /// <summary>The read came back: keep it unless an invalidation came first; wake the callers that waited.</summary>
    public void Complete(Entry placeholder, byte[] reply, long pttlMilliseconds, TimeSpan ttl)
    {
        TaskCompletionSource<byte[]>? waiters;
        lock (_lock)
        {
            waiters = placeholder.Waiters;
            if (!placeholder.Invalid && _entries.TryGetValue(placeholder.Command, out Entry? current) && ReferenceEquals(current, placeholder))
            {
                TimeSpan life = ttl < _options.MaxTtl ? ttl : _options.MaxTtl;
                if (pttlMilliseconds > 0 && TimeSpan.FromMilliseconds(pttlMilliseconds) < life) life = TimeSpan.FromMilliseconds(pttlMilliseconds);
                placeholder.ExpiresAt = Stopwatch.GetTimestamp() + (long)(life.TotalSeconds * Stopwatch.Frequency);
                placeholder.Reply = reply; // published after its expiry: a lock-free hit never sees a reply without it
                placeholder.Node = _lru.AddFirst(placeholder);
                _bytes += Size(placeholder);
                TrimLocked();
            }
            else if (!placeholder.Invalid)
            {
                RemoveLocked(placeholder);
            }
        }
        waiters?.TrySetResult(reply);
    }

    /// <summary>The read failed: drop the placeholder; the callers that waited get the same error.</summary>
    public void Fail(Entry placeholder, Exception error)
    {
        TaskCompletionSource<byte[]>? waiters;
        lock (_lock)
        {
            waiters = placeholder.Waiters;
            if (_entries.TryGetValue(placeholder.Command, out Entry? current) && ReferenceEquals(current, placeholder)) RemoveLocked(placeholder);
        }
        waiters?.TrySetException(error);
    }

    /// <summary>The server says <paramref name="key"/> changed (or the client is about to change it): drop its entries, spoil its reads in flight.</summary>
    public void Invalidate(ReadOnlySpan<byte> key)
    {
        lock (_lock)
        {
            var byKey = _byKey.GetAlternateLookup<ReadOnlySpan<byte>>();
            if (!byKey.TryGetValue(key, out List<Entry>? entries)) return;
            foreach (Entry entry in entries.ToArray())
            {
                _invalidations++;
                RemoveLocked(entry);
            }
        }
    }

    /// <summary>Everything goes: FLUSHALL/FLUSHDB (a null key list), or the tracking connection was lost.</summary>
    public void InvalidateAll()
    {
        lock (_lock)
        {
            foreach (Entry entry in _entries.Values) entry.Invalid = true;
            _invalidations += _lru.Count;
            _entries.Clear();
            _byKey.Clear();
            _lru.Clear();
            _bytes = 0;
        }
    }

    private void IndexLocked(Entry entry)
    {
        if (!_byKey.TryGetValue(entry.Key, out List<Entry>? list)) _byKey.Add(entry.Key, list = new List<Entry>(1));
        list.Add(entry);
    }

    private void RemoveLocked(Entry entry)
    {
        entry.Invalid = true;
        _entries.TryRemove(new KeyValuePair<byte[], Entry>(entry.Command, entry));
        if (_byKey.TryGetValue(entry.Key, out List<Entry>? list))
        {
            list.Remove(entry);
            if (list.Count == 0) _byKey.Remove(entry.Key);
        }
        if (entry.Node is not null)
        {
            _lru.Remove(entry.Node);
            entry.Node = null;
            _bytes -= Size(entry);
        }
    }

    // Second chance: an entry hit since it was last looked at goes back to the front once; the first
    // unmarked entry from the back goes. At most one pass over the list per eviction.
    private void TrimLocked()
    {
        while (_lru.Count > _options.MaxEntries || _bytes > _options.MaxBytes)
        {
            LinkedListNode<Entry> victim = _lru.Last!;
            for (int spared = 0; victim.Value.Accessed && spared < _lru.Count; spared++)
            {
                victim.Value.Accessed = false;
                _lru.Remove(victim);
                _lru.AddFirst(victim);
                victim = _lru.Last!;
            }
            _evictions++;
            RemoveLocked(victim.Value);
        }
    }

    // What an entry holds: the reply, the command and key it is found by, and a fixed overhead.
    private static long Size(Entry entry) => (entry.Reply?.Length ?? 0) + entry.Command.Length + entry.Key.Length + 128;
}
