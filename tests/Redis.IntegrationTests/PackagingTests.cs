using System.IO.Compression;
using System.Text;
using System.Xml.Linq;
using Redis.Testing;
using Redis.Tests.Packaging;
using Xunit.Abstractions;

namespace Redis.Tests;

/// <summary>
/// The packages a user installs: <c>dotnet pack Redis.sln</c> packs every packable project under src/ with its
/// license, readme, repository URL and symbols, and a project outside the repository that references all
/// of them from the folder feed restores, builds and runs against a real server.
/// </summary>
public sealed class PackagingTests(PackedFeedFixture feed, ITestOutputHelper output) : IClassFixture<PackedFeedFixture>
{
    /// <summary>
    /// The consumer program's part for each package (see <see cref="ConsumerPart"/>): to cover a new package,
    /// add its entry here. Redis.Testing, when packed, supplies <c>url</c>; otherwise <c>url</c> is REDIS_URL.
    /// </summary>
    private static readonly Dictionary<string, ConsumerPart> ConsumerParts = new(StringComparer.Ordinal)
    {
        ["Redis.Testing"] = new(
            ["using Redis.Testing;"],
            """
            // REDIS_URL (set by the test) is the helper's first choice, so this is the test's own server.
            await using TestServer server = await TestServer.StartAsync();
            string url = server.Url;
            Console.WriteLine($"Redis.Testing: {token}");
            """),
        ["Redis.Runtime"] = new(
            ["using Redis;"],
            """
            await using (RedisClient client = await RedisClient.ConnectAsync(url))
            {
                client.Commands().Set(key, token, expiration: Expiration.Seconds(600)); // the built-in typed API
                IPackagingCheck check = IPackagingCheck.Create(client);  // generated here by the packaged generator
                Console.WriteLine($"Redis.Runtime: {check.Get(key)}");
            }
            """,
            """
            [RedisCommands]
            public partial interface IPackagingCheck
            {
                string? Get(string key);
            }
            """),
        ["Redis.Extensions.DependencyInjection"] = new(
            ["using Microsoft.Extensions.DependencyInjection;", "using Redis;"],
            """
            await using (ServiceProvider services = new ServiceCollection().AddRedis(url).BuildServiceProvider())
            {
                IRedisClient client = services.GetRequiredService<IRedisClient>();
                await client.DoAsync("SET", [key + ":di", token], CancellationToken.None);
                Console.WriteLine($"Redis.Extensions.DependencyInjection: {Reply.String(await client.DoAsync("GET", [key + ":di"], CancellationToken.None))}");
                await client.DoAsync("DEL", [key + ":di"], CancellationToken.None);
            }
            """),
        ["Redis.Extensions.Caching"] = new(
            ["using Microsoft.Extensions.Caching.Distributed;", "using Redis;", "using Redis.Extensions.Caching;"],
            """
            await using (RedisClient cacheClient = await RedisClient.ConnectAsync(url))
            {
                var cache = new RedisDistributedCache(cacheClient, instanceName: "packtest:");
                await cache.SetStringAsync(key, token);
                Console.WriteLine($"Redis.Extensions.Caching: {await cache.GetStringAsync(key)}");
                await cache.RemoveAsync(key);
            }
            """),
    };

    private const string ServerPackageId = "Redis.Testing";

