using System.Collections;
using System.Text;

namespace Redis.Tests.Replies;

/// <summary>
/// <see cref="Args"/>: redigo's Add/AddFlat vectors (TestArgs in redigo's redis/scan_test.go) translated to
/// .NET (properties instead of struct fields, no tags); "UnlikeRedigo" marks a deliberate difference.
/// </summary>
public class ArgsTests
{
    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private sealed class UnixTime(long seconds) : IRedisArg
    {
        public object? RedisArg() => seconds;
    }

    private sealed class AllKinds
    {
        public int I { get; set; } = -1234;
        public uint U { get; set; } = 5678;
        public string S { get; set; } = "hello";
        public byte[] P { get; set; } = Encoding.UTF8.GetBytes("world");
        public Dictionary<string, string> M { get; set; } = new() { ["k"] = "v" };
        public bool Bt { get; set; } = true;
        public bool Bf { get; set; }
        public bool? PtrB { get; set; } = true;
        public int? PtrI { get; set; }
    }

    private sealed class OneInt
    {
        public int I { get; set; } = 123;
    }

    private sealed class WithArgument
    {
        public UnixTime T { get; } = new(1573231058);
    }

    private sealed class NullableOnly
    {
        public string? Name { get; set; }
    }

    private class Base
    {
        public string Id { get; set; } = "id1";
    }

    private sealed class Derived : Base
    {
        public string Title { get; set; } = "Example";
    }

    private interface IShape
    {
        string Kind { get; }
    }

    private sealed class Circle : IShape
    {
        public string Kind => "circle";
        public double Radius => 2.5;
    }

    private struct Point
    {
        public int X { get; set; }
        public int Y { get; set; }
    }

    private sealed class NotPlainMembers
    {
        public static string Static => "static";
        public string Visible { get; set; } = "v";
        public string WriteOnly { set { } }
        public string this[int index] => "indexer";
        public string Field = "field";
        private string Hidden { get; } = "hidden";
        internal string Internal { get; } = "internal";
        public string HasPrivateGetter { private get; set; } = "x";
        public override string ToString() => Hidden + Internal + HasPrivateGetter + Field;
    }

    private sealed record Album(string Title, string Author, string? Body);

    private sealed class Custom(int n)
    {
        public int N { get; } = n;
    }

