namespace Redis.Tests.Connection;

/// <summary>Conn behaviour that needs exact bytes or a misbehaving server: a scripted fake server on loopback.</summary>
public class ConnTests
{
    public static TheoryData<bool> Modes() => new() { false, true };

    private static async Task<IConn> Dial(bool useAsync, string address, DialOptions? options = null)
        => useAsync ? await Conn.DialAsync("tcp", address, options) : Conn.Dial("tcp", address, options);

    private static async Task<IConn> DialUrl(bool useAsync, string url)
        => useAsync ? await Conn.DialUrlAsync(url) : Conn.DialUrl(url);

    private static async Task<object?> Do(IConn c, bool useAsync, string command, params object?[] args)
        => useAsync ? await c.DoAsync(command, args, CancellationToken.None) : c.Do(command, args);

    [Theory]
    [InlineData("redis://:abc123@{0}", "*2\r\n$4\r\nAUTH\r\n$6\r\nabc123\r\n")]
    [InlineData("redis://user:password@{0}", "*3\r\n$4\r\nAUTH\r\n$4\r\nuser\r\n$8\r\npassword\r\n")]
    [InlineData("redis://x:@{0}", "")]
    [InlineData("redis://{0}/3", "*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n")]
    [InlineData("redis://{0}/99", "*2\r\n$6\r\nSELECT\r\n$2\r\n99\r\n")]
    [InlineData("redis://{0}/", "")]
    [InlineData("redis://{0}?db=5", "*2\r\n$6\r\nSELECT\r\n$1\r\n5\r\n")]
    [InlineData("redis://u%40x:p%3Aw@{0}/2", "*3\r\n$4\r\nAUTH\r\n$3\r\nu@x\r\n$3\r\np:w\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n2\r\n")]
    [InlineData("redis://:pw@{0}/1?protocol=3", "*5\r\n$5\r\nHELLO\r\n$1\r\n3\r\n$4\r\nAUTH\r\n$7\r\ndefault\r\n$2\r\npw\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n1\r\n")]
    public async Task DialUrl_WritesTheHandshakeTheUrlAsksFor(string urlFormat, string expected)
    {
        foreach (bool useAsync in new[] { false, true })
        {
            await using var server = new FakeServer(cmd => cmd[0] == "HELLO" ? "%1\r\n+proto\r\n:3\r\n" : "+OK\r\n");
            using IConn c = await DialUrl(useAsync, string.Format(System.Globalization.CultureInfo.InvariantCulture, urlFormat, server.Address));
            Assert.Equal(expected, server.Received);
        }
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Dial_SendsAuthSetNameAndSelectInOrder(bool useAsync)
    {
        await using var server = FakeServer.AnswerOk();
        using IConn c = await Dial(useAsync, server.Address, new DialOptions
        {
            Username = "user", Password = "password", ClientName = "redis-connection", Database = 2,
        });
        Assert.Equal(
            "*3\r\n$4\r\nAUTH\r\n$4\r\nuser\r\n$8\r\npassword\r\n" +
            "*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$16\r\nredis-connection\r\n" +
            "*2\r\n$6\r\nSELECT\r\n$1\r\n2\r\n",
            server.Received);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task DialWithProtocol3_SendsHelloWithAuthAndSetName(bool useAsync)
    {
        await using var server = new FakeServer(_ => "%1\r\n+proto\r\n:3\r\n");
        using IConn c = await Dial(useAsync, server.Address, new DialOptions { Protocol = 3, Password = "pw", ClientName = "app" });
        Assert.Equal("*7\r\n$5\r\nHELLO\r\n$1\r\n3\r\n$4\r\nAUTH\r\n$7\r\ndefault\r\n$2\r\npw\r\n$7\r\nSETNAME\r\n$3\r\napp\r\n", server.Received);
        Assert.Equal(3, ((Conn)c).Protocol);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Dial_FailsWithTheServerErrorAndNeverRepeatsThePassword(bool useAsync)
    {
        const string secret = "s3cr3t-pa55";
        await using var server = new FakeServer(cmd => cmd[0] == "HELLO"
            ? $"-ERR unknown command 'HELLO', with args beginning with: '3' 'AUTH' 'default' '{secret}' \r\n"
            : $"-WRONGPASS invalid username-password pair ('{secret}')\r\n");
        var resp2 = await Assert.ThrowsAsync<RedisServerException>(() => Dial(useAsync, server.Address, new DialOptions { Password = secret }));
        Assert.Equal("WRONGPASS", resp2.Prefix);
        Assert.DoesNotContain(secret, resp2.ToString());
        var resp3 = await Assert.ThrowsAsync<RedisServerException>(() => Dial(useAsync, server.Address, new DialOptions { Password = secret, Protocol = 3 }));
        Assert.DoesNotContain(secret, resp3.ToString());
        Assert.Contains("unknown command", resp3.Message);
    }

    [Theory]
    [InlineData("localhost", "invalid redis URL scheme")]
    [InlineData("http://www.google.com", "invalid redis URL scheme: http")]
    [InlineData("redis://weird url", "invalid host")]
    [InlineData("redis://foo:bar:baz", "invalid address")]
    [InlineData("redis://localhost:6379/abc123", "invalid database: abc123")]
    [InlineData("redis://localhost:0", "invalid port")]
    [InlineData("redis://localhost:65536", "invalid port")]
    [InlineData("redis://localhost:port", "invalid port")]
    [InlineData("redis:foo//localhost:6379", "url is opaque")]
    [InlineData("unix://relative.sock", "invalid unix socket URL")]
    [InlineData("redis://localhost/-1", "invalid database")]
    public void DialUrl_RejectsBadUrlsWithAClearArgumentException(string url, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => Conn.DialUrl(url));
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData("redis://user:hunter2secret@localhost:99999")]
    [InlineData("redis://user:hunter2secret@localhost/notadb")]
    [InlineData("redis://user:hunter2secret@bad host")]
    [InlineData("rediz://user:hunter2secret@localhost")]
    [InlineData("user:hunter2secret@localhost")]
    public void DialUrl_ErrorsNeverContainThePassword(string url)
    {
        var ex = Assert.Throws<ArgumentException>(() => Conn.DialUrl(url));
        Assert.DoesNotContain("hunter2secret", ex.ToString());
    }

    [Fact]
    public void DialOptions_ToStringMasksThePassword()
    {
        var options = new DialOptions { Username = "app", Password = "hunter2secret" };
        Assert.DoesNotContain("hunter2secret", options.ToString());
        Assert.Contains("Password = ***", options.ToString());
    }

    [Fact]
    public void DialOptions_HandshakeTimeout_DefaultsToFiveSeconds_IsPrinted_AndMustNotBeNegative()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), DialOptions.Default.HandshakeTimeout);
        Assert.Contains("HandshakeTimeout = 00:00:05", DialOptions.Default.ToString());
        var ex = Assert.Throws<ArgumentException>(() => Conn.Dial("tcp", "127.0.0.1:1", new DialOptions { HandshakeTimeout = TimeSpan.FromSeconds(-1) }));
        Assert.Equal("HandshakeTimeout", ex.ParamName);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task HandshakeTimeout_FailsAHandshakeThatIsNeverAnswered_WithNoReadTimeout(bool useAsync)
    {
        await using var server = new FakeServer(_ => null); // accepts, reads, never answers
        var options = new DialOptions { ClientName = "named", Password = "hunter2secret", HandshakeTimeout = TimeSpan.FromMilliseconds(200) };
        var ex = await Assert.ThrowsAsync<RedisTimeoutException>(() => Dial(useAsync, server.Address, options));
        Assert.Contains("handshake", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2secret", ex.ToString(), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task HandshakeTimeout_EndsWithTheHandshake_ALaterSlowReplyStillArrives(bool useAsync)
    {
        // The handshake's deadline lives on the socket while it runs; with no read timeout configured
        // it must be gone afterwards, or a reply slower than it would break the connection.
        await using var server = new FakeServer(cmd =>
        {
            if (cmd[0] != "PING") return "+OK\r\n";
            Thread.Sleep(2500);
            return "+PONG\r\n";
        });
        // A handshake bound a loaded machine still meets (the server answers it at once), and a reply slower than it.
        var options = new DialOptions { ClientName = "named", HandshakeTimeout = TimeSpan.FromMilliseconds(1000) };
        using IConn c = await Dial(useAsync, server.Address, options);
        Assert.Equal("PONG", await Do(c, useAsync, "PING"));
        Assert.Null(c.Err);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task ReadTimeout_BreaksTheConnection(bool useAsync)
    {
        await using var server = new FakeServer(_ => null); // never answers
        using IConn c = await Dial(useAsync, server.Address, new DialOptions { ReadTimeout = TimeSpan.FromMilliseconds(100) });
        await Assert.ThrowsAsync<RedisTimeoutException>(() => Do(c, useAsync, "PING"));
        Assert.IsType<RedisTimeoutException>(c.Err);
        var later = await Assert.ThrowsAsync<RedisConnectionException>(() => Do(c, useAsync, "PING"));
        Assert.Same(c.Err, later.InnerException);
        Assert.Throws<RedisConnectionException>(() => c.Send("PING"));
    }

    [Fact]
    public async Task ReadTimeout_AlsoAppliesToSendFlushReceive()
    {
        await using var server = new FakeServer(_ => null);
        using IConn c = Conn.DialTimeout("tcp", server.Address, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        c.Send("PING");
        c.Flush();
        Assert.Throws<RedisTimeoutException>(c.Receive);
        Assert.NotNull(c.Err);
    }

    [Fact]
    public async Task CancellingAPendingAsyncCall_ThrowsAndBreaksTheConnection()
    {
        await using var server = new FakeServer(_ => null);
        using IConn c = await Conn.DialAsync("tcp", server.Address);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await c.DoAsync("BLPOP", ["k", 0], cts.Token));
        Assert.IsType<RedisConnectionException>(c.Err);
        Assert.Contains("cancelled", c.Err!.Message);
        await Assert.ThrowsAsync<RedisConnectionException>(async () => await c.DoAsync("PING"));
    }

    [Fact]
    public async Task CancellingBeforeAnythingIsWritten_LeavesTheConnectionUsable()
    {
        await using var server = new FakeServer(_ => "+PONG\r\n");
        using IConn c = await Conn.DialAsync("tcp", server.Address);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await c.DoAsync("PING", [], new CancellationToken(canceled: true)));
        Assert.Null(c.Err);
        Assert.Equal("PONG", await c.DoAsync("PING"));
        Assert.Equal("*1\r\n$4\r\nPING\r\n", server.Received);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task MalformedReply_BreaksTheConnectionWithAProtocolError(bool useAsync)
    {
        await using var server = new FakeServer(_ => "@OK\r\n");
        using IConn c = await Dial(useAsync, server.Address);
        await Assert.ThrowsAsync<RedisProtocolException>(() => Do(c, useAsync, "PING"));
        Assert.IsType<RedisProtocolException>(c.Err);
        var later = await Assert.ThrowsAsync<RedisConnectionException>(() => Do(c, useAsync, "PING"));
        Assert.IsType<RedisProtocolException>(later.InnerException);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task ServerClosingTheConnection_BreaksItWithAConnectionError(bool useAsync)
    {
        FakeServer? server = new(_ => "+OK\r\n");
        IConn c = await Dial(useAsync, server.Address);
        Assert.Equal("OK", await Do(c, useAsync, "PING"));
        await server.DisposeAsync();
        var error = await Assert.ThrowsAnyAsync<RedisConnectionException>(async () =>
        {
            // The first write after the peer closed may still succeed; the read cannot.
            for (int i = 0; i < 3; i++) await Do(c, useAsync, "PING");
        });
        Assert.NotNull(c.Err);
        Assert.IsNotType<RedisTimeoutException>(error);
        c.Dispose();
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task PushFrames_AreHandedToTheHandlerNotReturnedByDo(bool useAsync)
    {
        await using var server = new FakeServer(cmd => cmd[0] == "PING"
            ? ">2\r\n$10\r\ninvalidate\r\n*1\r\n$3\r\nkey\r\n+PONG\r\n"
            : ">2\r\n$10\r\ninvalidate\r\n*1\r\n$3\r\nkey\r\n");
        var pushes = new List<RedisPush>();
        using IConn c = await Dial(useAsync, server.Address, new DialOptions { PushHandler = pushes.Add });
        Assert.Equal("PONG", await Do(c, useAsync, "PING"));
        Assert.Equal("invalidate", Assert.Single(pushes).Kind);

        c.Send("ECHO", "x");
        c.Flush();
        var push = Assert.IsType<RedisPush>(useAsync ? await c.ReceiveAsync() : c.Receive());
        Assert.Equal("invalidate", push.Kind);
    }

    [Fact]
    public async Task SubscribeConfirmationPush_CountsAsTheReplyToSubscribe()
    {
        await using var server = new FakeServer(_ => ">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n");
        using IConn c = Conn.Dial("tcp", server.Address);
        var push = Assert.IsType<RedisPush>(c.Do("SUBSCRIBE", "ch"));
        Assert.Equal("subscribe", push.Kind);
        Assert.Equal(1L, push.Values[2]);
    }

    [Fact]
    public async Task Receive_NeverDrivesThePendingCountBelowZero()
    {
        await using var server = new FakeServer(_ => "+A\r\n+B\r\n");
        var c = (Conn)Conn.Dial("tcp", server.Address);
        c.Send("X");
        c.Flush();
        Assert.Equal(1, c.Pending);
        Assert.Equal("A", c.Receive());
        Assert.Equal("B", c.Receive());
        Assert.Equal(0, c.Pending);
        Assert.Null(c.Do(""));
        c.Dispose();
    }

    [Fact]
    public void Dial_ToAClosedPortFailsWithAConnectionError()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        var ex = Assert.Throws<RedisConnectionException>(() => Conn.Dial("tcp", $"127.0.0.1:{port}"));
        Assert.Contains($"127.0.0.1:{port}", ex.Message);
    }

    [Fact]
    public void Dial_RejectsAnUnknownNetwork()
        => Assert.Throws<ArgumentException>(() => Conn.Dial("udp", "127.0.0.1:6379"));

    [Fact]
    public async Task FromStream_SpeaksRespOverAnyStream()
    {
        await using var server = FakeServer.AnswerOk();
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, server.Port);
        using Conn c = Conn.FromStream(client.GetStream());
        Assert.Equal("OK", c.Do("SET", "a", "apple"));
        Assert.Contains("stream", c.ToString());
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task ConnectTimeout_FailsTheDialWithATimeoutError(bool useAsync)
    {
        // A listener that never accepts, with its backlog full: later connects get no answer.
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen(0);
        string address = $"127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndPoint!).Port}";
        var options = new DialOptions { ConnectTimeout = TimeSpan.FromMilliseconds(300) };
        var held = new List<IConn>();
        try
        {
            RedisConnectionException? error = null;
            for (int attempt = 0; attempt < 4 && error is null; attempt++)
            {
                try
                {
                    held.Add(await Dial(useAsync, address, options)); // these fill the backlog
                }
                catch (RedisConnectionException ex)
                {
                    error = ex;
                }
            }
            Assert.IsType<RedisTimeoutException>(error);
            Assert.Contains("Timed out connecting", error!.Message);
        }
        finally
        {
            held.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task PushHandlerThatThrows_BreaksTheConnectionInsteadOfDesynchronisingIt()
    {
        await using var server = new FakeServer(_ => ">2\r\n$10\r\ninvalidate\r\n*1\r\n$3\r\nkey\r\n+PONG\r\n");
        using IConn c = Conn.Dial("tcp", server.Address, new DialOptions { PushHandler = _ => throw new InvalidOperationException("handler bug") });
        var error = Assert.Throws<RedisConnectionException>(() => c.Do("PING"));
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Same(error, c.Err);
    }
}
