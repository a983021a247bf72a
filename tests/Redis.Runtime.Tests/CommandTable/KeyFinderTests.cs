using System.Text;

namespace Redis.Tests.CommandTable;

/// <summary>Keys found from the key specs of the table, for every begin_search / find_keys shape.</summary>
public class KeyFinderTests
{
    private static (KeyFinder.Outcome Outcome, string[] Keys) Keys(bool includeNotKeys, params object[] command)
    {
        using var writer = new RespWriter();
        writer.WriteCommand((string)command[0], command.AsSpan(1));
        Span<Range> ranges = new Range[command.Length];
        CommandArgs args = CommandArgs.Parse(writer.WrittenSpan, ranges);
        CommandInfo info = Redis.CommandTable.Find(args);
        Assert.True(info.IsKnown, (string)command[0]);
        Span<int> positions = new int[args.Count];
        KeyFinder.Outcome outcome = KeyFinder.Find(info, args, positions, includeNotKeys, out int count);
        var keys = new string[count];
        for (int i = 0; i < count; i++) keys[i] = Encoding.UTF8.GetString(args[positions[i]]);
        return (outcome, keys);
    }

    private static string[] Keys(params object[] command)
    {
        var (outcome, keys) = Keys(false, command);
        Assert.Equal(KeyFinder.Outcome.Found, outcome);
        return keys;
    }

    [Fact]
    public void IndexRange_OneKey() => Assert.Equal(["k"], Keys("GET", "k"));

    [Fact]
    public void IndexRange_AllArguments() => Assert.Equal(["a", "b", "c"], Keys("DEL", "a", "b", "c"));

    [Fact]
    public void IndexRange_KeyStepTwo() => Assert.Equal(["a", "b"], Keys("MSET", "a", "1", "b", "2"));

    [Fact]
    public void IndexRange_Subcommand() => Assert.Equal(["k"], Keys("OBJECT", "ENCODING", "k"));

    [Fact]
    public void KeyNum_Eval() => Assert.Equal(["a", "b"], Keys("EVAL", "return 1", "2", "a", "b", "arg"));

    [Fact]
    public void KeyNum_EvalWithoutKeys() => Assert.Empty(Keys("EVAL", "return 1", "0", "arg"));

    [Fact]
    public void KeyNum_ZUnionStoreHasDestinationAndSources()
        => Assert.Equal(["dest", "a", "b"], Keys("ZUNIONSTORE", "dest", "2", "a", "b", "WEIGHTS", "1", "2"));

    [Fact]
    public void KeyNum_LMPop() => Assert.Equal(["a", "b"], Keys("LMPOP", "2", "a", "b", "LEFT", "COUNT", "3"));

    [Fact]
    public void Keyword_XReadStreamsTakesHalfTheRest()
        => Assert.Equal(["s1", "s2"], Keys("XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "s1", "s2", "0", "$"));

    [Fact]
    public void Keyword_XReadGroup() => Assert.Equal(["s"], Keys("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"));

    [Fact]
    public void Keyword_GeoRadiusStoreIsFoundOnlyWhenPresent()
    {
        Assert.Equal(["src"], Keys("GEORADIUS", "src", "1", "2", "3", "km"));
        Assert.Equal(["src", "dst"], Keys("GEORADIUS", "src", "1", "2", "3", "km", "STORE", "dst"));
    }

    [Fact]
    public void NotKey_ShardChannelOnlyWhenAsked()
    {
        Assert.Empty(Keys("SPUBLISH", "channel", "message"));
        Assert.Equal(["channel"], Keys(true, "SPUBLISH", "channel", "message").Keys);
    }

    [Fact]
    public void UnknownSpec_SortNeedsTheServer()
    {
        var (outcome, keys) = Keys(false, "SORT", "k", "BY", "w_*");
        Assert.Equal(KeyFinder.Outcome.NeedsServer, outcome);
        Assert.Equal(["k"], keys);
    }

    [Fact]
    public void Incomplete_MigrateKeysNeedsTheServer()
    {
        var (outcome, keys) = Keys(false, "MIGRATE", "h", "6379", "", "0", "1000", "KEYS", "a", "b");
        Assert.Equal(KeyFinder.Outcome.NeedsServer, outcome);
        Assert.Equal(["", "a", "b"], keys);
    }

    [Fact]
    public void BadKeyCount_IsInvalid()
    {
        Assert.Equal(KeyFinder.Outcome.Invalid, Keys(false, "EVAL", "s", "x").Outcome);
        Assert.Equal(KeyFinder.Outcome.Invalid, Keys(false, "EVAL", "s", "5", "a").Outcome);
    }

    [Fact]
    public void NoKeys_Ping() => Assert.Empty(Keys("PING"));
}
