using System.Text.RegularExpressions;

namespace Redis.Generators.Tests;

/// <summary>
/// The public API of Redis.Runtime, generated members included, against the checked-in
/// <c>src/Redis.Runtime/PublicAPI.txt</c> (<c>UPDATE_BASELINES=1</c> rewrites it). A change to the
/// generator or to the spec that alters the API shows up as a diff of that file in review.
/// </summary>
public class PublicApiTests
{
    private const string BaselinePath = "src/Redis.Runtime/PublicAPI.txt";

    private static readonly IReadOnlyList<string> Surface = PublicApiSurface.Lines(typeof(IConn).Assembly);

    [Fact]
    public void ThePublicApiOfRedisRuntime_MatchesTheCheckedInBaseline()
    {
        string actual = string.Join("\n", Surface) + "\n";
        if (!Baseline.Updating)
        {
            // A short list of what changed first: the whole-file comparison below is too long to read.
            string path = Path.Combine(RepositoryRoot, BaselinePath);
            var expected = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n").Split('\n', StringSplitOptions.RemoveEmptyEntries) : [];
            var removed = expected.Except(Surface, StringComparer.Ordinal).Take(20).Select(l => "- " + l);
            var added = Surface.Except(expected, StringComparer.Ordinal).Take(20).Select(l => "+ " + l);
            string diff = string.Join("\n", removed.Concat(added));
            Assert.True(diff.Length == 0, $"The public API differs from {BaselinePath} (first 20 each way; UPDATE_BASELINES=1 rewrites it):\n{diff}");
        }
        Baseline.VerifyInRepository(BaselinePath, actual);
    }

    [Fact]
    public void TheSurface_ListsTheGeneratedCommandsAndEnums_WithTupleNamesAndNullability()
    {
        Assert.Contains("interface Redis.IRedisCommands", Surface);
        Assert.Contains("enum Redis.Commands.ListSide : int", Surface);
        Assert.Contains("Redis.Commands.ListSide.Left = 0", Surface);
        Assert.Contains(Surface, l => l.StartsWith("Redis.IRedisCommands.LMove(Redis.RedisKey source, Redis.RedisKey destination, Redis.Commands.ListSide wherefrom, Redis.Commands.ListSide whereto) -> byte[]?", StringComparison.Ordinal));
        Assert.Contains(Surface, l => l.StartsWith("Redis.IRedisCommands.ZRangeWithScores(", StringComparison.Ordinal) && l.EndsWith("-> (byte[] Member, double Score)[]", StringComparison.Ordinal));
        Assert.Contains(Surface, l => l.StartsWith("Redis.IRedisCommands.HScanAsync(", StringComparison.Ordinal) && l.EndsWith("-> System.Threading.Tasks.ValueTask<(ulong Cursor, (byte[] Field, byte[] Value)[] Fields)>", StringComparison.Ordinal));
        Assert.Contains(Surface, l => l.StartsWith("Redis.IRedisCommands.FlushDb(Redis.Commands.FlushMode? flushMode = null)", StringComparison.Ordinal));
        // Only public things: no generated implementation class or command struct.
        Assert.DoesNotContain(Surface, l => l.Contains("Implementation", StringComparison.Ordinal) && l.Contains("IRedisCommands", StringComparison.Ordinal));
        Assert.DoesNotContain(Surface, l => Regex.IsMatch(l, @"\bItem\d\b"));
    }

    private static string RepositoryRoot => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(SpecDrivenTests.RepositorySpec)!));
}