    private sealed class EnumerableArg : IRedisArg, IEnumerable<int>
    {
        public object? RedisArg() => "as-one";
        public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)[1, 2]).GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    // ------------------------------------------------------------------ Add

    [Fact]
    public void Add_AppendsValuesInOrder()
    {
        var args = new Args().Add("k").Add(1, 2.5, true);
        Assert.Equal(["k", 1, 2.5, true], args.ToArray());
        Assert.Equal(4, args.Count);
        Assert.Equal(2.5, args[2]);
    }

    [Fact]
    public void Add_NullAppendsOneNullValue()
    {
        var args = new Args().Add(null).Add("x", null);
        Assert.Equal([null, "x", null], args.ToArray());
    }

    [Fact]
    public void Add_ByteArrayIsOneValue()
    {
        byte[] bytes = B("hi");
        var args = new Args().Add(bytes);
        Assert.Same(bytes, Assert.Single(args));
    }

    [Fact]
    public void Add_DoesNotFlattenACollectionGivenAsOneValue()
    {
        var list = new List<int> { 1, 2 };
        var args = new Args().Add(list);
        Assert.Same(list, Assert.Single(args));
    }

    [Fact]
    public void CollectionInitializerUsesAdd()
    {
        var args = new Args { "a", 1 };
        Assert.Equal(["a", 1], args.ToArray());
    }

    [Fact]
    public void ToArray_ReturnsACopy()
    {
        var args = new Args().Add("a");
        object?[] first = args.ToArray();
        args.Add("b");
        Assert.Single(first);
        Assert.NotSame(first, args.ToArray());
        Assert.Equal(2, args.ToArray().Length);
    }

    [Fact]
    public void IsAReadOnlyListThatEnumeratesInOrder()
    {
        IReadOnlyList<object?> args = new Args().Add(1, "two");
        var seen = new List<object?>();
        foreach (object? value in args)
            seen.Add(value);
        Assert.Equal([1, "two"], seen);
        Assert.Equal("two", args[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => args[2]);
    }

    // ------------------------------------------------------------------ AddFlat: collections and scalars

    [Fact]
    public void AddFlat_FlattensAListBetweenAdds()
    {
        // redigo: Args{}.Add(1).AddFlat(["a","b","c"]).Add(2) → [1,"a","b","c",2]
        var args = new Args().Add(1).AddFlat(new[] { "a", "b", "c" }).Add(2);
        Assert.Equal([1, "a", "b", "c", 2], args.ToArray());
    }

    [Fact]
    public void AddFlat_ByteArrayIsOneValue_UnlikeRedigo()
    {
        // redigo: redigo flattens []byte "hi" into [104, 105]
        byte[] bytes = B("hi");
        var args = new Args().AddFlat(bytes);
        Assert.Same(bytes, Assert.Single(args));
    }

    [Fact]
    public void AddFlat_StringAndMemoryAreOneValue()
    {
        ReadOnlyMemory<byte> memory = B("mem");
        var args = new Args().AddFlat("text").AddFlat(memory).AddFlat(new ArraySegment<byte>(B("seg")));
        Assert.Equal(3, args.Count);
        Assert.Equal("text", args[0]);
        Assert.Equal(memory, Assert.IsType<ReadOnlyMemory<byte>>(args[1]));
        Assert.IsType<ArraySegment<byte>>(args[2]);
    }

    [Fact]
    public void AddFlat_ScalarIsAppendedAsIs()
    {
        var args = new Args().AddFlat(42).AddFlat(1.5).AddFlat(true).AddFlat(DayOfWeek.Friday).AddFlat(12.5m);
        Assert.Equal([42, 1.5, true, DayOfWeek.Friday, 12.5m], args.ToArray());
    }

    [Fact]
    public void AddFlat_NullAppendsNothing()
    {
        string? missing = null;
        var args = new Args().AddFlat(missing).AddFlat((object?)null);
        Assert.Empty(args);
    }

    [Fact]
    public void AddFlat_RedisArgIsAppendedAsIsEvenWhenEnumerable()
    {
        var arg = new EnumerableArg();
        var args = new Args().AddFlat(arg);
        Assert.Same(arg, Assert.Single(args));
    }

    [Fact]
    public void AddFlat_DictionaryAppendsPairsInEnumerationOrder()
    {
        var map = new Dictionary<string, int> { ["a"] = 1, ["b"] = 2, ["c"] = 3 };
        var args = new Args().AddFlat(map);
        Assert.Equal(["a", 1, "b", 2, "c", 3], args.ToArray());
    }

    [Fact]
    public void AddFlat_SortedDictionaryFollowsItsOrder()
    {
        var map = new SortedDictionary<string, string> { ["z"] = "last", ["a"] = "first" };
        Assert.Equal(["a", "first", "z", "last"], new Args().AddFlat(map).ToArray());
    }

    [Fact]
    public void AddFlat_ListOfPairsAppendsPairs()
    {
        var pairs = new List<KeyValuePair<string, string>> { new("f1", "v1"), new("f2", "v2") };
        Assert.Equal(["f1", "v1", "f2", "v2"], new Args().AddFlat(pairs).ToArray());
    }

    [Fact]
    public void AddFlat_TypedPairSequenceUsesAnyKeyAndValueTypes()
    {
        IEnumerable<KeyValuePair<Guid, DateOnly>> pairs = [new(Guid.Empty, new DateOnly(2024, 1, 2))];
        Assert.Equal([Guid.Empty, new DateOnly(2024, 1, 2)], new Args().AddFlat(pairs).ToArray());
    }

    [Fact]
    public void AddFlat_Resp3MapReplyAppendsPairs()
    {
        KeyValuePair<object?, object?>[] reply = [new("k1", B("v1")), new("k2", 2L)];
        var args = new Args().AddFlat(reply);
        Assert.Equal(4, args.Count);
        Assert.Equal("k1", args[0]);
        Assert.Equal(B("v1"), args[1]);
        Assert.Equal("k2", args[2]);
        Assert.Equal(2L, args[3]);
    }

    [Fact]
    public void AddFlat_PairsOfUnknownTypesInAListThrowClearly()
    {
        var pairs = new List<KeyValuePair<Custom, int>> { new(new Custom(1), 1) };
        var ex = Assert.Throws<ArgumentException>(() => new Args().AddFlat((IEnumerable)pairs));
        Assert.Contains("KeyValuePair", ex.Message);
    }

    [Fact]
    public void AddFlat_FlattensOnlyOneLevel()
    {
        var inner = new List<int> { 2, 3 };
        var args = new Args().AddFlat(new List<object> { 1, inner });
        Assert.Equal(2, args.Count);
        Assert.Same(inner, args[1]);
    }

    [Fact]
    public void AddFlat_DictionaryValuesAreNotFlattened()
    {
        var value = new[] { 1, 2 };
        var args = new Args().AddFlat(new Dictionary<string, int[]> { ["k"] = value });
        Assert.Equal(2, args.Count);
        Assert.Same(value, args[1]);
    }

    [Fact]
    public void AddFlat_ArgsInstanceIsFlattened() =>
        Assert.Equal(["a", 1], new Args().AddFlat(new Args().Add("a", 1)).ToArray());

    // ------------------------------------------------------------------ AddFlat: plain objects

    [Fact]
    public void AddFlat_ObjectAppendsNameValuePairsAndSkipsNullProperties()
    {
        // redigo's vector, with properties for fields and no tags; the null PtrI is omitted entirely
        var source = new AllKinds();
        object?[] args = new Args().AddFlat(source).ToArray();
        Assert.Equal(16, args.Length);
        Assert.Equal(
            ["I", -1234, "U", 5678u, "S", "hello", "P", source.P, "M", source.M, "Bt", true, "Bf", false, "PtrB", true],
            args);
        Assert.Same(source.M, args[9]);
        Assert.DoesNotContain("PtrI", args);
    }

    [Fact]
    public void AddFlat_SingleIntProperty()
    {
        // redigo: AddFlat(struct{I int}{123}) → ["I", 123]
        Assert.Equal(["I", 123], new Args().AddFlat(new OneInt()).ToArray());
    }

    [Fact]
    public void AddFlat_RedisArgPropertyIsAppendedAsIs()
    {
        // redigo: an Argument-valued field; the encoder later sends its RedisArg() value
        var source = new WithArgument();
        object?[] args = new Args().AddFlat(source).ToArray();
        Assert.Equal(2, args.Length);
        Assert.Equal("T", args[0]);
        var arg = Assert.IsAssignableFrom<IRedisArg>(args[1]);
        Assert.Equal(1573231058L, arg.RedisArg());
    }

    [Fact]
    public void AddFlat_ObjectWhoseOnlyPropertyIsNullAppendsNothing()
    {
        // redigo: a nil pointer field with omitempty → []
        Assert.Empty(new Args().AddFlat(new NullableOnly()));
    }

    [Fact]
    public void AddFlat_BaseClassPropertiesComeFirst() =>
        Assert.Equal(["Id", "id1", "Title", "Example"], new Args().AddFlat(new Derived()).ToArray());

    [Fact]
    public void AddFlat_AnonymousObjectInDeclarationOrder() =>
        Assert.Equal(["title", "Example", "author", "Gary", "body", "Hello"],
            new Args().AddFlat(new { title = "Example", author = "Gary", body = "Hello" }).ToArray());

    [Fact]
    public void AddFlat_RecordAppendsItsPositionalProperties() =>
        Assert.Equal(["Title", "Example2", "Author", "Steve"], new Args().AddFlat(new Album("Example2", "Steve", null)).ToArray());

    [Fact]
    public void AddFlat_StructAppendsItsProperties() =>
        Assert.Equal(["X", 1, "Y", 2], new Args().AddFlat(new Point { X = 1, Y = 2 }).ToArray());

    [Fact]
    public void AddFlat_IgnoresStaticWriteOnlyIndexedNonPublicPropertiesAndFields() =>
        Assert.Equal(["Visible", "v"], new Args().AddFlat(new NotPlainMembers()).ToArray());

    [Fact]
    public void AddFlat_GenericUsesTheStaticTypesProperties()
    {
        IShape shape = new Circle();
        Assert.Equal(["Kind", "circle"], new Args().AddFlat(shape).ToArray());
    }

    [Fact]
    public void AddFlat_ObjectOverloadUsesTheRuntimeTypesProperties()
    {
        object shape = new Circle();
        Assert.Equal(["Kind", "circle", "Radius", 2.5], new Args().AddFlat(shape).ToArray());
    }

    [Fact]
    public void AddFlat_GenericWithObjectTypeRejectsPlainObjectClearly()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Args().AddFlat<object>(new Circle()));
        Assert.Contains("Circle", ex.Message);
    }

    [Fact]
    public void AddFlat_GenericWithObjectTypeStillFlattensCollections() =>
        Assert.Equal(["a", 1], new Args().AddFlat<object>(new Dictionary<string, int> { ["a"] = 1 }).ToArray());

    [Fact]
    public void AddFlat_SameTypeTwiceGivesSameResult()
    {
        var args = new Args().AddFlat(new OneInt()).AddFlat(new OneInt { I = 7 });
        Assert.Equal(["I", 123, "I", 7], args.ToArray());
    }
}
