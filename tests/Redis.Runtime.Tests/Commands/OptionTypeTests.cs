using Redis.Commands;

namespace Redis.Tests.Commands;

/// <summary>The one-parameter types of the other valued choices: what each alternative writes, and that default writes nothing.</summary>
public class OptionTypeTests
{
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
    public void GeoSearchOriginAndShape_WriteTheirTokensValuesAndUnit()
    {
        Assert.Equal(["FROMMEMBER", "Palermo"], Written(GeoSearchOrigin.Member("Palermo")));
        Assert.Equal(["FROMLONLAT", "15.5", "37"], Written(GeoSearchOrigin.Position(15.5, 37)));
        Assert.Equal(["BYRADIUS", "200", "KM"], Written(GeoSearchShape.Radius(200, GeoUnit.Kilometers)));
        Assert.Equal(["BYBOX", "4", "2.5", "MI"], Written(GeoSearchShape.Box(4, 2.5, GeoUnit.Miles)));
        Assert.Throws<ArgumentOutOfRangeException>(() => GeoSearchShape.Radius(1, (GeoUnit)99));
        Assert.Empty(Written(default(GeoSearchOrigin)));
        Assert.Empty(Written(default(GeoSearchShape)));
    }

    [Fact]
    public void MigrateAuthentication_WritesThePassword_ButToStringHidesIt()
    {
        Assert.Equal(["AUTH", "s3cret"], Written(MigrateAuthentication.Password("s3cret")));
        Assert.Equal(["AUTH2", "ada", "s3cret"], Written(MigrateAuthentication.UserPassword("ada", "s3cret")));
        Assert.DoesNotContain("s3cret", MigrateAuthentication.Password("s3cret").ToString());
        Assert.DoesNotContain("s3cret", MigrateAuthentication.UserPassword("ada", "s3cret").ToString());
        Assert.Empty(Written(default(MigrateAuthentication)));
    }

    [Fact]
    public void ReplicationSourceSlotStateAndCommandFilter_WriteOneAlternative()
    {
        Assert.Equal(["10.0.0.5", "6380"], Written(ReplicationSource.Primary("10.0.0.5", 6380)));
        Assert.Equal(["NO", "ONE"], Written(ReplicationSource.NoOne));
        Assert.Equal(["IMPORTING", "abc"], Written(SlotState.Importing("abc")));
        Assert.Equal(["MIGRATING", "abc"], Written(SlotState.Migrating("abc")));
        Assert.Equal(["NODE", "abc"], Written(SlotState.Node("abc")));
        Assert.Equal(["STABLE"], Written(SlotState.Stable));
        Assert.Equal(["MODULE", "search"], Written(CommandFilter.Module("search")));
        Assert.Equal(["ACLCAT", "geo"], Written(CommandFilter.AclCategory("geo")));
        Assert.Equal(["PATTERN", "x*"], Written(CommandFilter.Pattern("x*")));
        Assert.Empty(Written(default(CommandFilter)));
    }
}
