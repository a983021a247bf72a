using System.Text.Json;

namespace Redis.Tests.CommandTable;

/// <summary>The one command table generated from commands.json: lookups, facts and the overlay.</summary>
public class CommandTableTests
{
    private static string SpecPath()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "commands.json"))) directory = Path.GetDirectoryName(directory);
        return Path.Combine(directory ?? throw new InvalidOperationException("commands.json not found above the test directory"), "commands.json");
    }

    [Fact]
    public void EveryCommandOfTheSpecIsInTheTableWithItsArityAndKeySpecCount()
    {
        using JsonDocument spec = JsonDocument.Parse(File.ReadAllBytes(SpecPath()));
        int count = 0;
        foreach (JsonProperty entry in spec.RootElement.GetProperty("commands").EnumerateObject())
        {
            count++;
            CommandInfo info = Redis.CommandTable.Find(entry.Name);
            Assert.True(info.IsKnown, entry.Name);
            Assert.Equal(entry.Name, info.Name);
            Assert.Equal(entry.Value.GetProperty("arity").GetInt32(), info.Arity);
            int specs = entry.Value.TryGetProperty("key_specs", out JsonElement keySpecs) ? keySpecs.GetArrayLength() : 0;
            Assert.Equal(specs, info.KeySpecs.Length);
            Assert.Equal(entry.Value.TryGetProperty("subcommands", out _), info.IsContainer);
            Assert.Equal(entry.Name.Contains(' ') ? 2 : 1, info.NameWords);
            Assert.Equal(info.Id, Redis.CommandTable.IdOf(entry.Name));
        }
        Assert.True(Redis.CommandTable.Count >= count);
    }

    [Fact]
    public void LookupsIgnoreCaseAndFindSubcommandsOrTheirContainer()
    {
        Assert.Equal("GET", Redis.CommandTable.Find("get"u8, default).Name);
        Assert.Equal("CLIENT KILL", Redis.CommandTable.Find("client"u8, "Kill"u8).Name);
        Assert.Equal("CLIENT", Redis.CommandTable.Find("CLIENT"u8, "NO-SUCH-SUBCOMMAND"u8).Name);
        Assert.Equal("GET", Redis.CommandTable.Find("GET"u8, "key"u8).Name); // a plain command ignores its first argument
        Assert.False(Redis.CommandTable.Find("NOSUCHCOMMAND"u8, default).IsKnown);
        Assert.False(Redis.CommandTable.Find("GE"u8, default).IsKnown);
        Assert.False(Redis.CommandTable.Find("GETX"u8, default).IsKnown);
        Assert.Equal(-1, Redis.CommandTable.IdOf("CLIENT NOPE"));
    }

    [Fact]
    public void FlagsAndTipsComeFromTheSpec()
    {
        CommandInfo get = Redis.CommandTable.Find("GET");
        Assert.True(get.IsReadOnly);
        Assert.Equal(CommandFlags.ReadOnly | CommandFlags.Fast, get.Flags);
        Assert.True((Redis.CommandTable.Find("SET").Flags & CommandFlags.Write) != 0);
        Assert.True(Redis.CommandTable.Find("BLPOP").IsBlocking);
        Assert.Equal(RequestPolicy.MultiShard, Redis.CommandTable.Find("MGET").RequestPolicy);
        Assert.Equal(RequestPolicy.AllShards, Redis.CommandTable.Find("DBSIZE").RequestPolicy);
        Assert.Equal(ResponsePolicy.AggregateSum, Redis.CommandTable.Find("DBSIZE").ResponsePolicy);
        Assert.Equal(ResponsePolicy.AllSucceeded, Redis.CommandTable.Find("FLUSHALL").ResponsePolicy);
        KeySpec spec = Assert.Single(get.KeySpecs.ToArray());
        Assert.Equal(KeyBeginSearch.Index, spec.BeginSearch);
        Assert.Equal(1, spec.Index);
        Assert.Equal(KeySpecFlags.ReadOnly | KeySpecFlags.Access, spec.Flags);
    }

    [Fact]
    public void TheOverlayAddsWhatTheSpecLacks()
    {
        Assert.Equal(ConnectionEffect.Multi, Redis.CommandTable.Find("MULTI").Effect);
        Assert.Equal(ConnectionEffect.ClientReply, Redis.CommandTable.Find("CLIENT REPLY").Effect);
        Assert.Equal(ConnectionEffect.BlocksWithOption, Redis.CommandTable.Find("XREAD").Effect);
        Assert.True(Redis.CommandTable.Find("WAIT").IsBlocking);
        Assert.Equal(SecretRule.Auth, Redis.CommandTable.Find("AUTH").Secret);
        Assert.Equal(SecretRule.ConfigSet, Redis.CommandTable.Find("CONFIG"u8, "set"u8).Secret);
        // SENTINEL is not a command of a data server's spec: the overlay registers it.
        CommandInfo sentinelSet = Redis.CommandTable.Find("SENTINEL"u8, "SET"u8);
        Assert.True(sentinelSet.IsKnown);
        Assert.Equal(SecretRule.SentinelSet, sentinelSet.Secret);
        Assert.Equal(ConnectionEffect.None, Redis.CommandTable.Find("GET").Effect);
    }

    [Fact]
    public void RegisteredCommandsAreFoundByNameAndBytes()
    {
        var keySpec = new KeySpec(KeySpecFlags.ReadOnly, KeyBeginSearch.Index, 1, null, KeyFind.Range, 0, 1, 0, 0, 0);
        CommandInfo added = Redis.CommandTable.Register("test.module.get", 2, CommandFlags.ReadOnly, [keySpec]);
        Assert.Equal("TEST.MODULE.GET", added.Name);
        Assert.Equal(added, Redis.CommandTable.Find("Test.Module.Get"u8, default));
        Assert.Equal(added, Redis.CommandTable.Register("TEST.MODULE.GET", 2, CommandFlags.ReadOnly, [keySpec]));
        Assert.True(added.IsReadOnly);
        Assert.Equal(1, added.KeySpecs[0].Index);
    }
}
