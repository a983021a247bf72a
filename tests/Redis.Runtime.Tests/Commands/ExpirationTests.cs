namespace Redis.Tests.Commands;

/// <summary>The option types for SET's and GETEX's expiration: what each alternative writes, and what is refused before sending.</summary>
public class ExpirationTests
{
    // The bulks an option writes, and checks ArgumentCount agrees with them (the array header is written from it).
    private static string[] Written<T>(T option) where T : IRespArguments
    {
        using var writer = new RespWriter(64);
        option.WriteTo(writer);
        var reader = new RespReader(writer.WrittenMemory.ToArray());
        var words = new List<string>();
        while (!reader.End) words.Add(reader.ReadString()!);
        Assert.Equal(option.ArgumentCount, words.Count);
        return words.ToArray();
    }

    [Fact]
    public void Expiration_EachFactory_WritesItsOneToken()
    {
        Assert.Equal(["EX", "60"], Written(Expiration.Seconds(60)));
        Assert.Equal(["PX", "1500"], Written(Expiration.Milliseconds(1500)));
        Assert.Equal(["EXAT", "1700000000"], Written(Expiration.At(DateTimeOffset.FromUnixTimeSeconds(1700000000))));
        Assert.Equal(["PXAT", "1700000000123"], Written(Expiration.At(DateTimeOffset.FromUnixTimeMilliseconds(1700000000123))));
        Assert.Equal(["EX", "120"], Written(Expiration.After(TimeSpan.FromMinutes(2))));
        Assert.Equal(["PX", "1500"], Written(Expiration.After(TimeSpan.FromMilliseconds(1500))));
        Assert.Equal(["KEEPTTL"], Written(Expiration.KeepTtl));
        Assert.Empty(Written(default(Expiration)));
        Assert.True(default(Expiration).IsNone);
    }

    [Fact]
    public void ExpirationUpdate_EachFactory_WritesItsOneToken()
    {
        Assert.Equal(["EX", "60"], Written(ExpirationUpdate.Seconds(60)));
        Assert.Equal(["PXAT", "1700000000001"], Written(ExpirationUpdate.At(DateTimeOffset.FromUnixTimeMilliseconds(1700000000001))));
        Assert.Equal(["PERSIST"], Written(ExpirationUpdate.Persist));
        Assert.Empty(Written(default(ExpirationUpdate)));
    }

    [Fact]
    public void NonPositiveTimes_AreRefusedBeforeAnythingIsSent()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Expiration.Seconds(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Expiration.Milliseconds(-5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Expiration.After(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExpirationUpdate.At(DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void EqualityAndToString_FollowTheArgumentsSent()
    {
        Assert.Equal(Expiration.Seconds(5), Expiration.After(TimeSpan.FromSeconds(5)));
        Assert.NotEqual(Expiration.Seconds(5), Expiration.Milliseconds(5000));
        Assert.Equal("EX 60", Expiration.Seconds(60).ToString());
        Assert.Equal("PERSIST", ExpirationUpdate.Persist.ToString());
        Assert.Equal("(none)", default(Expiration).ToString());
    }
}
