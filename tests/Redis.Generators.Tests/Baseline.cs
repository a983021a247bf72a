using System.Reflection;

namespace Redis.Generators.Tests;

/// <summary>
/// Checked-in expected output in the dotnet/runtime style: <c>Baselines/{name}.txt</c>. A mismatch
/// writes <c>{name}.received.txt</c> beside the baseline and fails; a missing baseline fails too.
/// <c>UPDATE_BASELINES=1 dotnet test</c> rewrites the baselines in the source tree instead.
/// </summary>
internal static class Baseline
{
    private static readonly string ProjectDirectory = typeof(Baseline).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDirectory").Value!;

    public static bool Updating => Environment.GetEnvironmentVariable("UPDATE_BASELINES") is "1" or "true";

    /// <summary>The generator version is replaced by %VERSION% so baselines survive version bumps.</summary>
    public static string Normalize(string text)
        => text.Replace("\r\n", "\n").TrimStart('\uFEFF').Replace($"\"{Emit.SourceEmitter.Version}\"", "\"%VERSION%\"");

    public static void Verify(string name, string actual)
        => VerifyFile(Path.Combine(ProjectDirectory, "Baselines", name), Path.Combine(AppContext.BaseDirectory, "Baselines", name), actual);

    /// <summary>The same for a baseline elsewhere in the repository (a path relative to its root, e.g. <c>src/Redis.Runtime/PublicAPI.txt</c>).</summary>
    public static void VerifyInRepository(string relativePath, string actual)
    {
        string path = Path.GetFullPath(Path.Combine(ProjectDirectory, "..", "..", relativePath));
        VerifyFile(path, path, actual);
    }

    private static void VerifyFile(string sourcePath, string fallbackPath, string actual)
    {
        actual = Normalize(actual);
        string name = Path.GetFileName(sourcePath);
        if (Updating)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(sourcePath)!);
            File.WriteAllText(sourcePath, actual);
            return;
        }
        string expectedPath = File.Exists(sourcePath) ? sourcePath : fallbackPath;
        if (!File.Exists(expectedPath))
        {
            Assert.Fail($"Baseline '{name}' does not exist. Run the tests with UPDATE_BASELINES=1 to create it, then review and commit it.");
        }
        string expected = Normalize(File.ReadAllText(expectedPath));
        string received = Path.Combine(Path.GetDirectoryName(sourcePath)!, Path.GetFileNameWithoutExtension(name) + ".received.txt");
        if (expected != actual)
        {
            File.WriteAllText(received, actual);
        }
        else if (File.Exists(received))
        {
            File.Delete(received);
        }
        Assert.Equal(expected, actual);
    }
}
