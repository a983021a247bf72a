using Redis.Tests.Connection;

namespace Redis.Tests.Scripting;

/// <summary>Script against a scripted server: hash, NOSCRIPT fallback, load and send (the cases of redigo's script_test.go, https://github.com/gomodule/redigo/blob/master/redis/script_test.go).</summary>
public class ScriptTests
{
    private const string ReturnOneHash = "e0e1f9fabfc9d4800c877a703b823ac0578ff8db";

    public static TheoryData<bool> Modes() => new() { false, true };

    [Fact]
    public void Hash_IsTheLowerCaseSha1OfTheSource()
    {
        var script = new Script(1, "return 1");
        Assert.Equal(ReturnOneHash, script.Hash);
        Assert.Equal(1, script.KeyCount);
        Assert.Equal("return 1", script.Source);
        Assert.Contains(ReturnOneHash, script.ToString());
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Do_FallsBackToEvalWhenTheServerAnswersNoScript(bool useAsync)
    {
        await using var server = new FakeServer(cmd => cmd[0] == "EVALSHA" ? "-NOSCRIPT No matching script. Please use EVAL.\r\n" : ":1\r\n");
        using IConn c = Conn.Dial("tcp", server.Address);
        var script = new Script(1, "return 1");
        object? reply = useAsync ? await script.DoAsync(c, "k1", "a1") : script.Do(c, "k1", "a1");
        Assert.Equal(1L, reply);
        Assert.Equal(
            $"*5\r\n$7\r\nEVALSHA\r\n$40\r\n{ReturnOneHash}\r\n$1\r\n1\r\n$2\r\nk1\r\n$2\r\na1\r\n" +
            "*5\r\n$4\r\nEVAL\r\n$8\r\nreturn 1\r\n$1\r\n1\r\n$2\r\nk1\r\n$2\r\na1\r\n",
            server.Received);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Do_DoesNotFallBackOnOtherErrors(bool useAsync)
    {
        await using var server = new FakeServer(_ => "-ERR other\r\n");
        using IConn c = Conn.Dial("tcp", server.Address);
        var script = new Script(0, "return 1");
        var error = await Assert.ThrowsAsync<RedisServerException>(async () =>
        {
            if (useAsync) await script.DoAsync(c, [], CancellationToken.None);
            else script.Do(c);
        });
        Assert.Equal("ERR other", error.Message);
        Assert.DoesNotContain("EVAL\r\n", server.Received);
    }

    [Fact]
    public async Task NegativeKeyCount_TakesTheCountFromTheCaller()
    {
        await using var server = new FakeServer(_ => ":1\r\n");
        using IConn c = Conn.Dial("tcp", server.Address);
        var script = new Script(-1, "return 1");
        script.SendHash(c, 0, "a");
        script.Send(c, 1, "k");
        c.Do("");
        Assert.Equal(
            $"*4\r\n$7\r\nEVALSHA\r\n$40\r\n{ReturnOneHash}\r\n$1\r\n0\r\n$1\r\na\r\n" +
            "*4\r\n$4\r\nEVAL\r\n$8\r\nreturn 1\r\n$1\r\n1\r\n$1\r\nk\r\n",
            server.Received);
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task Load_WritesScriptLoad(bool useAsync)
    {
        await using var server = new FakeServer(_ => $"${ReturnOneHash.Length}\r\n{ReturnOneHash}\r\n");
        using IConn c = Conn.Dial("tcp", server.Address);
        var script = new Script(0, "return 1");
        if (useAsync) await script.LoadAsync(c);
        else script.Load(c);
        Assert.Equal("*3\r\n$6\r\nSCRIPT\r\n$4\r\nLOAD\r\n$8\r\nreturn 1\r\n", server.Received);
    }

    [Fact]
    public void Script_CanBeUsedFromManyThreads()
    {
        var script = new Script(0, "return redis.call('PING')");
        string[] hashes = Enumerable.Range(0, 16).AsParallel().Select(_ => script.Hash).ToArray();
        Assert.Single(hashes.Distinct());
        Assert.Throws<ArgumentNullException>(() => new Script(0, null!));
    }
}
