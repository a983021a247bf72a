namespace Redis;

/// <summary>
/// A growable ring buffer of operations in write order. Not thread-safe: <see cref="RedisClient"/>
/// keeps one under its write lock (commands being queued) and one owned by its reader thread (commands
/// whose replies it is matching), and swaps them under the lock, so the reader takes the lock once per
/// batch rather than once per reply. It never shrinks, so steady use allocates nothing.
/// </summary>
internal sealed class OperationQueue
{
    private PipelineOperation?[] _items = new PipelineOperation?[64];
    private int _head;
    private int _count;

    public int Count => _count;

    public void Enqueue(PipelineOperation operation)
    {
        if (_count == _items.Length) Grow();
        _items[(_head + _count) & (_items.Length - 1)] = operation;
        _count++;
    }

    public bool TryDequeue(out PipelineOperation operation)
    {
        if (_count == 0)
        {
            operation = null!;
            return false;
        }
        int at = _head;
        operation = _items[at]!;
        _items[at] = null;
        _head = (at + 1) & (_items.Length - 1);
        _count--;
        return true;
    }

    public bool TryPeek(out PipelineOperation operation)
    {
        operation = _items[_head]!;
        return _count > 0;
    }

    private void Grow()
    {
        var bigger = new PipelineOperation?[_items.Length * 2];
        for (int i = 0; i < _count; i++) bigger[i] = _items[(_head + i) & (_items.Length - 1)];
        _items = bigger;
        _head = 0;
    }
}
