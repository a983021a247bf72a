using System.Text;
using System.Text.Json;

namespace Redis.Tests.Packaging;

/// <summary>
/// Packs the solution once for all packaging tests: finds the projects under src/ whose evaluated
/// <c>IsPackable</c> is true, then runs the README's command, <c>dotnet pack Redis.sln -o &lt;feed&gt;</c>, into a
/// folder feed of its own (it builds only the packable projects and what they reference). The packages get a version no other run uses, so a restore can never pick up a
/// stale copy of the same version from a NuGet cache. Nothing is rebuilt when the solution is already built:
/// the version is given as <c>PackageVersion</c>, which only the nuspec reads, not the compiler.
/// </summary>
public sealed class PackedFeedFixture : IAsyncLifetime
{
    /// <summary>Everything the dotnet commands printed, for the tests' output.</summary>
    public StringBuilder Log { get; } = new();

    /// <summary>The temporary folder that holds the feed and the consumer; deleted at the end.</summary>
    public string Work { get; } = Directory.CreateTempSubdirectory("redis-pack-").FullName;

    /// <summary>The folder feed the packages were written to.</summary>
    public string Feed => Path.Combine(Work, "feed");

    /// <summary>The repository root (the folder of Redis.sln).</summary>
    public string Root { get; } = RepositoryRoot();

    /// <summary>The build configuration of this test run (Debug or Release), taken from the test assembly's folder.</summary>
    public string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>The version every package of this run was packed as.</summary>
    public string Version { get; } = $"0.0.0-packtest.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    /// <summary>The packable projects under src/, found by evaluating each project.</summary>
    public IReadOnlyList<PackableProject> Projects { get; private set; } = [];

    /// <summary>The path of a package in the feed.</summary>
    /// <param name="packageId">The package id.</param>
    /// <param name="extension">".nupkg" or ".snupkg".</param>
    public string PackagePath(string packageId, string extension = ".nupkg") => Path.Combine(Feed, $"{packageId}.{Version}{extension}");

    async Task IAsyncLifetime.InitializeAsync()
    {
        string[] candidates = Directory.GetFiles(Path.Combine(Root, "src"), "*.csproj", SearchOption.AllDirectories);
        PackableProject?[] evaluated = await Task.WhenAll(candidates.Select(EvaluateAsync));
        Projects = evaluated.OfType<PackableProject>().OrderBy(p => p.PackageId, StringComparer.Ordinal).ToArray();

        // Restore first and pack without restoring: a restore under -p:PackageVersion would rewrite the assets
        // file of every project in the solution (the version is part of the restore graph), this test's own included.
        string solution = Path.Combine(Root, "Redis.sln");
        await DotnetCli.RunAsync(["restore", solution], Root, Log);
        await DotnetCli.RunAsync(
            ["pack", solution, "--no-restore", "-c", Configuration, "-o", Feed, $"-p:PackageVersion={Version}"],
            Root,
            Log);
    }

    Task IAsyncLifetime.DisposeAsync()
    {
        try
        {
            Directory.Delete(Work, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temporary folder is only disk space.
        }

        return Task.CompletedTask;
    }

    private async Task<PackableProject?> EvaluateAsync(string project)
    {
        string json = await DotnetCli.RunAsync(
            ["msbuild", project, "-getProperty:IsPackable", "-getProperty:PackageId", "-getProperty:PackageLicenseExpression",
             "-getProperty:RepositoryUrl", "-getProperty:PackageProjectUrl"],
            Root,
            Log);
        // Only the JSON: a warning printed by the evaluation would come before or after it.
        string only = json[json.IndexOf('{', StringComparison.Ordinal)..(json.LastIndexOf('}') + 1)];
        JsonElement properties = JsonDocument.Parse(only).RootElement.GetProperty("Properties");
        string Property(string name) => properties.GetProperty(name).GetString() ?? "";
        return string.Equals(Property("IsPackable"), "true", StringComparison.OrdinalIgnoreCase)
            ? new PackableProject(project, Property("PackageId"), Property("PackageLicenseExpression"), Property("RepositoryUrl"), Property("PackageProjectUrl"))
            : null;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Redis.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Redis.sln not found above " + AppContext.BaseDirectory);
    }
}
