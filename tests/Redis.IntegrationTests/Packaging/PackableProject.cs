namespace Redis.Tests.Packaging;

/// <summary>A project under src/ whose evaluated <c>IsPackable</c> is true, with the package properties it evaluates to.</summary>
/// <param name="ProjectPath">The .csproj file.</param>
/// <param name="PackageId">The package id.</param>
/// <param name="LicenseExpression">The evaluated <c>PackageLicenseExpression</c>.</param>
/// <param name="RepositoryUrl">The evaluated <c>RepositoryUrl</c>.</param>
/// <param name="ProjectUrl">The evaluated <c>PackageProjectUrl</c>.</param>
public sealed record PackableProject(string ProjectPath, string PackageId, string LicenseExpression, string RepositoryUrl, string ProjectUrl)
{
    /// <summary>The project's folder.</summary>
    public string Directory => Path.GetDirectoryName(ProjectPath)!;
}