    [Fact]
    public void SolutionPack_PacksEveryPackableProjectUnderSrc_AndNothingElse_EachWithASymbolPackage()
    {
        Assert.Contains(feed.Projects, p => p.PackageId == "Redis.Runtime");
        string[] packed = Directory.GetFiles(feed.Feed, "*.nupkg")
            .Select(path => Path.GetFileName(path)[..^$".{feed.Version}.nupkg".Length])
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(feed.Projects.Select(p => p.PackageId), packed);

        foreach (PackableProject project in feed.Projects)
        {
            string symbols = feed.PackagePath(project.PackageId, ".snupkg");
            Assert.True(File.Exists(symbols), $"{project.PackageId}: no symbol package {symbols}");
            string[] libraries = Entries(feed.PackagePath(project.PackageId)).Where(e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith(".dll", StringComparison.Ordinal)).ToArray();
            string[] pdbs = Entries(symbols).Where(e => e.EndsWith(".pdb", StringComparison.Ordinal)).ToArray();
            Assert.NotEmpty(libraries);
            Assert.Equal(libraries.Select(l => Path.ChangeExtension(l, ".pdb")), pdbs.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void EveryPackage_CarriesItsLicenseExpressionReadmeAndRepositoryUrl()
    {
        byte[] license = File.ReadAllBytes(Path.Combine(feed.Root, "LICENSE"));
        foreach (PackableProject project in feed.Projects)
        {
            string package = feed.PackagePath(project.PackageId);
            XElement metadata = Nuspec(package);
            string Element(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value
                ?? throw new Xunit.Sdk.XunitException($"{project.PackageId}: the nuspec has no <{name}>");

            Assert.Equal("MIT", project.LicenseExpression);
            XElement licenseElement = metadata.Elements().Single(e => e.Name.LocalName == "license");
            Assert.Equal("expression", (string?)licenseElement.Attribute("type"));
            Assert.Equal(project.LicenseExpression, licenseElement.Value);
            Assert.Equal(license, Read(package, "LICENSE"));

            Assert.StartsWith("https://", project.RepositoryUrl, StringComparison.Ordinal);
            XElement repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
            Assert.Equal("git", (string?)repository.Attribute("type"));
            Assert.Equal(project.RepositoryUrl, (string?)repository.Attribute("url"));
            Assert.Equal(project.ProjectUrl, Element("projectUrl"));

            // The project's own README.md (written for the gallery) when it has one, else the repository's.
            string ownReadme = Path.Combine(project.Directory, "README.md");
            string expectedReadme = File.Exists(ownReadme) ? ownReadme : Path.Combine(feed.Root, "README.md");
            Assert.Equal(File.ReadAllBytes(expectedReadme), Read(package, Element("readme")));
        }
    }

    [Fact]
    public void RuntimePackage_CarriesTheGeneratorTheDefaultSpecAndItsOwnReadme()
    {
        string[] entries = Entries(feed.PackagePath("Redis.Runtime"));
        Assert.Contains("lib/net10.0/Redis.Runtime.dll", entries);
        Assert.Contains("lib/net10.0/Redis.Runtime.xml", entries);
        Assert.Contains("analyzers/dotnet/cs/Redis.Generators.dll", entries);
        Assert.Contains("buildTransitive/Redis.Runtime.props", entries);
        Assert.Contains("buildTransitive/Redis.Runtime.targets", entries);
        Assert.Contains("buildTransitive/Redis.Runtime.commands.json", entries);
        Assert.True(File.Exists(Path.Combine(feed.Root, "src", "Redis.Runtime", "README.md")), "Redis.Runtime has no package readme of its own");
    }

    [Fact]
    public async Task ConsumerOfEveryPackage_RestoresFromTheFolderFeed_BuildsAndRunsAgainstTheServer()
    {
        TestServer server = await TestServer.SharedAsync();
        string token = Guid.NewGuid().ToString("N");
        string app = Path.Combine(feed.Work, "app-" + token);
        Directory.CreateDirectory(app);
        WriteConsumer(app, feed.Projects.Select(p => p.PackageId).ToArray());

        var environment = new Dictionary<string, string>
        {
            ["REDIS_URL"] = server.Url,
            ["PACKAGING_TOKEN"] = token,
        };
        string printed;
        try
        {
            printed = await DotnetCli.RunAsync(["run"], app, feed.Log, environment);
        }
        finally
        {
            // The pack and the consumer's restore, build and run, in that order.
            output.WriteLine(feed.Log.ToString());
        }

        string[] lines = printed.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        foreach (PackableProject project in feed.Projects)
        {
            if (ConsumerParts.ContainsKey(project.PackageId))
            {
                Assert.Contains($"{project.PackageId}: {token}", lines);
            }
        }

        // The consumer wrote the token on the test's server (and not on some other one).
        using IConn conn = Conn.Dial("tcp", server.Address);
        Assert.Equal(token, Reply.String(conn.Do("GET", "packaging:" + token)));
        conn.Do("DEL", "packaging:" + token);

        // Last, so that the run above is still checked: every package must be used, not only restored.
        string[] unused = feed.Projects.Select(p => p.PackageId).Where(id => !ConsumerParts.ContainsKey(id)).ToArray();
        Assert.True(unused.Length == 0, $"The consumer does not use {string.Join(", ", unused)}: add a ConsumerPart for each in PackagingTests.ConsumerParts.");
    }

    /// <summary>Writes a console project outside the repository that references every package from the feed.</summary>
    private void WriteConsumer(string app, string[] packageIds)
    {
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <add key="redis-packtest" value="{feed.Feed}" />
              </packageSources>
            </configuration>
            """);

        // Restore into a packages folder of the run's own; the packages this repository does not make come from
        // the user's global packages folder when it has them (read-only fallback), else from the usual sources.
        string globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string fallback = Directory.Exists(globalPackages) ? $"<RestoreFallbackFolders>{globalPackages}</RestoreFallbackFolders>" : "";
        string references = string.Join("\n", packageIds.Select(id => $"""    <PackageReference Include="{id}" Version="[{feed.Version}]" />"""));
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <!-- As in the repository's props: Garnet (under Redis.Testing) asks for versions the registry may not serve. -->
                <WarningsNotAsErrors>NU1603</WarningsNotAsErrors>
                <RestorePackagesPath>{Path.Combine(app, "packages")}</RestorePackagesPath>
                {fallback}
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
            {references}
              </ItemGroup>
            </Project>
            """);
        // Keep any Directory.*.props above the temporary folder out of the consumer.
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(app, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(app, "Program.cs"), ConsumerProgram(packageIds));
    }

    /// <summary>The consumer's Program.cs: the shared preamble, then the part of every package it references.</summary>
    private static string ConsumerProgram(string[] packageIds)
    {
        ConsumerPart[] parts = packageIds
            .OrderBy(id => id == ServerPackageId ? 0 : 1)
            .ThenBy(id => id, StringComparer.Ordinal)
            .Where(ConsumerParts.ContainsKey)
            .Select(id => ConsumerParts[id])
            .ToArray();
        var program = new StringBuilder();
        foreach (string directive in parts.SelectMany(p => p.Usings).Distinct(StringComparer.Ordinal)) program.AppendLine(directive);
        program.AppendLine();
        program.AppendLine("""string token = Environment.GetEnvironmentVariable("PACKAGING_TOKEN") ?? throw new InvalidOperationException("PACKAGING_TOKEN is not set");""");
        program.AppendLine("""string key = "packaging:" + token;""");
        if (!packageIds.Contains(ServerPackageId))
        {
            program.AppendLine("""string url = Environment.GetEnvironmentVariable("REDIS_URL") ?? throw new InvalidOperationException("REDIS_URL is not set");""");
        }

        foreach (ConsumerPart part in parts) program.AppendLine().AppendLine(part.Statements);
        foreach (ConsumerPart part in parts.Where(p => p.Declarations.Length > 0)) program.AppendLine().AppendLine(part.Declarations);
        return program.ToString();
    }

    private static string[] Entries(string package)
    {
        using ZipArchive zip = ZipFile.OpenRead(package);
        return zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ToArray();
    }

    private static byte[] Read(string package, string entry)
    {
        using ZipArchive zip = ZipFile.OpenRead(package);
        ZipArchiveEntry found = zip.GetEntry(entry) ?? throw new Xunit.Sdk.XunitException($"{Path.GetFileName(package)} has no {entry}");
        using Stream stream = found.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static XElement Nuspec(string package)
    {
        using ZipArchive zip = ZipFile.OpenRead(package);
        ZipArchiveEntry entry = zip.Entries.Single(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using Stream stream = entry.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }
}
