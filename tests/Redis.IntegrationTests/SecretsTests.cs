using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Redis.Testing;
using Redis.Tests.Faults;
using Redis.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Redis.Tests;

/// <summary>
/// Passwords never printed: everything a failing dial, a bad URL, a TLS failure and a logging
/// connection doing AUTH / HELLO AUTH / CONFIG SET requirepass / ACL SETUSER can print (exception
/// messages and ToString() with inner exceptions and stack traces, log lines, console and trace
/// output, ToString() of DialOptions, Conn, PooledConn, Pool and the logging connection) is
/// captured and searched for every secret: 0 hits.
/// </summary>
[Collection(ServerCollection.Name)]
[Trait("Server", "RedisOnly")]
public class SecretsTests(ITestOutputHelper output)
{
    private const string Password = "Secr3t-requirepass-7f3a";
    private const string WrongPassword = "Secr3t-wrong-1c9e";
    private const string UserPassword = "Secr3t-acl-user-4b2d";
    private const string NewPassword = "Secr3t-new-requirepass-8e6f";
    private const string TlsPassword = "Secr3t-tls-dial-5a0c";

    // Passwords with characters a URL must percent-encode, written unencoded by mistake.
    private const string SlashPassword = "Secr3t/slash-9d1b";
    private const string QueryPassword = "Secr3t?query-2e7c";
    private const string HashPassword = "Secr3t#hash-6f4a";

    private static readonly string[] Secrets = [Password, WrongPassword, UserPassword, NewPassword, TlsPassword, SlashPassword, QueryPassword, HashPassword];

    // Fragments too: a secret cut at a URL delimiter must not leak in part either.
    private static readonly string[] Needles = [.. Secrets, "slash-9d1b", "query-2e7c", "hash-6f4a", "Secr3t"];

