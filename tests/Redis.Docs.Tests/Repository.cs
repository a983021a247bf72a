using System.Reflection;

namespace Redis.Docs.Tests;

/// <summary>Where the repository being tested is (set at build time from this project's location).</summary>
internal static class Repository
{
    public static readonly string Root = typeof(Repository).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
}
