using System.Text;

namespace Redis.Tests.Replies;

/// <summary>The helpers of <see cref="Reply"/> for command-shaped replies (GEOPOS, SLOWLOG GET).</summary>
public class ReplyCommandShapeTests
{
    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private static object?[] A(params object?[] values) => values;

    /// <summary>An array of one element (<c>A(array)</c> would pass the array itself as the params array).</summary>
    private static object?[] One(object? element) => [element];

    // ------------------------------------------------------------------ Positions / SlowLogs

    [Fact]
    public void Positions_ConvertsPairsAndMissingMembers()
    {
        var positions = Reply.Positions(A(A(B("1"), B("2")), null, A(B("3"), B("4"))))!;
        Assert.Equal(3, positions.Length);
        Assert.Equal((1.0, 2.0), positions[0]);
        Assert.Null(positions[1]);
        Assert.Equal((3.0, 4.0), positions[2]);
        Assert.Equal(3.0, positions[2]!.Value.Longitude);
        Assert.Equal(4.0, positions[2]!.Value.Latitude);
    }

    [Fact]
    public void Positions_AcceptsResp3Doubles() => Assert.Equal((13.361389, 38.115556), Reply.Positions(One(A(13.361389, 38.115556)))![0]);

    [Fact]
    public void Positions_WrongPairLengthThrows()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.Positions(One(A(B("1")))));
        Assert.Equal("Reply.Positions: unexpected number of values for a member position, got 1 at index 0", ex.Message);
    }

    [Fact]
    public void Positions_NilReturnsNull() => Assert.Null(Reply.Positions(null));

    [Fact]
    public void SlowLogs_ConvertsEntryWithClientFields()
    {
        object?[] reply = One(A(1L, 1579625870L, 3L, A(B("set"), B("x"), B("y")), B("localhost:1234"), B("testClient")));
        SlowLog entry = Assert.Single(Reply.SlowLogs(reply)!);
        Assert.Equal(1L, entry.Id);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1579625870), entry.Time);
        Assert.Equal(TimeSpan.FromMicroseconds(3), entry.ExecutionTime);
        Assert.Equal(["set", "x", "y"], entry.Args);
        Assert.Equal("localhost:1234", entry.ClientAddress);
        Assert.Equal("testClient", entry.ClientName);
    }

    [Fact]
    public void SlowLogs_FourElementEntryHasNoClientFields()
    {
        SlowLog entry = Assert.Single(Reply.SlowLogs(One(A(7L, 0L, 1500L, A("get", "k"))))!);
        Assert.Equal(7L, entry.Id);
        Assert.Equal(DateTimeOffset.UnixEpoch, entry.Time);
        Assert.Equal(TimeSpan.FromMilliseconds(1.5), entry.ExecutionTime);
        Assert.Equal(["get", "k"], entry.Args);
        Assert.Null(entry.ClientAddress);
        Assert.Null(entry.ClientName);
    }

    [Fact]
    public void SlowLogs_ShortEntryThrows()
    {
        var ex = Assert.Throws<RedisException>(() => Reply.SlowLogs(One(A(1L, 2L, 3L))));
        Assert.Equal("Reply.SlowLogs: a slow log entry needs at least 4 values, got 3 at index 0", ex.Message);
    }

    [Fact]
    public void SlowLogs_NilReturnsNullAndEmptyGivesEmpty()
    {
        Assert.Null(Reply.SlowLogs(null));
        Assert.Empty(Reply.SlowLogs(A())!);
    }
}
