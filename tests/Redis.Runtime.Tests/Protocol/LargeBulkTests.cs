using System.Text;
using Redis.Tests.Client;

namespace Redis.Tests.Protocol;

/// <summary>
/// Large bulk replies that the connection reads straight into their result (an exact-length array for
/// <c>byte[]</c>, a pooled one for a lease): every way the reply can be split across socket reads gives
/// the same value and keeps the stream in step, malformed input still breaks the connection, and the
/// decoder's retained buffer stays bounded and decays.
/// </summary>
public class LargeBulkTests
{
    // Just over the size the decoder reads outside its buffer, so every split point is cheap to try.
    private const int PayloadLength = RespDecoder.DirectBulkMinLength + 7;

    private static readonly byte[] Payload = MakePayload(PayloadLength, seed: 7);

    public enum ResultKind
    {
        TypedBytes,
        TypedLease,
        Do,
        DoLease,
    }

    private static byte[] MakePayload(int length, int seed)
    {
        var payload = new byte[length];
        new Random(seed).NextBytes(payload);
        return payload;
    }

    // Conn is both an IConn and an IRespExecutor: pick one for the typed API.
    private static IRedisCommands C(Conn conn) => ((IConn)conn).Commands();

    private static byte[] BulkWire(byte[] payload) => [.. Encoding.ASCII.GetBytes($"${payload.Length}\r\n"), .. payload, .. "\r\n"u8];

    // Reads the large value the way `kind` says and returns a copy of its bytes (a lease is disposed).
    private static byte[] ReadValue(Conn conn, ResultKind kind)
    {
        switch (kind)
        {
            case ResultKind.TypedBytes:
                return C(conn).Get("k")!;
            case ResultKind.TypedLease:
            {
                using RedisLease lease = C(conn).GetLease("k")!.Value;
                return lease.ToArray();
            }
            case ResultKind.Do:
                return (byte[])conn.Do("GET", "k")!;
            default:
            {
                using RedisLease lease = conn.DoLease("GET", "k")!.Value;
                return lease.ToArray();
            }
        }
    }

    [Theory]
    [InlineData(ResultKind.TypedBytes)]
    [InlineData(ResultKind.TypedLease)]
    [InlineData(ResultKind.Do)]
    [InlineData(ResultKind.DoLease)]
    public void LargeBulkSplitIntoTwoReadsAtEveryOffset_GivesThePayload_AndTheNextReplyStaysInStep(ResultKind kind)
    {
        byte[] wire = [.. BulkWire(Payload), .. ":42\r\n"u8];
        for (int split = 1; split < wire.Length; split++)
        {
            var stream = new ScriptStream(wire, split);
            using Conn conn = Conn.FromStream(stream);
            byte[] value = ReadValue(conn, kind);
            if (!value.AsSpan().SequenceEqual(Payload)) Assert.Fail($"split at {split}: wrong payload");
            Assert.Equal(42L, C(conn).Incr("n"));
            Assert.Null(conn.Err);
        }
    }

    [Theory]
    [InlineData(ResultKind.TypedBytes)]
    [InlineData(ResultKind.TypedLease)]
    [InlineData(ResultKind.Do)]
    [InlineData(ResultKind.DoLease)]
    public void LargeBulkArrivingOneByteAtATime_GivesThePayload(ResultKind kind)
    {
        byte[] wire = [.. BulkWire(Payload), .. "+OK\r\n"u8];
        var stream = new ScriptStream(wire) { MaxRead = 1 };
        using Conn conn = Conn.FromStream(stream);
        Assert.True(ReadValue(conn, kind).AsSpan().SequenceEqual(Payload));
        Assert.True(C(conn).Set("k", "v"));
    }

    [Theory]
    [InlineData(ResultKind.TypedBytes)]
    [InlineData(ResultKind.TypedLease)]
    [InlineData(ResultKind.Do)]
    [InlineData(ResultKind.DoLease)]
    public async Task LargeBulkSplitIntoTwoReads_AsyncPaths_GiveThePayload(ResultKind kind)
    {
        byte[] wire = BulkWire(Payload);
        foreach (int split in new[] { 1, 5, 9, 10, 11, 4096, 16 * 1024, 20000, wire.Length - 3, wire.Length - 2, wire.Length - 1 })
        {
            await using Conn conn = Conn.FromStream(new ScriptStream(wire, split));
            byte[] value;
            switch (kind)
            {
                case ResultKind.TypedBytes:
                    value = (await C(conn).GetAsync("k"))!;
                    break;
                case ResultKind.TypedLease:
                {
                    using RedisLease lease = (await C(conn).GetLeaseAsync("k"))!.Value;
                    value = lease.ToArray();
                    break;
                }
                case ResultKind.Do:
                    value = (byte[])(await conn.DoAsync("GET", "k"))!;
                    break;
                default:
                {
                    using RedisLease lease = (await conn.DoLeaseAsync("GET", ["k"]))!.Value;
                    value = lease.ToArray();
                    break;
                }
            }
            Assert.True(value.AsSpan().SequenceEqual(Payload), $"split at {split}");
        }
    }

