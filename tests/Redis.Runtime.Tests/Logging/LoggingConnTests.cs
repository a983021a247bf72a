using Microsoft.Extensions.Logging;
using Redis.Tests.Pooling;
using static Redis.Tests.Shared.TestCommands;

namespace Redis.Tests.Logging;

/// <summary>The logging connection over scripted connections: what is logged, how it is cut, and that secrets never are.</summary>
public class LoggingConnTests
{
    private const string Secret = "s3cr3t-pa55";

    private static (IConnWithTimeout Conn, CapturingLogger Logger, FakeConn Inner) Create(LoggingOptions? options = null, LogLevel minimum = LogLevel.Trace, Func<string, object?[], object?>? answer = null)
    {
        var dialer = new FakeDialer();
        if (answer is not null) dialer.Answer = answer;
        var inner = (FakeConn)dialer.Dial();
        var logger = new CapturingLogger(minimum);
        return (inner.WithLogging(logger, options ?? new LoggingOptions { Name = "test" }), logger, inner);
    }

    [Fact]
    public async Task EveryCall_IsLoggedWithItsArgumentsAndReply()
    {
        var (c, logger, inner) = Create();
        c.Do("SET", "k", "v");
        c.Send("GET", "k");
        c.Flush();
        c.Receive();
        await c.DoAsync("INCR", "n");
        c.DoWithTimeout(TimeSpan.FromSeconds(2), "BLPOP", "list", 1);
        c.Close();
        string[] lines = [.. logger.Entries.Select(e => e.Message)];
        Assert.Equal(
        [
            "test Do SET \"k\" \"v\" -> \"OK\"",
            "test Send GET \"k\"",
            "test Flush",
            "test Receive -> \"OK\"",
            "test DoAsync INCR \"n\" -> \"OK\"",
            "test DoWithTimeout(2000 ms) BLPOP \"list\" 1 -> \"OK\"",
            "test Close",
        ], lines.Select(l => l.Contains(" (") && l.EndsWith(" ms)") ? l[..l.LastIndexOf(" (", StringComparison.Ordinal)] : l));
        Assert.All(logger.Entries, e => Assert.Equal(LogLevel.Debug, e.Level));
        Assert.Equal(TimeSpan.FromSeconds(2), inner.LastTimeout);
        Assert.True(inner.IsClosed);
        var values = logger.Entries[0].Values.ToDictionary(v => v.Key, v => v.Value);
        Assert.Equal("SET", values["Command"]);
        Assert.Equal("Do", values["Operation"]);
        Assert.Contains("{Command}", (string)values["{OriginalFormat}"]!);
    }

    [Fact]
    public void LongValues_AreCutToSixtyFourCharactersAndSixteenItems()
    {
        var (c, logger, _) = Create(answer: (_, _) => Enumerable.Range(0, 20).Select(i => (object?)(long)i).ToArray());
        string longText = new('x', 100);
        c.Do("RPUSH", ["k", longText, .. Enumerable.Range(0, 20).Select(i => (object?)i)]);
        string line = logger.Entries.Single().Message;
        Assert.Contains($"\"{new string('x', 64)}\"...(100 chars)", line);
        Assert.DoesNotContain(new string('x', 65), line);
        Assert.Contains("...(6 more)", line);   // 22 arguments, 16 shown
        Assert.Contains("[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, ...(4 more)]", line);
    }

    [Fact]
    public void BinaryAndControlCharacters_AreShownSafely()
    {
        var (c, logger, _) = Create(answer: (_, _) => new byte[] { 0xff, 0x00, 0x01 });
        c.Do("SET", "line\r\nbreak", new byte[] { 0xc3, 0x28 });
        string line = logger.Entries.Single().Message;
        Assert.Contains("\"line\\r\\nbreak\"", line);
        Assert.Contains("0xc328", line);
        Assert.Contains("-> 0xff0001", line);
    }

