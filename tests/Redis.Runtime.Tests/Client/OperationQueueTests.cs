namespace Redis.Tests.Client;

public class OperationQueueTests
{
    [Fact]
    public void KeepsFirstInFirstOutOrder_AcrossGrowthAndWrapAround()
    {
        var queue = new OperationQueue();
        var items = Enumerable.Range(0, 300).Select(_ => (PipelineOperation)new RawOperation()).ToArray();
        int next = 0;
        // Interleave so the ring wraps before it grows.
        for (int i = 0; i < 50; i++) queue.Enqueue(items[i]);
        for (int i = 0; i < 40; i++)
        {
            Assert.True(queue.TryDequeue(out PipelineOperation op));
            Assert.Same(items[next++], op);
        }
        for (int i = 50; i < 300; i++) queue.Enqueue(items[i]);
        Assert.Equal(260, queue.Count);
        while (queue.TryDequeue(out PipelineOperation op)) Assert.Same(items[next++], op);
        Assert.Equal(300, next);
        Assert.Equal(0, queue.Count);
    }
}
