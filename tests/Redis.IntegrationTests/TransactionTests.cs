using Redis.Tests.Infrastructure;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests;

/// <summary>The WATCH / MULTI / EXEC retry helper against a live server, sync and async.</summary>
[Collection(ServerCollection.Name)]
public class TransactionTests(ServerFixture fixture)
{
    public static TheoryData<bool> Modes() => new() { false, true };

    // Runs the same prepare logic through Run or RunAsync.
    private static async Task<object?[]?> Run(IConn conn, bool useAsync, string[] keys, Func<IConn, Action<IConn>?> prepare, int maxAttempts = Transaction.DefaultMaxAttempts)
        => useAsync
            ? await Transaction.RunAsync(conn, keys, async (c, ct) =>
            {
                await Task.Yield();
                return prepare(c);
            }, maxAttempts)
            : Transaction.Run(conn, keys, prepare, maxAttempts);

    [Theory, MemberData(nameof(Modes))]
    public async Task Run_RetriesWhenAWatchedKeyChangesAndThenCommits(bool useAsync)
    {
        await using IConn c = fixture.Dial();
        await using IConn intruder = fixture.Dial();
        string key = ServerFixture.Key("tx-counter");
        await c.Do(useAsync, "SET", key, 10);
        int attempts = 0;

        object?[]? replies = await Run(c, useAsync, [key], conn =>
        {
            attempts++;
            long value = Reply.Int64(conn.Do("GET", key));
            if (attempts == 1) intruder.Do("INCRBY", key, 5); // a concurrent change: this attempt's EXEC is aborted
            return tx => tx.Send("SET", key, value * 2);
        });

        Assert.Equal(2, attempts);
        Assert.Equal(["OK"], replies!);
        Assert.Equal(30L, Reply.Int64(await c.Do(useAsync, "GET", key))); // (10 + 5) * 2, not 10 * 2
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Run_ReturnsTheExecReplies_WithCommandErrorsAsElements(bool useAsync)
    {
        await using IConn c = fixture.Dial();
        string key = ServerFixture.Key("tx-replies"), text = ServerFixture.Key("tx-text");
        await c.Do(useAsync, "SET", text, "not a number");
        object?[]? replies = await Run(c, useAsync, [key], _ => tx =>
        {
            tx.Send("INCR", key);
            tx.Send("INCR", text);
            tx.Send("INCR", key);
        });
        Assert.Equal(3, replies!.Length);
        Assert.Equal(1L, replies[0]);
        Assert.IsType<RedisServerException>(replies[1]);
        Assert.Equal(2L, replies[2]);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Run_WhenPrepareGivesUp_WritesNothingAndUnwatches(bool useAsync)
    {
        await using IConn c = fixture.Dial();
        await using IConn other = fixture.Dial();
        string key = ServerFixture.Key("tx-giveup");
        Assert.Null(await Run(c, useAsync, [key], conn => conn.Do("GET", key) is null ? null : tx => tx.Send("DEL", key)));
        await other.Do(useAsync, "SET", key, "x");
        // Were the key still watched, this transaction would be aborted.
        await c.Do(useAsync, "MULTI");
        await c.Do(useAsync, "SET", key, "y");
        Assert.IsType<object?[]>(await c.Do(useAsync, "EXEC"));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Run_GivesUpAfterMaxAttempts(bool useAsync)
    {
        await using IConn c = fixture.Dial();
        await using IConn intruder = fixture.Dial();
        string key = ServerFixture.Key("tx-conflict");
        int attempts = 0;
        var ex = await Assert.ThrowsAsync<RedisWatchConflictException>(() => Run(c, useAsync, [key], conn =>
        {
            attempts++;
            intruder.Do("INCR", key);
            return tx => tx.Send("SET", key, "mine");
        }, maxAttempts: 3));
        Assert.Equal(3, ex.Attempts);
        Assert.Equal(3, attempts);
        Assert.Equal(3L, Reply.Int64(await c.Do(useAsync, "GET", key)));
        Assert.Equal("PONG", await c.Do(useAsync, "PING"));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Run_WhenTheQueueThrows_DiscardsTheTransaction(bool useAsync)
    {
        await using IConn c = fixture.Dial();
        string key = ServerFixture.Key("tx-throw");
        await Assert.ThrowsAsync<InvalidOperationException>(() => Run(c, useAsync, [key], _ => tx =>
        {
            tx.Send("SET", key, "half");
            throw new InvalidOperationException("business rule");
        }));
        Assert.Null(await c.Do(useAsync, "GET", key)); // nothing was executed
        var error = await Assert.ThrowsAsync<RedisServerException>(() => c.Do(useAsync, "EXEC"));
        Assert.Contains("without MULTI", error.Message);
    }

    [Fact]
    public async Task Run_OnAPooledConnection_LeavesItClean()
    {
        using Pool pool = Pool.Create("tcp", fixture.Server.Address);
        string key = ServerFixture.Key("tx-pool");
        await using (IConn c = await pool.GetAsync())
        {
            object?[]? replies = await Transaction.RunAsync(c, [key], async (conn, ct) =>
            {
                object? current = await conn.DoAsync("GET", [key], ct);
                return tx => tx.Send("SET", key, current is null ? "first" : "again");
            });
            Assert.Equal(["OK"], replies!);
        }
        Assert.Equal(new PoolStats(1, 1, 0, TimeSpan.Zero), pool.Stats);
        await using IConn again = pool.Get();
        Assert.Equal("first", Text(await again.DoAsync("GET", key)));
    }

    [Fact]
    public void PlainMultiExec_NeedsNoHelper()
    {
        using IConn c = fixture.Dial();
        string a = ServerFixture.Key("tx-a"), b = ServerFixture.Key("tx-b");
        c.Send("MULTI");
        c.Send("INCR", a);
        c.Send("INCR", b);
        var replies = Assert.IsType<object?[]>(c.Do("EXEC"));
        Assert.Equal([1L, 1L], replies);
    }
}
