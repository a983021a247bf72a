namespace Redis.Tests.Client;

/// <summary>RedisClient's routing, decided from the command table's entries (no name lists of its own).</summary>
public class CommandRoutingTests
{
    [Theory]
    [InlineData("GET", "Shared")]
    [InlineData("set", "Shared")]
    [InlineData("INCR", "Shared")]
    [InlineData("EXPIRE", "Shared")]
    [InlineData("blpop", "Blocking")]
    [InlineData("BRPOP", "Blocking")]
    [InlineData("BRPOPLPUSH", "Blocking")]
    [InlineData("BLMOVE", "Blocking")]
    [InlineData("BLMPOP", "Blocking")]
    [InlineData("BZPOPMIN", "Blocking")]
    [InlineData("BZPOPMAX", "Blocking")]
    [InlineData("BZMPOP", "Blocking")]
    [InlineData("WAIT", "Blocking")]
    [InlineData("WAITAOF", "Blocking")]
    [InlineData("MULTI", "Transaction")]
    [InlineData("exec", "Transaction")]
    [InlineData("DISCARD", "Transaction")]
    [InlineData("WATCH", "Transaction")]
    [InlineData("UNWATCH", "Transaction")]
    [InlineData("SUBSCRIBE", "Subscription")]
    [InlineData("PSUBSCRIBE", "Subscription")]
    [InlineData("SSUBSCRIBE", "Subscription")]
    [InlineData("UNSUBSCRIBE", "Subscription")]
    [InlineData("PUNSUBSCRIBE", "Subscription")]
    [InlineData("SUNSUBSCRIBE", "Subscription")]
    [InlineData("MONITOR", "Monitor")]
    [InlineData("SELECT", "ConnectionState")]
    [InlineData("AUTH", "ConnectionState")]
    [InlineData("HELLO", "ConnectionState")]
    [InlineData("RESET", "ConnectionState")]
    [InlineData("QUIT", "ConnectionState")]
    [InlineData("PUBLISH", "Shared")]
    [InlineData("XADD", "Shared")]
    [InlineData("BITCOUNT", "Shared")]
    [InlineData("WAITING", "Shared")]
    [InlineData("SUBSCRIBERS", "Shared")]
    public void ClassifiesByTableEntry_CaseInsensitively(string name, string expected)
    {
        Assert.Equal(expected, Untyped(name).ToString());
        Assert.Equal(expected, CommandRouting.Classify<Raw>(Encode(name), out _).ToString());
    }

    [Fact]
    public void XRead_IsBlockingOnlyWithBlock()
    {
        Assert.Equal(CommandRoute.Shared, Untyped("XREAD", "COUNT", 1, "STREAMS", "s", "0"));
        Assert.Equal(CommandRoute.Blocking, Untyped("XREAD", "block", 100, "STREAMS", "s", "$"));
        Assert.Equal(CommandRoute.Blocking, Untyped("XREADGROUP", "GROUP", "g", "c", "BLOCK"u8.ToArray(), 0, "STREAMS", "s", ">"));
        Assert.Equal(CommandRoute.Shared, CommandRouting.Classify<Raw>(Encode("XREAD", "COUNT", "1", "STREAMS", "s", "0"), out _));
        Assert.Equal(CommandRoute.Blocking, CommandRouting.Classify<Raw>(Encode("XREAD", "BLOCK", "0", "STREAMS", "s", "$"), out _));
        Assert.Equal(CommandRoute.Blocking, CommandRouting.Classify<Raw>(Encode("xreadgroup", "GROUP", "g", "c", "Block", "5", "STREAMS", "s", ">"), out _));
        // The spec flags XREAD blocking; the table's overlay says only with BLOCK, so the entry alone cannot decide.
        Assert.True(Redis.CommandTable.Find("XREAD").IsBlocking);
        Assert.Null(CommandRouting.ByEntry(Redis.CommandTable.Find("XREAD")));
    }

