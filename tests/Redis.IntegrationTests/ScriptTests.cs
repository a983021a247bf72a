using Redis.Tests.Infrastructure;
using static Redis.Tests.Infrastructure.Exec;

namespace Redis.Tests;

/// <summary>Script against a live server: the NOSCRIPT fallback, Load, Send and SendHash.</summary>
[Collection(ServerCollection.Name)]
public class ScriptTests(ServerFixture fixture)
{
    public static TheoryData<bool> Modes() => new() { false, true };

    // A source no earlier run loaded, so the first EVALSHA meets NOSCRIPT.
    private static Script NewScript() => new(2, $"-- {Guid.NewGuid():N}\nreturn {{KEYS[1],KEYS[2],ARGV[1],ARGV[2]}}");

    private static void AssertKeysAndArgs(object? reply) => Assert.Equal(["key1", "key2", "arg1", "arg2"], Assert.IsType<object?[]>(reply).Select(Text));

    [Theory, MemberData(nameof(Modes))]
    public async Task Do_RunsANewScriptThroughTheNoScriptFallback(bool useAsync)
    {
        await using IConn c = await fixture.DialAsync(useAsync);
        Script script = NewScript();
        Assert.Equal([0L], Assert.IsType<object?[]>(await c.Do(useAsync, "SCRIPT", "EXISTS", script.Hash)));
        AssertKeysAndArgs(useAsync ? await script.DoAsync(c, "key1", "key2", "arg1", "arg2") : script.Do(c, "key1", "key2", "arg1", "arg2"));
        Assert.Equal([1L], Assert.IsType<object?[]>(await c.Do(useAsync, "SCRIPT", "EXISTS", script.Hash))); // EVAL cached it
        AssertKeysAndArgs(useAsync ? await script.DoAsync(c, ["key1", "key2", "arg1", "arg2"], CancellationToken.None) : script.Do(c, "key1", "key2", "arg1", "arg2"));
    }

    [Theory, MemberData(nameof(Modes))]
    public async Task LoadThenSendHash_AndSend_PipelineTheScript(bool useAsync)
    {
        await using IConn c = await fixture.DialAsync(useAsync);
        Script script = NewScript();
        if (useAsync) await script.LoadAsync(c);
        else script.Load(c);
        script.SendHash(c, "key1", "key2", "arg1", "arg2");
        await c.Flush(useAsync);
        AssertKeysAndArgs(await c.Receive(useAsync));
        script.Send(c, "key1", "key2", "arg1", "arg2");
        await c.Flush(useAsync);
        AssertKeysAndArgs(await c.Receive(useAsync));
    }

    [Fact]
    public async Task SendHashOfAnUnloadedScript_GetsNoScript()
    {
        await using IConn c = fixture.Dial();
        Script script = NewScript();
        script.SendHash(c, "key1", "key2", "arg1", "arg2");
        c.Flush();
        Assert.Equal("NOSCRIPT", Assert.Throws<RedisServerException>(() => c.Receive()).Prefix);
        Assert.Equal("PONG", await c.DoAsync("PING"));
    }

    [Fact]
    public void ScriptErrors_AreThrownWithoutFallback()
    {
        using IConn c = fixture.Dial();
        var script = new Script(1, $"-- {Guid.NewGuid():N}\nreturn redis.call('INCR', KEYS[1])");
        string key = ServerFixture.Key("script-wrongtype");
        c.Do("SET", key, "not a number");
        Assert.Throws<RedisServerException>(() => script.Do(c, key));
        Assert.Equal(1L, script.Do(c, ServerFixture.Key("script-counter")));
    }

    [Fact]
    public void NegativeKeyCount_TakesTheCountFromTheCaller()
    {
        using IConn c = fixture.Dial();
        var script = new Script(-1, "return #KEYS .. ':' .. #ARGV");
        Assert.Equal("2:1", Text(script.Do(c, 2, "k1", "k2", "a")));
        Assert.Equal("0:3", Text(script.Do(c, 0, "a", "b", "c")));
    }
}
