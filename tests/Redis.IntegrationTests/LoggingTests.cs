using Microsoft.Extensions.Logging;
using Redis.Testing;
using Redis.Tests.Infrastructure;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests;

/// <summary>
/// The logging connection against live servers: commands and per-call timeouts are logged, and the
/// secrets of AUTH, HELLO AUTH, ACL SETUSER, CONFIG SET/GET and MIGRATE AUTH/AUTH2 appear in no log
/// entry and no exception (checked on every entry and every exception text).
/// </summary>
[Collection(ServerCollection.Name)]
public class LoggingTests(ServerFixture fixture)
{
    public static TheoryData<bool> Modes() => new() { false, true };

    /// <summary>Keeps every entry; everything a sink could print is checked for secrets.</summary>
    private sealed class CapturingLogger : ILogger
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines) return [.. _lines];
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lock (_lines) _lines.Add($"{logLevel} {formatter(state, exception)} | {values} | {exception}");
        }
    }

    [SkippableTheory, MemberData(nameof(Modes))]
    [Trait("Server", "RedisOnly")]
    public async Task Secrets_NeverReachTheLogOrAnException(bool useAsync)
    {
        const string Password = "log-tests-password-5d1e";
        const string Wrong = "log-tests-wrong-9c2b";
        const string UserPassword = "log-tests-user-pw-3a7f";
        const string MasterAuth = "log-tests-masterauth-6e0d";
        const string MigratePassword = "log-tests-migrate-pw-8b4c";
        const string NewPassword = "log-tests-new-pw-2f9a";
        string[] secrets = [Password, Wrong, UserPassword, MasterAuth, MigratePassword, NewPassword];

        await using TestServer server = await DedicatedServer.StartAsync(new TestServerOptions
        {
            Reason = "AUTH, ACL SETUSER and CONFIG SET requirepass redaction",
            ExtraArgs = ["--requirepass", Password],
        });
        var logger = new CapturingLogger();
        var exceptions = new List<Exception>();
        IConn raw = useAsync ? await Conn.DialAsync("tcp", server.Address) : Conn.Dial("tcp", server.Address);
        await using IConnWithTimeout c = raw.WithLogging(logger);

        exceptions.Add(await Assert.ThrowsAsync<RedisServerException>(() => c.Do(useAsync, "AUTH", Wrong)));
        exceptions.Add(await Assert.ThrowsAsync<RedisServerException>(() => c.Do(useAsync, "AUTH", "default", Wrong)));
        Assert.Equal("OK", await c.Do(useAsync, "AUTH", Password));
        Assert.IsType<KeyValuePair<object?, object?>[]>(await c.Do(useAsync, "HELLO", 3, "AUTH", "default", Password, "SETNAME", "logging-test"));
        await c.Do(useAsync, "HELLO", 2);
        Assert.Equal("OK", await c.Do(useAsync, "ACL", "SETUSER", "alice", "on", ">" + UserPassword, "~*", "+@all"));
        c.Send("AUTH", "alice", UserPassword);
        await c.Flush(useAsync);
        Assert.Equal("OK", await c.Receive(useAsync));
        Assert.Equal("OK", await c.Do(useAsync, "CONFIG", "SET", "masterauth", MasterAuth));
        Assert.Equal(MasterAuth, Reply.StringMap(await c.Do(useAsync, "CONFIG", "GET", "masterauth"))!["masterauth"]); // the caller sees it, the log does not
        Assert.Equal(Password, Reply.StringMap(await c.Do(useAsync, "CONFIG", "GET", "requirepass"))!["requirepass"]);
        Assert.Equal("NOKEY", await c.Do(useAsync, "MIGRATE", "127.0.0.1", server.Port, "", 0, 1000, "AUTH", MigratePassword, "KEYS", ServerFixture.Key("absent")));
        Assert.Equal("NOKEY", await c.Do(useAsync, "MIGRATE", "127.0.0.1", server.Port, "", 0, 1000, "AUTH2", "alice", MigratePassword, "KEYS", ServerFixture.Key("absent")));
        Assert.Equal("OK", await c.Do(useAsync, "CONFIG", "SET", "requirepass", NewPassword));
        exceptions.Add(await Assert.ThrowsAsync<RedisServerException>(() => c.Do(useAsync, "ACL", "SETUSER", "bob", "on", ">" + UserPassword, "nonsense-rule")));

        IReadOnlyList<string> lines = logger.Lines;
        Assert.True(lines.Count >= 14, $"expected an entry per call, got {lines.Count}");
        Assert.Contains(lines, l => l.Contains("AUTH [redacted]"));
        Assert.Contains(lines, l => l.Contains("\"AUTH\" \"default\" [redacted]"));
        Assert.Contains(lines, l => l.Contains("\"masterauth\", \"[redacted]\"") || l.Contains("\"masterauth\": \"[redacted]\""));
        foreach (string secret in secrets)
        {
            Assert.All(lines, line => Assert.DoesNotContain(secret, line, StringComparison.Ordinal));
            Assert.All(exceptions, ex => Assert.DoesNotContain(secret, ex.ToString(), StringComparison.Ordinal));
        }
        Assert.Contains(exceptions, ex => ex is RedisServerException { Prefix: "WRONGPASS" });
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Commands_AreLoggedWithTheirReplies(bool useAsync)
    {
        var logger = new CapturingLogger();
        await using IConnWithTimeout c = (await fixture.DialAsync(useAsync)).WithLogging(logger, new LoggingOptions { Name = "it" });
        string key = ServerFixture.Key("logged");
        await c.Do(useAsync, "SET", key, new string('v', 200));
        await c.Do(useAsync, "GET", key);
        await c.Do(useAsync, "RPUSH", key + ":list", 1, 2, 3);
        await c.Do(useAsync, "LRANGE", key + ":list", 0, -1);
        IReadOnlyList<string> lines = logger.Lines;
        Assert.Contains($"it Do{(useAsync ? "Async" : "")} SET \"{key}\" \"{new string('v', 64)}\"...(200 chars) -> \"OK\"", lines[0]);
        Assert.Contains($"GET \"{key}\" -> \"{new string('v', 64)}\"...(200 bytes)", lines[1]);
        Assert.Contains("-> [\"1\", \"2\", \"3\"]", lines[3]);
        Assert.All(lines, l => Assert.StartsWith("Debug ", l));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task PerCallTimeouts_PassThroughTheLoggingConnection(bool useAsync)
    {
        var logger = new CapturingLogger();
        using Pool pool = Pool.Create("tcp", fixture.Server.Address, new DialOptions { ReadTimeout = TimeSpan.FromMilliseconds(100) });
        await using IConnWithTimeout c = pool.Get().WithLogging(logger);
        string list = ServerFixture.Key("logged-blpop");
        object? reply = useAsync
            ? await c.DoWithTimeoutAsync(TimeSpan.FromSeconds(5), "BLPOP", [list, 0.3])
            : c.DoWithTimeout(TimeSpan.FromSeconds(5), "BLPOP", list, 0.3);
        Assert.Null(reply);
        Assert.Null(c.Err);
        Assert.Contains(logger.Lines, l => l.Contains($"DoWithTimeout{(useAsync ? "Async" : "")}(5000 ms) BLPOP \"{list}\" 0.3 -> nil"));

        await Assert.ThrowsAsync<RedisTimeoutException>(async () =>
        {
            if (useAsync) await c.DoWithTimeoutAsync(TimeSpan.FromMilliseconds(100), "BLPOP", [list, 5]);
            else c.DoWithTimeout(TimeSpan.FromMilliseconds(100), "BLPOP", list, 5);
        });
        Assert.Contains(logger.Lines, l => l.Contains("failed: RedisTimeoutException"));
    }
}
