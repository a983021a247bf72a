using static Redis.Tests.Shared.TestCommands;
using Redis.Tests.Infrastructure;

namespace Redis.Tests;

/// <summary>
/// The typed path generated code uses (<see cref="IRespExecutor"/>), with hand-written command
/// structs, natively on <see cref="Conn"/> and through the adapter for any other <see cref="IConn"/>.
/// </summary>
[Collection(ServerCollection.Name)]
public class TypedExecutionTests(ServerFixture fixture)
{
    /// <summary>An IConn that hides Conn's native typed path, so the adapter is used.</summary>
    private sealed class PlainConn(IConn inner) : IConn
    {
        public Exception? Err => inner.Err;
        public object? Do(string command, params object?[] args) => inner.Do(command, args);
        public void Send(string command, params object?[] args) => inner.Send(command, args);
        public void Flush() => inner.Flush();
        public object? Receive() => inner.Receive();
        public ValueTask<object?> DoAsync(string command, params object?[] args) => inner.DoAsync(command, args);
        public ValueTask<object?> DoAsync(string command, IReadOnlyList<object?> args, CancellationToken cancellationToken) => inner.DoAsync(command, args, cancellationToken);
        public ValueTask FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
        public ValueTask<object?> ReceiveAsync(CancellationToken cancellationToken = default) => inner.ReceiveAsync(cancellationToken);
        public void Close() => inner.Close();
        public void Dispose() => inner.Dispose();
        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    public static TheoryData<bool, bool> Paths() => new() { { false, false }, { true, false }, { false, true }, { true, true } };

    private static async Task<T> Run<TCommand, TParser, T>(IRespExecutor executor, bool useAsync, TCommand command, TParser parser)
        where TCommand : struct, IRespCommand where TParser : struct, IRespParser<T>
        => useAsync ? await executor.ExecuteAsync<TCommand, TParser, T>(command, parser) : executor.Execute<TCommand, TParser, T>(command, parser);

    [Theory, MemberData(nameof(Paths))]
    public async Task TypedCommands_ReturnTypedResults(bool useAsync, bool throughAdapter)
    {
        using IConn conn = fixture.Dial();
        IRespExecutor executor = RespExecutor.For(throughAdapter ? new PlainConn(conn) : conn);
        Assert.Equal(throughAdapter, executor is not Conn);
        string key = ServerFixture.Key("typed"), counter = ServerFixture.Key("counter");

        Assert.True(await Run<Set, OkParser, bool>(executor, useAsync, new Set(key, "value"), default));
        Assert.Equal("value", await Run<Get, StringParser, string?>(executor, useAsync, new Get(key), default));
        Assert.Equal("value"u8.ToArray(), await Run<Get, BytesParser, byte[]?>(executor, useAsync, new Get(key), default));
        Assert.Null(await Run<Get, StringParser, string?>(executor, useAsync, new Get(ServerFixture.Key("none")), default));
        Assert.Equal(5L, await Run<IncrBy, Int64Parser, long>(executor, useAsync, new IncrBy(counter, 5), default));
        Assert.Equal(7.0, await Run<IncrBy, DoubleParser, double>(executor, useAsync, new IncrBy(counter, 2), default));
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task ErrorReply_IsThrownAndTheConnectionStaysInStep(bool useAsync, bool throughAdapter)
    {
        using IConn conn = fixture.Dial();
        IRespExecutor executor = RespExecutor.For(throughAdapter ? new PlainConn(conn) : conn);
        string key = ServerFixture.Key("typed-error");
        await Run<Set, OkParser, bool>(executor, useAsync, new Set(key, "not a number"), default);
        var error = await Assert.ThrowsAsync<RedisServerException>(() => Run<IncrBy, Int64Parser, long>(executor, useAsync, new IncrBy(key, 1), default));
        Assert.Equal("ERR", error.Prefix);
        Assert.Equal("not a number", await Run<Get, StringParser, string?>(executor, useAsync, new Get(key), default));
        Assert.Null(conn.Err);
    }

    [Theory, MemberData(nameof(Paths))]
    public async Task TypeMismatch_ThrowsButConsumesTheReply(bool useAsync, bool throughAdapter)
    {
        using IConn conn = fixture.Dial();
        IRespExecutor executor = RespExecutor.For(throughAdapter ? new PlainConn(conn) : conn);
        string key = ServerFixture.Key("mismatch");
        await Run<Set, OkParser, bool>(executor, useAsync, new Set(key, "abc"), default);
        await Assert.ThrowsAsync<RedisException>(() => Run<Get, Int64Parser, long>(executor, useAsync, new Get(key), default));
        Assert.Equal("PONG", conn.Do("PING"));
    }

    [Fact]
    public void TypedCommand_ReadsEarlierPendingRepliesFirst()
    {
        using IConn conn = fixture.Dial();
        var executor = (Conn)conn;
        string key = ServerFixture.Key("pending");
        conn.Send("SET", key, "1");
        conn.Send("INCR", key);
        Assert.Equal("2", executor.Execute<Get, StringParser, string?>(new Get(key), default));
        Assert.Equal(0, executor.Pending);
    }

    [Fact]
    public void CommandThatThrowsWhileWriting_LeavesNothingInTheBuffer()
    {
        using IConn conn = fixture.Dial();
        var executor = (Conn)conn;
        Assert.Throws<InvalidOperationException>(() => executor.Execute<Throwing, StringParser, string?>(default, default));
        Assert.Null(conn.Err);
        Assert.Equal("PONG", conn.Do("PING"));
    }
}
