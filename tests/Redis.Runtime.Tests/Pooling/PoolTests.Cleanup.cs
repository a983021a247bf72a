using System.Collections.Concurrent;
using System.Diagnostics;
using static Redis.Tests.Shared.TestCommands;

namespace Redis.Tests.Pooling;

// What a returned connection undoes (MULTI, WATCH, subscriptions, SELECT, unread replies) or cannot undo, for untyped and typed commands.
public partial class PoolTests
{
    [Theory]
    [InlineData("MONITOR")]
    [InlineData("RESET")]
    [InlineData("HELLO", "3")]
    [InlineData("AUTH", "other-user", "pw")]
    [InlineData("CLIENT", "REPLY", "OFF")]
    [InlineData("client", "reply", "skip")]
    public void StateThatCannotBeUndone_DestroysTheConnectionOnReturn(string command, params string[] args)
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        IConn c = pool.Get();
        c.Send(command, args);
        c.Dispose();
        Assert.Equal(1, dialer.Dialed);
        Assert.Equal(0, dialer.Open);
        Assert.Equal(0, pool.Stats.ActiveCount);
    }

    [Fact]
    public void ClientReplyOn_IsNotTreatedAsState()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        IConn c = pool.Get();
        c.Do("CLIENT", "REPLY", "ON");
        c.Dispose();
        Assert.Equal(1, dialer.Open);
    }

    [Theory]
    [InlineData("SUBSCRIBE", "x", "UNSUBSCRIBE|PUNSUBSCRIBE|ECHO <sentinel>")]
    [InlineData("PSUBSCRIBE", "x*", "UNSUBSCRIBE|PUNSUBSCRIBE|ECHO <sentinel>")]
    [InlineData("ssubscribe", "x", "UNSUBSCRIBE|PUNSUBSCRIBE|SUNSUBSCRIBE|ECHO <sentinel>")]
    public async Task Subscription_IsUndoneOnReturn_UntilTheSentinelEcho_AndTheConnectionIsReused(string command, string channel, string cleanup)
    {
        foreach (bool useAsync in new[] { false, true })
        {
            var dialer = new FakeDialer();
            using var pool = NewPool(dialer);
            IConn c = pool.Get();
            c.Send(command, channel);
            c.Flush();
            if (useAsync) await c.DisposeAsync();
            else c.Dispose();
            Assert.Equal([$"{command} {channel}", .. cleanup.Split('|')], Last(dialer).Commands);
            Assert.Equal(1, dialer.Open);
            pool.Get().Dispose();
            Assert.Equal(1, dialer.Dialed);
        }
    }

    [Fact]
    public void Subscription_CleanupThatHitsAnErrorDestroysTheConnection()
    {
        var dialer = new FakeDialer
        {
            Answer = (cmd, args) => cmd == "SUNSUBSCRIBE" ? new RedisServerException("ERR unknown command 'SUNSUBSCRIBE'") : FakeConn.DefaultAnswer(cmd, args),
        };
        using var pool = NewPool(dialer);
        IConn c = pool.Get();
        c.Send("SSUBSCRIBE", "x");
        c.Dispose();
        Assert.Equal(0, dialer.Open);
    }

    public static TheoryData<string[], string[]> TransactionCleanups() => new()
    {
        { ["WATCH", "PING"], ["UNWATCH"] },
        { ["WATCH", "UNWATCH", "PING"], [] },
        { ["WATCH", "MULTI", "PING"], ["DISCARD"] },
        { ["WATCH", "MULTI", "DISCARD", "PING"], [] },
        { ["WATCH", "MULTI", "EXEC", "PING"], [] },
        { ["multi", "PING"], ["DISCARD"] },
        { ["wAtch", "PING"], ["UNWATCH"] },
    };

    [Theory, MemberData(nameof(TransactionCleanups))]
    public void Transaction_IsUndoneOnReturn(string[] commands, string[] cleanup)
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        IConn c = pool.Get();
        foreach (string command in commands) c.Do(command, command.Equals("WATCH", StringComparison.OrdinalIgnoreCase) ? ["k"] : []);
        c.Dispose();
        IEnumerable<string> expected = commands.Select(x => x.Equals("WATCH", StringComparison.OrdinalIgnoreCase) ? $"{x} k" : x).Concat(cleanup);
        Assert.Equal(expected, Last(dialer).Commands);
        Assert.Equal(1, dialer.Open);
    }

    [Fact]
    public void Select_IsUndoneOnReturn_WithTheDatabaseThePoolDials()
    {
        var dialer = new FakeDialer();
        using var pool = new Pool(Options(dialer) with
        {
            Database = 3,
        });
        IConn c = pool.Get();
        c.Do("SELECT", 5);
        c.Dispose();
        Assert.Equal(["SELECT 5", "SELECT 3"], Last(dialer).Commands);
        Assert.Equal(1, dialer.Open);
    }

    [Fact]
    public void Select_WithoutAKnownDatabase_DestroysTheConnectionOnReturn()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        IConn c = pool.Get();
        c.Do("select", 5);
        c.Dispose();
        Assert.Equal(0, dialer.Open);
    }

    [Fact]
    public void Create_KnowsTheDatabaseFromTheUrlOrOptions()
    {
        using Pool fromUrl = Pool.Create("redis://localhost:6379/4");
        using Pool fromOptions = Pool.Create("tcp", "localhost:6379", new DialOptions { Database = 2 });
        using Pool plain = Pool.Create("tcp", "localhost:6379");
        Assert.Equal(4, fromUrl.Database);
        Assert.Equal(2, fromOptions.Database);
        Assert.Equal(0, plain.Database);
        Assert.NotNull(fromUrl.Dial);
        Assert.NotNull(fromUrl.DialAsync);
        var ex = Assert.Throws<ArgumentException>(() => Pool.Create("http://user:hunter2@localhost"));
        Assert.DoesNotContain("hunter2", ex.Message);
    }

    [Fact]
    public void UnreadReplies_AreDrainedOnReturn()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        IConn c = pool.Get();
        c.Send("SET", "k", "v");
        c.Send("GET", "k");
        c.Dispose();
        using IConn again = pool.Get();
        Assert.Equal("PONG", again.Do("PING")); // not the old replies
        Assert.Equal(1, dialer.Dialed);
    }

    private readonly struct ClientReply(string mode) : IRespCommand
    {
        public void WriteTo(RespWriter writer)
        {
            writer.WriteArrayHeader(3);
            writer.WriteBulkString("client"u8);
            writer.WriteBulkString("reply"u8);
            writer.WriteBulkString(mode);
        }
    }

    [Fact]
    public async Task TypedCommands_AreTrackedLikeDo()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        IConn c = pool.Get();
        IRespExecutor executor = RespExecutor.For(c);
        Assert.Same(c, executor);
        Assert.True(executor.Execute<Multi, OkParser, bool>(new Multi(), new OkParser()));
        c.Dispose();
        Assert.Equal(["MULTI", "DISCARD"], Last(dialer).Commands);

        c = pool.Get();
        await RespExecutor.For(c).ExecuteAsync<ClientReply, OkParser, bool>(new ClientReply("OFF"), new OkParser());
        await c.DisposeAsync();
        Assert.Equal(0, dialer.Open);
    }

    [Fact]
    public async Task TypedCommandsCarryingTheirTableId_AreTrackedByTheId()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        IConn c = pool.Get();
        // It writes SET but carries WATCH's id: what the pool tracks comes from the id, not from the bytes.
        Assert.True(RespExecutor.For(c).Execute<SetCarryingWatchId, OkParser, bool>(default, new OkParser()));
        c.Dispose();
        Assert.Equal("UNWATCH", Last(dialer).Commands[^1]);

        // CLIENT REPLY's mode is still read from its arguments: ON keeps the connection, OFF does not.
        c = pool.Get();
        await RespExecutor.For(c).ExecuteAsync<ClientReplyCarryingId, OkParser, bool>(new ClientReplyCarryingId("ON"), new OkParser());
        await c.DisposeAsync();
        Assert.Equal(1, dialer.Open);
        c = pool.Get();
        await RespExecutor.For(c).ExecuteAsync<ClientReplyCarryingId, OkParser, bool>(new ClientReplyCarryingId("OFF"), new OkParser());
        await c.DisposeAsync();
        Assert.Equal(0, dialer.Open);
    }

    private readonly struct SetCarryingWatchId : IRespCommand
    {
        private static readonly int s_id = Redis.CommandTable.IdOf("WATCH");

        static int IRespCommand.CommandId => s_id;

        public void WriteTo(RespWriter writer)
        {
            writer.WriteArrayHeader(3);
            writer.WriteBulkString("SET"u8);
            writer.WriteBulkString("k"u8);
            writer.WriteBulkString("v"u8);
        }
    }

    private readonly struct ClientReplyCarryingId(string mode) : IRespCommand
    {
        private static readonly int s_id = Redis.CommandTable.IdOf("CLIENT REPLY");

        static int IRespCommand.CommandId => s_id;

        public void WriteTo(RespWriter writer)
        {
            writer.WriteArrayHeader(3);
            writer.WriteBulkString("CLIENT"u8);
            writer.WriteBulkString("REPLY"u8);
            writer.WriteBulkString(mode);
        }
    }

    [Fact]
    public async Task PerCallTimeouts_ReachThePooledConnection()
    {
        var dialer = new FakeDialer();
        using var pool = NewPool(dialer);
        using IConnWithTimeout c = pool.Get();
        c.DoWithTimeout(TimeSpan.FromSeconds(7), "BLPOP", "k", 5);
        Assert.Equal(TimeSpan.FromSeconds(7), Last(dialer).LastTimeout);
        await c.DoWithTimeoutAsync(TimeSpan.FromSeconds(9), "WATCH", ["k"]);
        Assert.Equal(TimeSpan.FromSeconds(9), Last(dialer).LastTimeout);
        c.Dispose();
        Assert.Equal("UNWATCH", Last(dialer).Commands[^1]); // tracked through DoWithTimeoutAsync too
    }
}
