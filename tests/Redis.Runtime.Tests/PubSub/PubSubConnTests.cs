using System.Diagnostics;
using Redis.Tests.Connection;

namespace Redis.Tests.PubSub;

/// <summary>PubSubConn's bytes and decoding against a scripted server (the cases of redigo's pubsub_test.go, https://github.com/gomodule/redigo/blob/master/redis/pubsub_test.go), RESP2 and RESP3.</summary>
public class PubSubConnTests
{
    public static TheoryData<bool> Modes() => new() { false, true };

    private static async Task<object> Receive(PubSubConn c, bool useAsync) => useAsync ? await c.ReceiveAsync() : c.Receive();

    private static async Task WaitForBytes(FakeServer server, string expected)
    {
        var watch = Stopwatch.StartNew();
        while (server.Received.Length < expected.Length && watch.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(5);
        Assert.Equal(expected, server.Received);
    }

    [Fact]
    public async Task Commands_AreWrittenAsRedigoWritesThem()
    {
        await using var server = new FakeServer(_ => null);
        using var c = new PubSubConn(Conn.Dial("tcp", server.Address));
        c.Subscribe("c1");
        c.Unsubscribe();
        c.Ping("x");
        c.PSubscribe("p*", "q*");
        c.SSubscribe("s1");
        c.SUnsubscribe();
        c.PUnsubscribe("p*");
        c.Ping();
        await WaitForBytes(server,
            "*2\r\n$9\r\nSUBSCRIBE\r\n$2\r\nc1\r\n" +
            "*1\r\n$11\r\nUNSUBSCRIBE\r\n" +
            "*2\r\n$4\r\nPING\r\n$1\r\nx\r\n" +
            "*3\r\n$10\r\nPSUBSCRIBE\r\n$2\r\np*\r\n$2\r\nq*\r\n" +
            "*2\r\n$10\r\nSSUBSCRIBE\r\n$2\r\ns1\r\n" +
            "*1\r\n$12\r\nSUNSUBSCRIBE\r\n" +
            "*2\r\n$12\r\nPUNSUBSCRIBE\r\n$2\r\np*\r\n" +
            "*1\r\n$4\r\nPING\r\n");
    }

    [Fact]
    public async Task AsyncCommands_WriteTheSameBytes()
    {
        await using var server = new FakeServer(_ => null);
        await using var c = new PubSubConn(Conn.Dial("tcp", server.Address));
        await c.SubscribeAsync(["c1"]);
        await c.UnsubscribeAsync();
        await c.PingAsync("x");
        await c.SSubscribeAsync(["s1", "s2"]);
        await c.PUnsubscribeAsync(["p*"]);
        await WaitForBytes(server,
            "*2\r\n$9\r\nSUBSCRIBE\r\n$2\r\nc1\r\n" +
            "*1\r\n$11\r\nUNSUBSCRIBE\r\n" +
            "*2\r\n$4\r\nPING\r\n$1\r\nx\r\n" +
            "*3\r\n$10\r\nSSUBSCRIBE\r\n$2\r\ns1\r\n$2\r\ns2\r\n" +
            "*2\r\n$12\r\nPUNSUBSCRIBE\r\n$2\r\np*\r\n");
    }

    [Fact]
    public void Subscribe_WithoutAChannel_IsAnArgumentError()
    {
        using var c = new PubSubConn(Conn.FromStream(new MemoryStream()));
        Assert.Throws<ArgumentException>(() => c.Subscribe());
        Assert.Throws<ArgumentException>(() => c.PSubscribe());
        Assert.Throws<ArgumentException>(() => c.SSubscribe(null!));
    }

    // What the scripted server answers to the SUBSCRIBE that starts each decoding test.
    private const string Resp2Notifications =
        "*3\r\n$9\r\nsubscribe\r\n$2\r\nc1\r\n:1\r\n" +
        "*3\r\n$7\r\nmessage\r\n$2\r\nc1\r\n$5\r\nhello\r\n" +
        "*4\r\n$8\r\npmessage\r\n$2\r\np*\r\n$2\r\npx\r\n$2\r\nhi\r\n" +
        "*3\r\n$8\r\nsmessage\r\n$2\r\ns1\r\n$3\r\nshh\r\n" +
        "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n" +
        "*2\r\n$4\r\npong\r\n$0\r\n\r\n" +
        "*3\r\n$12\r\nsunsubscribe\r\n$2\r\ns1\r\n:0\r\n";

    private const string Resp3Notifications =
        ">3\r\n$9\r\nsubscribe\r\n$2\r\nc1\r\n:1\r\n" +
        ">3\r\n$7\r\nmessage\r\n$2\r\nc1\r\n$5\r\nhello\r\n" +
        ">4\r\n$8\r\npmessage\r\n$2\r\np*\r\n$2\r\npx\r\n$2\r\nhi\r\n" +
        ">3\r\n$8\r\nsmessage\r\n$2\r\ns1\r\n$3\r\nshh\r\n" +
        ">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n" +
        "+PONG\r\n" +
        ">3\r\n$12\r\nsunsubscribe\r\n$2\r\ns1\r\n:0\r\n";

    public static TheoryData<string, bool> Notifications() => new()
    {
        { Resp2Notifications, false }, { Resp2Notifications, true }, { Resp3Notifications, false }, { Resp3Notifications, true },
    };

    [Theory, MemberData(nameof(Notifications))]
    public async Task Receive_DecodesEveryKindOfNotification(string frames, bool useAsync)
    {
        await using var server = new FakeServer(cmd => cmd[0] == "SUBSCRIBE" ? frames : null);
        using var c = new PubSubConn(Conn.Dial("tcp", server.Address));
        c.Subscribe("c1");
        Assert.Equal(new Subscription("subscribe", "c1", 1), await Receive(c, useAsync));

        var message = Assert.IsType<Message>(await Receive(c, useAsync));
        Assert.Equal(("c1", null, "hello", "message", false), (message.Channel, message.Pattern, message.Text, message.Kind, message.IsSharded));

        var pattern = Assert.IsType<Message>(await Receive(c, useAsync));
        Assert.Equal(("px", "p*", "hi", "pmessage"), (pattern.Channel, pattern.Pattern, pattern.Text, pattern.Kind));

        var sharded = Assert.IsType<Message>(await Receive(c, useAsync));
        Assert.Equal(("s1", null, "shh", "smessage", true), (sharded.Channel, sharded.Pattern, sharded.Text, sharded.Kind, sharded.IsSharded));

        Assert.Equal(new Subscription("unsubscribe", "", 0), await Receive(c, useAsync));
        Assert.Equal(new Pong(""), await Receive(c, useAsync));
        Assert.Equal(new Subscription("sunsubscribe", "s1", 0), await Receive(c, useAsync));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Resp3_ConfirmationsSentAsArraysAreAccepted_AsGarnetSendsThem(bool useAsync)
    {
        await using var server = new FakeServer(cmd => cmd[0] switch
        {
            "HELLO" => "%1\r\n+proto\r\n:3\r\n",
            "SUBSCRIBE" => "*3\r\n$9\r\nsubscribe\r\n$2\r\nc1\r\n:1\r\n>3\r\n$7\r\nmessage\r\n$2\r\nc1\r\n$1\r\nm\r\n",
            "PING" => cmd.Length > 1 ? $"${cmd[1].Length}\r\n{cmd[1]}\r\n" : "+PONG\r\n",
            _ => null,
        });
        using var c = new PubSubConn(await Conn.DialAsync("tcp", server.Address, new DialOptions { Protocol = 3 }));
        c.Subscribe("c1");
        Assert.Equal(new Subscription("subscribe", "c1", 1), await Receive(c, useAsync));
        Assert.Equal("m", Assert.IsType<Message>(await Receive(c, useAsync)).Text);
        c.Ping("hello");
        Assert.Equal(new Pong("hello"), await Receive(c, useAsync)); // RESP3 answers PING with a plain bulk
        c.Ping();
        Assert.Equal(new Pong(""), await Receive(c, useAsync));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Receive_ReportsUnknownNotificationsAndServerErrors_AndStaysUsable(bool useAsync)
    {
        await using var server = new FakeServer(cmd => cmd[0] == "SUBSCRIBE"
            ? "*1\r\n$3\r\nfoo\r\n-ERR oops\r\n$3\r\nbar\r\n>2\r\n$10\r\ninvalidate\r\n*0\r\n:7\r\n*3\r\n$9\r\nsubscribe\r\n$2\r\nc1\r\n:1\r\n"
            : null);
        using var c = new PubSubConn(Conn.Dial("tcp", server.Address));
        c.Subscribe("c1");
        var unknown = await Assert.ThrowsAsync<RedisException>(() => Receive(c, useAsync));
        Assert.Equal(typeof(RedisException), unknown.GetType());
        Assert.Contains("unknown pubsub notification", unknown.Message);
        Assert.Contains("'foo'", unknown.Message);
        var error = await Assert.ThrowsAsync<RedisServerException>(() => Receive(c, useAsync));
        Assert.Equal("ERR oops", error.Message);
        Assert.Contains("unknown pubsub notification", (await Assert.ThrowsAsync<RedisException>(() => Receive(c, useAsync))).Message);
        Assert.Contains("invalidate", (await Assert.ThrowsAsync<RedisException>(() => Receive(c, useAsync))).Message);
        Assert.Contains("Int64", (await Assert.ThrowsAsync<RedisException>(() => Receive(c, useAsync))).Message);
        Assert.Equal(new Subscription("subscribe", "c1", 1), await Receive(c, useAsync));
        Assert.Null(c.Conn.Err);
    }

    [Fact]
    public async Task ReadMessagesAsync_YieldsOnlyMessages_AndEndsQuietlyOnCancellation()
    {
        await using var server = new FakeServer(cmd => cmd[0] == "SUBSCRIBE"
            ? ">3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n" +
              ">3\r\n$7\r\nmessage\r\n$1\r\na\r\n$3\r\none\r\n" +
              ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n" +
              "*2\r\n$4\r\npong\r\n$0\r\n\r\n" +
              ">3\r\n$7\r\nmessage\r\n$1\r\na\r\n$3\r\ntwo\r\n"
            : null);
        await using var c = new PubSubConn(Conn.Dial("tcp", server.Address));
        c.Subscribe("a");
        using var cts = new CancellationTokenSource();
        var received = new List<string>();
        await foreach (Message message in c.ReadMessagesAsync(cts.Token))
        {
            received.Add(message.Text);
            if (received.Count == 2) cts.CancelAfter(50); // the next read waits for a message that never comes
        }
        Assert.Equal(["one", "two"], received);
        Assert.NotNull(c.Conn.Err); // a read was cut off: the connection is closed, as any cancelled read
    }

    [Fact]
    public async Task ReadMessagesAsync_ThrowsServerErrors()
    {
        await using var server = new FakeServer(cmd => cmd[0] == "SUBSCRIBE" ? "-ERR nope\r\n" : null);
        await using var c = new PubSubConn(Conn.Dial("tcp", server.Address));
        c.Subscribe("a");
        await Assert.ThrowsAsync<RedisServerException>(async () =>
        {
            await foreach (Message _ in c.ReadMessagesAsync()) { }
        });
    }

    [Fact]
    public async Task Dispose_ClosesTheConnection()
    {
        await using var server = new FakeServer(_ => null);
        IConn conn = Conn.Dial("tcp", server.Address);
        var c = new PubSubConn(conn);
        await c.DisposeAsync();
        Assert.NotNull(conn.Err);
        c.Dispose();
    }

    [Fact]
    public void ReceiveWithTimeout_NeedsAConnectionWithPerCallTimeouts()
    {
        using var c = new PubSubConn(new NoTimeoutConn());
        Assert.Throws<NotSupportedException>(() => c.ReceiveWithTimeout(TimeSpan.FromSeconds(1)));
    }

    private sealed class NoTimeoutConn : IConn
    {
        public Exception? Err => null;
        public object? Do(string command, params object?[] args) => null;
        public void Send(string command, params object?[] args) { }
        public void Flush() { }
        public object? Receive() => null;
        public ValueTask<object?> DoAsync(string command, params object?[] args) => default;
        public ValueTask<object?> DoAsync(string command, IReadOnlyList<object?> args, CancellationToken cancellationToken) => default;
        public ValueTask FlushAsync(CancellationToken cancellationToken = default) => default;
        public ValueTask<object?> ReceiveAsync(CancellationToken cancellationToken = default) => default;
        public void Close() { }
        public void Dispose() { }
        public ValueTask DisposeAsync() => default;
    }
}