    [Theory]
    [InlineData(ResultKind.TypedBytes)]
    [InlineData(ResultKind.TypedLease)]
    [InlineData(ResultKind.Do)]
    [InlineData(ResultKind.DoLease)]
    public void LargeBulkNotFollowedByCrlf_IsAProtocolError_AndBreaksTheConnection(ResultKind kind)
    {
        byte[] wire = [.. Encoding.ASCII.GetBytes($"${Payload.Length}\r\n"), .. Payload, .. "XY:1\r\n"u8];
        foreach (int split in new[] { 3, 12, 20000, wire.Length - 6, wire.Length - 5 })
        {
            using Conn conn = Conn.FromStream(new ScriptStream(wire, split));
            Assert.Throws<RedisProtocolException>(() => ReadValue(conn, kind));
            Assert.IsType<RedisProtocolException>(conn.Err);
            Assert.Throws<RedisConnectionException>(() => conn.Do("PING"));
        }
    }

    [Fact]
    public void LargeBulkLongerThanMaxBulkLength_IsRefusedWhenItsHeaderArrives()
    {
        byte[] wire = BulkWire(Payload);
        using Conn conn = Conn.FromStream(new ScriptStream(wire, 20), new DialOptions { Limits = new RespLimits { MaxBulkLength = PayloadLength - 1 } });
        Assert.Throws<RedisProtocolException>(() => C(conn).GetLease("k"));
        Assert.IsType<RedisProtocolException>(conn.Err);
    }

    [Fact]
    public void LargeBulkInsideAnArray_IsReadThroughTheBuffer_AndDecodesWhole()
    {
        byte[] wire = [.. "*2\r\n"u8, .. BulkWire(Payload), .. ":5\r\n"u8];
        using Conn conn = Conn.FromStream(new ScriptStream(wire, 100));
        var reply = (object?[])conn.Do("MGET", "k")!;
        Assert.True(((byte[])reply[0]!).AsSpan().SequenceEqual(Payload));
        Assert.Equal(5L, reply[1]);
    }

    [Fact]
    public void GetLease_OfAMissingKey_IsNull_AndAnEmptyValueIsAnEmptyLease()
    {
        using Conn conn = Conn.FromStream(new ScriptStream([.. "$-1\r\n$0\r\n\r\n"u8]));
        Assert.Null(C(conn).GetLease("missing"));
        using RedisLease empty = C(conn).GetLease("empty")!.Value;
        Assert.Equal(0, empty.Length);
    }

    [Fact]
    public void Lease_DisposedTwiceOrThroughACopy_ReturnsItsArrayOnce_AndNeverTouchesALaterLease()
    {
        using Conn conn = Conn.FromStream(new ScriptStream([.. BulkWire(Payload), .. BulkWire(Payload)]));
        RedisLease first = C(conn).GetLease("k")!.Value;
        RedisLease copy = first;
        first.Dispose();
        Assert.True(copy.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => copy.Span.Length);
        RedisLease second = C(conn).GetLease("k")!.Value;
        copy.Dispose();   // a stale copy: must not return the second lease's array
        first.Dispose();
        Assert.False(second.IsDisposed);
        Assert.True(second.Span.SequenceEqual(Payload));
        second.Dispose();
        Assert.True(second.IsDisposed);
    }

