using System.Buffers;
using Microsoft.Extensions.Caching.Distributed;

namespace Redis.Extensions.Caching.Tests;

/// <summary>The <see cref="IBufferDistributedCache"/> members HybridCache uses: TryGet into a buffer writer, Set from a sequence.</summary>
[Collection(CacheCollection.Name)]
public class BufferDistributedCacheTests(CacheFixture fixture)
{
    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, Segment? previous)
        {
            Memory = bytes;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }

    private static ReadOnlySequence<byte> ThreeSegments(out byte[] whole)
    {
        byte[] a = [1, 2, 3], b = [4, 5], c = [6, 7, 8, 9];
        var first = new Segment(a, null);
        var second = new Segment(b, first);
        var last = new Segment(c, second);
        whole = [.. a, .. b, .. c];
        return new ReadOnlySequence<byte>(first, 0, last, c.Length);
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task SetFromAMultiSegmentSequence_StoresTheBytesInOrder_AndTryGetWritesThem(bool useAsync)
    {
        IBufferDistributedCache cache = fixture.NewCache("buffer", out _);
        var sequence = ThreeSegments(out byte[] whole);
        var options = new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(1) };
        if (useAsync) await cache.SetAsync("k", sequence, options);
        else cache.Set("k", sequence, options);

        var writer = new ArrayBufferWriter<byte>();
        writer.Write(new byte[] { 0xFF }); // TryGet appends after what the writer already holds
        bool found = useAsync ? await cache.TryGetAsync("k", writer) : cache.TryGet("k", writer);
        Assert.True(found);
        Assert.Equal([0xFF, .. whole], writer.WrittenSpan.ToArray());
        Assert.Equal(whole, await cache.GetAsync("k"));
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task SetFromASingleSegmentSequence_StoresItsBytes(bool useAsync)
    {
        IBufferDistributedCache cache = fixture.NewCache("buffer1", out _);
        byte[] bytes = [10, 0, 20, 0, 30];
        var sequence = new ReadOnlySequence<byte>(bytes, 1, 3);
        if (useAsync) await cache.SetAsync("k", sequence, new DistributedCacheEntryOptions());
        else cache.Set("k", sequence, new DistributedCacheEntryOptions());
        Assert.Equal(new byte[] { 0, 20, 0 }, await cache.GetAsync("k"));
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task TryGetOfAMissingKey_ReturnsFalse_AndWritesNothing(bool useAsync)
    {
        IBufferDistributedCache cache = fixture.NewCache("buffer-miss", out _);
        var writer = new ArrayBufferWriter<byte>();
        bool found = useAsync ? await cache.TryGetAsync("missing", writer) : cache.TryGet("missing", writer);
        Assert.False(found);
        Assert.Equal(0, writer.WrittenCount);
    }
}