    [Fact]
    public void ACommandCarryingItsId_IsRoutedByTheId_NotByTheBytesItWrites()
    {
        Assert.Equal(CommandRoute.Subscription, CommandRouting.Classify<CarriesSubscribe>(Encode("PING"), out CommandInfo info));
        Assert.Equal("SUBSCRIBE", info.Name);
        Assert.Equal(CommandRoute.Subscription, CommandRouting.ByEntry(Redis.CommandTable.Of<CarriesSubscribe>()));
        Assert.False(Redis.CommandTable.Of<Raw>().IsKnown);
    }

    [Fact]
    public void ClientReply_ChangesTheConnection_OtherClientSubcommandsDoNot()
    {
        Assert.Equal(CommandRoute.ConnectionState, Untyped("CLIENT", "REPLY", "OFF"));
        Assert.Equal(CommandRoute.Shared, Untyped("CLIENT", "ID"));
        Assert.Equal(CommandRoute.Shared, Untyped("CLIENT", "TRACKING", "ON"));
        Assert.Equal(CommandRoute.Shared, Untyped("CLIENT"));
        Assert.Equal(CommandRoute.ConnectionState, CommandRouting.Classify<Raw>(Encode("CLIENT", "reply", "SKIP"), out _));
        Assert.Equal(CommandRoute.Shared, CommandRouting.Classify<Raw>(Encode("CLIENT", "KILL", "ID", "5"), out _));
    }

    [Fact]
    public void MalformedEncodings_AreShared_NotThrown()
    {
        Assert.Equal(CommandRoute.Shared, CommandRouting.Classify<Raw>(ReadOnlySpan<byte>.Empty, out _));
        Assert.Equal(CommandRoute.Shared, CommandRouting.Classify<Raw>("+OK\r\n"u8, out _));
        Assert.Equal(CommandRoute.Shared, CommandRouting.Classify<Raw>("*1\r\n$9\r\nBLP"u8, out _));
        Assert.Equal(CommandRoute.Shared, CommandRouting.Classify<Raw>("*0\r\n"u8, out _));
    }

    [Fact]
    public void LongCommands_AreSplitWithoutLosingTheBlockOption()
    {
        string[] args = [.. Enumerable.Range(0, 40).Select(i => $"s{i}"), "BLOCK", "0"];
        Assert.Equal(CommandRoute.Blocking, CommandRouting.Classify<Raw>(Encode("XREAD", args), out CommandInfo info));
        Assert.Equal("XREAD", info.Name);
    }

    [Fact]
    public void RefusalMessages_NameTheAlternative()
    {
        Assert.Contains("Transaction(", CommandRouting.RefusalMessage("MULTI", CommandRoute.Transaction));
        Assert.Contains("CreatePubSub", CommandRouting.RefusalMessage("SUBSCRIBE", CommandRoute.Subscription));
        Assert.Contains("GetDedicated", CommandRouting.RefusalMessage("MONITOR", CommandRoute.Monitor));
        Assert.Contains("DialOptions", CommandRouting.RefusalMessage("SELECT", CommandRoute.ConnectionState));
    }

    private static CommandRoute Untyped(string name, params object?[] args)
        => CommandRouting.Classify(Redis.CommandTable.Find(name, args.Length > 0 ? args[0] : null), args);

    private static byte[] Encode(string name, params string[] args)
    {
        using var writer = new RespWriter();
        writer.WriteCommand(name, args.Cast<object?>().ToArray());
        return writer.WrittenSpan.ToArray();
    }

    // Stand-ins: the routing reads only the type's id and the bytes passed to it.
    private readonly struct Raw : IRespCommand
    {
        public void WriteTo(RespWriter writer) => writer.WriteCommand("PING", []);
    }

    private readonly struct CarriesSubscribe : IRespCommand
    {
        private static readonly int s_id = Redis.CommandTable.IdOf("SUBSCRIBE");

        static int IRespCommand.CommandId => s_id;

        public void WriteTo(RespWriter writer) => writer.WriteCommand("PING", []);
    }
}