    /// <summary>Keeps every log entry with its exception.</summary>
    private sealed class CapturingLogger(List<string> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lock (sink) sink.Add($"{logLevel} {eventId} {formatter(state, exception)} | {values} | {exception}");
        }
    }

    [SkippableFact]
    public async Task Secrets_AppearInNoOutputOfFailingDialsLoggingConnectionsOrToString()
    {
        var texts = new List<string>();
        var console = new StringWriter();
        TextWriter originalOut = Console.Out, originalError = Console.Error;
        var trace = new TextWriterTraceListener(console);
        Console.SetOut(TextWriter.Synchronized(console));
        Console.SetError(TextWriter.Synchronized(console));
        Trace.Listeners.Add(trace);
        try
        {
            await using TestServer server = await DedicatedServer.StartAsync(new TestServerOptions
            {
                Reason = "secrets in failing dials and logged AUTH / CONFIG SET / ACL SETUSER",
                ExtraArgs = ["--requirepass", Password],
                Log = line => { lock (texts) texts.Add(line); },
            });
            string port = server.Port.ToString(CultureInfo.InvariantCulture);

            // 1. Failing dials: a wrong password over RESP2 and RESP3, with and without a user, sync and async, URL and options.
            foreach (bool useAsync in new[] { false, true })
            {
                foreach (DialOptions options in new[]
                {
                    new DialOptions { Password = WrongPassword },
                    new DialOptions { Password = WrongPassword, Username = "default" },
                    new DialOptions { Password = WrongPassword, Protocol = 3 },
                    new DialOptions { Password = WrongPassword, Username = "nobody", Protocol = 3, ClientName = "secrets" },
                    new DialOptions { Password = WrongPassword, Database = 3 },
                })
                {
                    texts.Add(options.ToString());
                    texts.Add(await Fails(() => Dial(useAsync, () => Conn.DialAsync("tcp", server.Address, options), () => Conn.Dial("tcp", server.Address, options))));
                }
                foreach (string url in new[]
                {
                    $"redis://:{WrongPassword}@127.0.0.1:{port}",
                    $"redis://default:{WrongPassword}@127.0.0.1:{port}/2",
                    $"redis://nobody:{WrongPassword}@127.0.0.1:{port}?protocol=3",
                    $"redis://:{WrongPassword}@127.0.0.1:1", // nothing listens: connection refused
                })
                {
                    texts.Add(await Fails(() => Dial(useAsync, () => Conn.DialUrlAsync(url), () => Conn.DialUrl(url))));
                }
            }

            // 2. Bad URLs that carry a password, some with delimiters the password should have had encoded.
            foreach (string url in new[]
            {
                $"redis://user:{WrongPassword}@localhost:99999",
                $"redis://user:{WrongPassword}@localhost:port",
                $"redis://user:{WrongPassword}@localhost/notadb",
                $"redis://user:{WrongPassword}@localhost?db=x",
                $"redis://user:{WrongPassword}@bad host",
                $"redis://user:{WrongPassword}@[::1",
                $"rediz://user:{WrongPassword}@localhost",
                $"redis:user:{WrongPassword}@localhost",
                $"redis://user:{SlashPassword}@localhost:6379",
                $"redis://:{SlashPassword}@localhost",
                $"redis://user:{QueryPassword}@localhost:6379",
                $"redis://:{HashPassword}@localhost:6379/1",
                $"rediss://:{SlashPassword}@localhost:6379/0",
            })
            {
                texts.Add(await Fails(() => Task.FromResult<object?>(Conn.DialUrl(url))));
                texts.Add(await Fails(() => Task.FromResult<object?>(Pool.Create(url))));
            }

            // 3. A handshake that stalls: the dial times out with the password in its options.
            await using (FaultProxy proxy = FaultProxy.Start(server.Address, 6, (_, _) => new FaultPlan(FaultKind.Stall, 0)))
            {
                var stalled = new DialOptions { Password = Password, ReadTimeout = TimeSpan.FromMilliseconds(200) };
                texts.Add(await Fails(() => Dial(false, null!, () => Conn.Dial("tcp", proxy.Address, stalled))));
                texts.Add(await Fails(() => Dial(true, () => Conn.DialAsync("tcp", proxy.Address, stalled), null!)));
            }

            // 4. TLS failures (untrusted certificate, wrong host name) with a password set.
            await using (TlsServer tls = await TlsServer.StartAsync(requireClientCertificates: false))
            {
                string tlsPort = tls.TlsPort.ToString(CultureInfo.InvariantCulture);
                var untrusted = new DialOptions { UseTls = true, Password = TlsPassword, Username = "default" };
                var wrongHost = untrusted with { TrustedCertificateAuthorities = TestCertificates.Instance.TrustedCa, TlsServerName = "not-the-server.example" };
                foreach (bool useAsync in new[] { false, true })
                {
                    foreach (DialOptions options in new[] { untrusted, wrongHost })
                    {
                        texts.Add(options.ToString());
                        texts.Add(await Fails(() => Dial(useAsync, () => Conn.DialAsync("tcp", tls.TlsLocalhostAddress, options), () => Conn.Dial("tcp", tls.TlsLocalhostAddress, options))));
                    }
                    string url = $"rediss://default:{TlsPassword}@localhost:{tlsPort}/0";
                    texts.Add(await Fails(() => Dial(useAsync, () => Conn.DialUrlAsync(url), () => Conn.DialUrl(url))));
                }
            }

            // 5. A logging connection doing AUTH, HELLO AUTH, CONFIG SET requirepass and ACL SETUSER, with failures among them.
            var logLines = new List<string>();
            var logger = new CapturingLogger(logLines);
            var dialOptions = new DialOptions { Password = Password, ClientName = "secrets-test" };
            IConn raw = Conn.Dial("tcp", server.Address, dialOptions);
            texts.Add(raw.ToString()!);
            await using (IConnWithTimeout logged = raw.WithLogging(logger))
            {
                texts.Add(logged.ToString()!);
                texts.Add(await Fails(() => Task.FromResult(logged.Do("AUTH", WrongPassword))));
                texts.Add(await Fails(async () => await logged.DoAsync("AUTH", "default", WrongPassword)));
                logged.Do("AUTH", Password);
                logged.Do("HELLO", 3, "AUTH", "default", Password, "SETNAME", "secrets-test");
                texts.Add(await Fails(() => Task.FromResult(logged.Do("HELLO", 3, "AUTH", "default", WrongPassword))));
                logged.Do("HELLO", 2);
                logged.Do("ACL", "SETUSER", "secrets-alice", "on", ">" + UserPassword, "~*", "+@all");
                logged.Send("AUTH", "secrets-alice", UserPassword);
                logged.Flush();
                logged.Receive();
                texts.Add(await Fails(() => Task.FromResult(logged.Do("ACL", "SETUSER", "secrets-bob", "on", ">" + UserPassword, "not-a-rule"))));
                await logged.DoAsync("AUTH", "default", Password);
                logged.Do("CONFIG", "SET", "requirepass", NewPassword);
                logged.Do("AUTH", NewPassword);
                logged.Do("CONFIG", "SET", "requirepass", Password);
                logged.Do("AUTH", Password);
                logged.DoWithTimeout(TimeSpan.FromSeconds(5), "AUTH", Password);
                texts.Add(logged.ToString()!);
            }
            texts.Add(raw.ToString()!);
            lock (logLines) texts.AddRange(logLines);

            // 6. Pools: ToString of the pool and of a lent connection, from a URL and from options.
            using (var pool = Pool.Create($"redis://default:{Password}@127.0.0.1:{port}/1"))
            {
                using IConnWithTimeout lent = pool.Get();
                lent.Do("PING");
                texts.Add(pool.ToString());
                texts.Add(lent.ToString()!);
            }
            using (var pool = Pool.Create("tcp", server.Address, dialOptions))
            {
                texts.Add(pool.ToString());
                texts.Add(await Fails(() => Task.FromResult<object?>(Pool.Create("tcp", server.Address, dialOptions with { Password = WrongPassword }).Get())));
            }
            texts.Add(dialOptions.ToString());
            texts.Add((dialOptions with { Username = "default" }).ToString());
            Assert.True(logLines.Count >= 15, $"the logging connection logged {logLines.Count} entries");
        }
        finally
        {
            Trace.Listeners.Remove(trace);
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
        texts.Add(console.ToString());

        var hits = new List<string>();
        foreach (string text in texts)
        {
            foreach (string needle in Needles)
            {
                if (text.Contains(needle, StringComparison.Ordinal)) hits.Add($"'{needle}' in: {text}");
            }
        }
        long chars = texts.Sum(t => (long)t.Length);
        output.WriteLine($"[figures] secrets: {texts.Count} texts ({chars:N0} characters: exception ToString()s, log lines, console/trace output, ToString()s) searched for {Secrets.Length} secrets: {hits.Count} hits");
        foreach (string hit in hits.Take(10)) output.WriteLine(hit);
        Assert.True(hits.Count == 0, $"{hits.Count} secret(s) printed:\n" + string.Join("\n", hits.Take(5)));
    }

    private static async Task<object?> Dial(bool useAsync, Func<ValueTask<IConn>> dialAsync, Func<IConn> dial)
    {
        IConn conn = useAsync ? await dialAsync() : dial();
        conn.Dispose();
        return conn;
    }

    // The call must fail; returns everything its exception prints (ToString has the type, message, inner exceptions and stack).
    private static async Task<string> Fails(Func<Task<object?>> call)
    {
        try
        {
            object? result = await call();
            throw new Xunit.Sdk.XunitException($"expected a failure, got {result}");
        }
        catch (Xunit.Sdk.XunitException)
        {
            throw;
        }
        catch (Exception ex)
        {
            var sb = new StringBuilder(ex.ToString());
            for (Exception? e = ex; e is not null; e = e.InnerException) sb.Append('\n').Append(e.Message).Append(' ').Append(e.Source);
            return sb.ToString();
        }
    }
}
