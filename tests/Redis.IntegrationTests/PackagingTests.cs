using System.Diagnostics;
using System.IO.Compression;
using Xunit.Abstractions;

namespace Redis.Tests;

/// <summary>
/// The package a user installs: <c>dotnet pack src/Redis.Runtime</c> must carry the generator and the
/// default commands.json, and a project that only references the package (from a local folder feed)
/// must get typed code generated for its <c>[RedisCommands]</c> interface.
/// </summary>
public sealed class PackagingTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("redis-pack-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { /* best effort */ }
    }

    [Fact]
    public async Task Package_CarriesTheGeneratorAndDefaultSpec_AndAConsumerGetsTypedCode()
    {
        string feed = Path.Combine(_work, "feed");
        string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        // --no-build: the solution build that ran these tests produced the runtime and the generator.
        await Run("dotnet", $"pack \"{Path.Combine(RepositoryRoot(), "src", "Redis.Runtime")}\" --no-build -c {configuration} -o \"{feed}\" -p:Version=0.0.0-test", RepositoryRoot());

        string package = Path.Combine(feed, "Redis.Runtime.0.0.0-test.nupkg");
        using (ZipArchive zip = ZipFile.OpenRead(package))
        {
            string[] entries = zip.Entries.Select(e => e.FullName).ToArray();
            Assert.Contains("lib/net10.0/Redis.Runtime.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/Redis.Generators.dll", entries);
            Assert.Contains("buildTransitive/Redis.Runtime.props", entries);
            Assert.Contains("buildTransitive/Redis.Runtime.targets", entries);
            Assert.Contains("buildTransitive/Redis.Runtime.commands.json", entries);
        }

        string app = Path.Combine(_work, "app");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RestorePackagesPath>{Path.Combine(_work, "packages")}</RestorePackagesPath>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Redis.Runtime" Version="0.0.0-test" />
              </ItemGroup>
            </Project>
            """);
        // A project outside the repository: keep the repository's Directory.*.props out of it.
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(app, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Redis;

            var capture = new CaptureExecutor();
            IShop shop = IShop.Create(capture);
            shop.Set("k", "v");
            Console.WriteLine(capture.Last.Replace("\r\n", "|"));

            [RedisCommands]
            public partial interface IShop
            {
                void Set(string key, string value);
            }

            sealed class CaptureExecutor : IRespExecutor
            {
                public string Last = "";

                public TResult Execute<TCommand, TParser, TResult>(in TCommand command, in TParser parser)
                    where TCommand : struct, IRespCommand, allows ref struct
                    where TParser : struct, IRespParser<TResult>
                {
                    using var writer = new RespWriter();
                    command.WriteTo(writer);
                    Last = System.Text.Encoding.UTF8.GetString(writer.WrittenSpan);
                    var reader = new RespReader("+OK\r\n"u8);
                    return parser.Parse(ref reader);
                }

                public ValueTask<TResult> ExecuteAsync<TCommand, TParser, TResult>(TCommand command, TParser parser, CancellationToken cancellationToken = default)
                    where TCommand : struct, IRespCommand
                    where TParser : struct, IRespParser<TResult>
                    => ValueTask.FromResult(Execute<TCommand, TParser, TResult>(command, parser));
            }
            """);

        string printed = await Run("dotnet", "run", app);
        Assert.Contains("*3|$3|SET|$1|k|$1|v|", printed);
    }

    private async Task<string> Run(string file, string arguments, string directory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDNOINPROCNODE"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        string text = await stdout + await stderr;
        output.WriteLine($"$ {file} {arguments}\n{text}");
        Assert.True(process.ExitCode == 0, $"{file} {arguments} exited with {process.ExitCode}:\n{text}");
        return text;
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