    [Fact]
    public void TraceLevelAndFilter_AreHonoured()
    {
        var (c, logger, _) = Create(new LoggingOptions { Level = LogLevel.Trace, Filter = name => !name.Equals("PING", StringComparison.OrdinalIgnoreCase) });
        c.Do("PING");
        c.Do("ping");
        c.Do("GET", "k");
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Trace, entry.Level);
        Assert.Contains("GET", entry.Message);
    }

    [Fact]
    public async Task DisabledLevel_LogsAndFormatsNothing()
    {
        var (c, logger, inner) = Create(minimum: LogLevel.Information);
        c.Do("SET", "k", "v");
        c.Send("AUTH", Secret);
        c.Flush();
        c.Receive();
        await c.DoAsync("GET", "k");
        c.Close();
        Assert.Empty(logger.Entries);
        Assert.Equal(0, logger.FormatCalls);
        Assert.Equal(["SET k v", $"AUTH {Secret}", "GET k"], inner.Commands);
    }

    [Fact]
    public void Errors_AreLoggedWithTheException_AndRethrown()
    {
        var (c, logger, _) = Create(answer: (_, _) => new RedisServerException("WRONGTYPE Operation against a key holding the wrong kind of value"));
        var thrown = Assert.Throws<RedisServerException>(() => c.Do("INCR", "k"));
        var entry = Assert.Single(logger.Entries);
        Assert.Same(thrown, entry.Exception);
        Assert.Contains("INCR \"k\" failed: RedisServerException: WRONGTYPE", entry.Message);
    }

    public static TheoryData<string, object?[]> SecretCommands() => new()
    {
        { "AUTH", [Secret] },
        { "auth", ["alice", Secret] },
        { "HELLO", ["3", "AUTH", "alice", Secret, "SETNAME", "app"] },
        { "hello", ["3", "auth", "alice", System.Text.Encoding.UTF8.GetBytes(Secret)] },
        { "ACL", ["SETUSER", "alice", "on", ">" + Secret, "~*", "+@all"] },
        { "acl", ["setuser", "alice", "#" + Secret] },
        { "MIGRATE", ["127.0.0.1", "6380", "", "0", "1000", "COPY", "AUTH", Secret, "KEYS", "k1", "AUTH"] },
        { "MIGRATE", ["127.0.0.1", "6380", "", "0", "1000", "AUTH2", "alice", Secret, "KEYS", "k1"] },
        { "CONFIG", ["SET", "requirepass", Secret] },
        { "config", ["set", "maxmemory", "100mb", "masterauth", Secret, "masteruser", Secret + "-user"] },
        { "CONFIG", ["SET", "tls-key-file-pass", Secret] },
        { "SENTINEL", ["SET", "mymaster", "auth-pass", Secret] },
    };

    [Theory, MemberData(nameof(SecretCommands))]
    public async Task SecretArguments_AreNeverLogged_InAnyOperation(string command, object?[] args)
    {
        // The server's answer even echoes the secret, as an error message might.
        var (c, logger, _) = Create(answer: (_, _) => new RedisServerException($"ERR bad thing '{Secret}'"));
        var errors = new List<Exception>
        {
            Assert.Throws<RedisServerException>(() => c.Do(command, args)),
            await Assert.ThrowsAsync<RedisServerException>(async () => await c.DoAsync(command, args)),
            Assert.Throws<RedisServerException>(() => c.DoWithTimeout(TimeSpan.FromSeconds(1), command, args)),
        };
        c.Send(command, args);
        c.Flush();
        errors.Add(Assert.Throws<RedisServerException>(() => c.Receive()));
        c.Send(command, args);
        var all = Assert.IsType<object?[]>(c.Do(""));
        errors.Add(Assert.IsType<RedisServerException>(all[0]));

        Assert.NotEmpty(logger.Entries);
        logger.AssertNoSecret(Secret);
        Assert.All(logger.Entries.Where(e => e.Message.Contains("failed")), e => Assert.Null(e.Exception));
        Assert.Contains(logger.Entries, e => e.Message.Contains("[redacted]"));
        Assert.Contains(logger.Entries, e => e.Message.Contains(command));
        // The exceptions are the server's own (a real server does not echo passwords); they pass through unchanged.
        Assert.All(errors, e => Assert.IsType<RedisServerException>(e));
    }

    [Fact]
    public void OrdinaryArgumentsOfSecretCommands_StayVisible()
    {
        var (c, logger, _) = Create();
        c.Do("CONFIG", "SET", "maxmemory", "100mb", "requirepass", Secret);
        c.Do("AUTH", "alice", Secret);
        c.Do("MIGRATE", "127.0.0.1", "6380", "", "0", "1000", "AUTH2", "bob", Secret, "KEYS", "AUTH");
        string[] lines = [.. logger.Entries.Select(e => e.Message)];
        Assert.Contains("CONFIG \"SET\" \"maxmemory\" \"100mb\" \"requirepass\" [redacted]", lines[0]);
        Assert.Contains("AUTH \"alice\" [redacted]", lines[1]);
        Assert.Contains("\"AUTH2\" \"bob\" [redacted] \"KEYS\" \"AUTH\"", lines[2]);
        logger.AssertNoSecret(Secret);
    }

    [Fact]
    public void RepliesThatShowSecrets_AreRedacted()
    {
        var (c, logger, _) = Create(answer: (cmd, args) => cmd == "CONFIG"
            ? new object?[] { "requirepass"u8.ToArray(), System.Text.Encoding.UTF8.GetBytes(Secret), "maxmemory"u8.ToArray(), "0"u8.ToArray() }
            : new object?[] { System.Text.Encoding.UTF8.GetBytes("user default on #" + Secret) });
        c.Do("CONFIG", "GET", "*");
        c.Do("ACL", "LIST");
        c.Send("CONFIG", "GET", "requirepass");
        c.Flush();
        c.Receive();
        logger.AssertNoSecret(Secret);
        Assert.Contains("-> [\"requirepass\", \"[redacted]\", \"maxmemory\", \"0\"]", logger.Entries[0].Message);
        Assert.Contains("-> \"[redacted]\"", logger.Entries[1].Message);
        Assert.Contains("Receive -> [redacted]", logger.Entries[^1].Message);
    }

    [Fact]
    public void ReceiveAfterASecretSend_IsHiddenUntilTheNextDo()
    {
        var (c, logger, _) = Create();
        c.Send("AUTH", Secret);
        c.Send("GET", "k");
        c.Flush();
        c.Receive();
        c.Receive();
        c.Do("PING");
        c.Send("GET", "k");
        c.Flush();
        c.Receive();
        string[] receives = [.. logger.Entries.Where(e => e.Message.Contains("Receive")).Select(e => e.Message)];
        Assert.StartsWith("test Receive -> [redacted]", receives[0]);
        Assert.StartsWith("test Receive -> [redacted]", receives[1]);
        Assert.StartsWith("test Receive -> \"OK\"", receives[2]);
        logger.AssertNoSecret(Secret);
    }

    private readonly struct Auth(string password) : IRespCommand
    {
        public void WriteTo(RespWriter writer)
        {
            writer.WriteArrayHeader(2);
            writer.WriteBulkString("AUTH"u8);
            writer.WriteBulkString(password);
        }
    }

    [Fact]
    public async Task TypedCommands_AreLoggedAndRedactedToo()
    {
        var (c, logger, _) = Create(answer: (cmd, _) => cmd == "GET" ? "v"u8.ToArray() : "OK");
        IRespExecutor executor = RespExecutor.For(c);
        Assert.Same(c, executor);
        Assert.Equal("v", executor.Execute<Get, StringParser, string?>(new Get("k"), new StringParser()));
        Assert.True(await executor.ExecuteAsync<Auth, OkParser, bool>(new Auth(Secret), new OkParser()));
        Assert.Contains("Execute GET \"k\" -> \"v\"", logger.Entries[0].Message);
        Assert.Contains("ExecuteAsync AUTH [redacted] -> true", logger.Entries[1].Message);
        logger.AssertNoSecret(Secret);
    }

    [Fact]
    public void ATypedCommandCarryingItsTableId_IsFilteredBeforeItIsRendered()
    {
        var (c, logger, _) = Create(new LoggingOptions { Name = "test", Filter = name => name != "PING" });
        IRespExecutor executor = RespExecutor.For(c);
        int before = CountingPing.Writes;
        executor.Execute<CountingPing, StringParser, string?>(default, new StringParser());
        // Written once, by the adapter that sends it; the logger never rendered it to ask the filter.
        Assert.Equal(before + 1, CountingPing.Writes);
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public void ATypedSubcommandCarryingItsTableId_IsNamedByItsFirstWord_AndRedactedByItsRule()
    {
        string? filtered = null;
        var (c, logger, _) = Create(new LoggingOptions { Name = "test", Filter = name => (filtered = name) is not null });
        RespExecutor.For(c).Execute<ConfigSetCarryingId, OkParser, bool>(new ConfigSetCarryingId(Secret), new OkParser());
        Assert.Equal("CONFIG", filtered);
        Assert.Contains("Execute CONFIG \"SET\" \"requirepass\" [redacted] -> true", Assert.Single(logger.Entries).Message);
        logger.AssertNoSecret(Secret);
    }

    private readonly struct CountingPing : IRespCommand
    {
        private static readonly int s_id = Redis.CommandTable.IdOf("PING");
        private static int s_writes;

        public static int Writes => Volatile.Read(ref s_writes);

        static int IRespCommand.CommandId => s_id;

        public void WriteTo(RespWriter writer)
        {
            Interlocked.Increment(ref s_writes);
            writer.WriteArrayHeader(1);
            writer.WriteBulkString("PING"u8);
        }
    }

    private readonly struct ConfigSetCarryingId(string password) : IRespCommand
    {
        private static readonly int s_id = Redis.CommandTable.IdOf("CONFIG SET");

        static int IRespCommand.CommandId => s_id;

        public void WriteTo(RespWriter writer)
        {
            writer.WriteArrayHeader(4);
            writer.WriteBulkString("CONFIG"u8);
            writer.WriteBulkString("SET"u8);
            writer.WriteBulkString("requirepass"u8);
            writer.WriteBulkString(password);
        }
    }

    [Fact]
    public void WithLogging_ChecksItsArguments()
    {
        var (c, _, _) = Create();
        Assert.Throws<ArgumentNullException>(() => c.WithLogging(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => c.WithLogging(new CapturingLogger(), new LoggingOptions { MaxStringLength = 0 }));
        Assert.Throws<ArgumentException>(() => c.WithLogging(new CapturingLogger(), new LoggingOptions { Level = LogLevel.None }));
    }

    [Fact]
    public void OverAPooledConnection_ClosingReturnsItToThePool()
    {
        var dialer = new FakeDialer();
        using var pool = new Pool { Dial = dialer.Dial };
        var logger = new CapturingLogger();
        IConnWithTimeout c = pool.Get().WithLogging(logger);
        c.Do("WATCH", "k");
        c.DoWithTimeout(TimeSpan.FromSeconds(3), "BLPOP", "k", 1);
        c.Dispose();
        Assert.Equal(new PoolStats(1, 1, 0, TimeSpan.Zero), pool.Stats);
        Assert.Equal(["WATCH k", "BLPOP k 1", "UNWATCH"], dialer.Connections[0].Commands);
        Assert.Contains("PooledConn(", logger.Entries[0].Message);
    }
}