    [Fact]
    public void TypedGetLease_AllocatesNothingPerCall_OnceWarm()
    {
        var stream = new RepeatingStream(BulkWire(Payload));
        using Conn conn = Conn.FromStream(stream);
        IRedisCommands commands = C(conn);
        RedisKey key = "k";
        for (int i = 0; i < 200; i++) commands.GetLease(key)!.Value.Dispose();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            using RedisLease lease = commands.GetLease(key)!.Value;
            if (lease.Length != PayloadLength) Assert.Fail("short value");
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1000, $"{allocated} bytes allocated by 1000 lease reads of {PayloadLength} bytes");
    }

    [Fact]
    public void TypedGetBytes_AllocatesOnlyTheResultArray()
    {
        var stream = new RepeatingStream(BulkWire(Payload));
        using Conn conn = Conn.FromStream(stream);
        IRedisCommands commands = C(conn);
        RedisKey key = "k";
        for (int i = 0; i < 50; i++) commands.Get(key);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) commands.Get(key);
        long perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        // One byte[PayloadLength]: the payload plus the array header, nothing else.
        Assert.InRange(perCall, PayloadLength, PayloadLength + 64);
    }

    [Fact]
    public void Decoder_KeepsALargeBufferAcrossLargeReplies_AndGivesItUpAfterManySmallOnes()
    {
        byte[] large = BulkWire(MakePayload(3 * 1024 * 1024, seed: 1));
        using var decoder = new RespDecoder();
        int initial = decoder.Capacity;
        Feed(decoder, large);
        int grown = decoder.Capacity;
        Assert.True(grown > 1024 * 1024, $"capacity {grown}");
        Feed(decoder, large);
        Assert.Equal(grown, decoder.Capacity);   // kept: the second large reply did not grow it again
        for (int i = 0; i < RespDecoder.RetentionDecayReplies - 1; i++) Feed(decoder, "+OK\r\n"u8.ToArray());
        Assert.Equal(grown, decoder.Capacity);
        Feed(decoder, "+OK\r\n"u8.ToArray());
        Assert.True(decoder.Capacity < grown && decoder.Capacity <= Math.Max(initial, 1024 * 1024), $"capacity {decoder.Capacity} after the decay");
    }

    [Fact]
    public void Decoder_DropsABufferBeyondTheRetentionBound_AtOnce()
    {
        byte[] huge = BulkWire(MakePayload(RespDecoder.MaxRetainedCapacity + 1024, seed: 2));
        using var decoder = new RespDecoder();
        Feed(decoder, huge);
        Assert.True(decoder.Capacity <= 1024 * 1024, $"capacity {decoder.Capacity} kept after a reply beyond the bound");
    }

    // Feeds one whole reply in 64 KB reads through the buffer path and reads it.
    private static void Feed(RespDecoder decoder, byte[] wire)
    {
        int offset = 0;
        object? reply;
        while (!decoder.TryReadObject(out reply))
        {
            Span<byte> free = decoder.GetFillBuffer(4096).Span;
            int n = Math.Min(Math.Min(free.Length, 64 * 1024), wire.Length - offset);
            wire.AsSpan(offset, n).CopyTo(free);
            decoder.Advance(n);
            offset += n;
        }
        Assert.Equal(wire.Length, offset);
        Assert.NotNull(reply);
    }

    [Fact]
    public async Task RedisClient_LargeValuesAsBytesLeasesAndDo_EachCallerGetsItsOwnValue()
    {
        string[] values = [.. Enumerable.Range(0, 4).Select(i => new string((char)('a' + i), 100 * 1024 + i * 4099))];
        await using var server = ScriptedServer.Simple();
        await using var client = await RedisClient.ConnectAsync("tcp", server.Address, clientOptions: new ClientOptions { CommandTimeout = TimeSpan.FromSeconds(30) });
        IRedisCommands commands = client.Commands();
        for (int i = 0; i < values.Length; i++) await commands.SetAsync($"k{i}", values[i]);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(caller => Task.Run(async () =>
        {
            for (int round = 0; round < 40; round++)
            {
                int i = (caller + round) % values.Length;
                byte[] expected = Encoding.ASCII.GetBytes(values[i]);
                byte[] actual;
                switch ((caller + round) % 5)
                {
                    case 0:
                        actual = commands.Get($"k{i}")!;
                        break;
                    case 1:
                        actual = (await commands.GetAsync($"k{i}"))!;
                        break;
                    case 2:
                    {
                        using RedisLease lease = (await commands.GetLeaseAsync($"k{i}"))!.Value;
                        actual = lease.ToArray();
                        break;
                    }
                    case 3:
                    {
                        using RedisLease lease = client.DoLease("GET", $"k{i}")!.Value;
                        actual = lease.ToArray();
                        break;
                    }
                    default:
                        actual = (byte[])(await client.DoAsync("GET", $"k{i}"))!;
                        break;
                }
                Assert.True(actual.AsSpan().SequenceEqual(expected), $"caller {caller} round {round}: wrong value for k{i}");
                Assert.Equal($"e{caller}:{round}", Encoding.UTF8.GetString((byte[])(await client.DoAsync("ECHO", $"e{caller}:{round}"))!));
            }
        })));
        Assert.Equal(1, server.Connections);
    }

    /// <summary>Answers every write (one command) with the same reply, in reads of at most 16 KB.</summary>
    private sealed class RepeatingStream(byte[] reply) : Stream
    {
        private int _owed;
        private int _position;

        public override int Read(Span<byte> buffer)
        {
            if (_owed == 0) throw new InvalidOperationException("read with no reply owed");
            int n = Math.Min(Math.Min(buffer.Length, 16 * 1024), reply.Length - _position);
            reply.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            if (_position == reply.Length)
            {
                _position = 0;
                _owed--;
            }
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => _owed++;

        public override void Write(byte[] buffer, int offset, int count) => _owed++;

        public override void Flush() { }

        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
