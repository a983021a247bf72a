namespace Redis.Tests.Client;

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
    public void ClassifiesByName_CaseInsensitively(string name, string expected)
    {
        Assert.Equal(expected, CommandRouting.Classify(name, ReadOnlySpan<object?>.Empty).ToString());
        Assert.Equal(expected, CommandRouting.Classify(Encode(name)).ToString());
    }

    [Fact]
    public void XRead_IsBlockingOnlyWithBlock()
    {
        Assert.Equal(CommandRoute.Shared, CommandRouting.Classify("XREAD", ["COUNT", 1, "STREAMS", "s", "0"]));
        Assert.Equal(CommandRoute.Blocking, CommandRouting.Classify("XREAD", ["block", 100, "STREAMS", "s", "$"]));
        Assert.Equal(CommandRoute.Blocking, CommandRouting.Classify("XREADGROUP", ["GROUP", "g", "c", "BLOCK"u8.ToArray(), 0, "STREAMS", "s", ">"]));
        Assert.Equal(CommandRoute.Shared, CommandRouting.Classify(Encode("XREAD", "COUNT", "1", "STREAMS", "s", "0")));
        Assert.Equal(CommandRoute.Blocking, CommandRouting.Classify(Encode("XREAD", "BLOCK", "0", "STREAMS", "s", "$")));
        Assert.Equal(CommandRoute.Blocking, CommandRouting.Classify(Encode("xreadgroup", "GROUP", "g", "c", "Block", "5", "STREAMS", "s", ">")));
    }

    [Fact]
    public void ClientReply_ChangesTheConnection_OtherClientSubcommandsDoNot()
    {
        Assert.Equal(CommandRoute.ConnectionState, CommandRouting.Classify("CLIENT", ["REPLY", "OFF"]));
        Assert.Equal(CommandRoute.Shared, CommandRouting.Classify("CLIENT", ["ID"]));
        Assert.Equal(CommandRoute.Shared, CommandRouting.Classify("CLIENT", ["TRACKING", "ON"]));
        Assert.Equal(CommandRoute.ConnectionState, CommandRouting.Classify(Encode("CLIENT", "reply", "SKIP")));
        Assert.Equal(CommandRoute.Shared, CommandRouting.Classify(Encode("CLIENT", "KILL", "ID", "5")));
    }

    [Fact]
    public void MalformedEncodings_AreShared_NotThrown()
    {
        Assert.Equal(CommandRoute.Shared, CommandRouting.Classify(ReadOnlySpan<byte>.Empty));
        Assert.Equal(CommandRoute.Shared, CommandRouting.Classify("+OK\r\n"u8));
        Assert.Equal(CommandRoute.Shared, CommandRouting.Classify("*1\r\n$9\r\nBLP"u8));
        Assert.Null(CommandRouting.NameOf("*0\r\n"u8));
        Assert.Equal("BLPOP", CommandRouting.NameOf(Encode("blpop", "k", "0")));
    }

    [Fact]
    public void RefusalMessages_NameTheAlternative()
    {
        Assert.Contains("Transaction(", CommandRouting.RefusalMessage("MULTI", CommandRoute.Transaction));
        Assert.Contains("CreatePubSub", CommandRouting.RefusalMessage("SUBSCRIBE", CommandRoute.Subscription));
        Assert.Contains("GetDedicated", CommandRouting.RefusalMessage("MONITOR", CommandRoute.Monitor));
        Assert.Contains("DialOptions", CommandRouting.RefusalMessage("SELECT", CommandRoute.ConnectionState));
    }

    private static byte[] Encode(string name, params string[] args)
    {
        using var writer = new RespWriter();
        writer.WriteCommand(name, args.Cast<object?>().ToArray());
        return writer.WrittenSpan.ToArray();
    }
}
