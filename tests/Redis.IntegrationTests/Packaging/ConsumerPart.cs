namespace Redis.Tests.Packaging;

/// <summary>
/// What the consumer program of the packaging test does with one package. The program starts with
/// <c>token</c> (a value unique to the run), <c>key</c> (a key made from it) and <c>url</c> (the server) in
/// scope; each part uses its package against that server and prints <c>"&lt;PackageId&gt;: &lt;token&gt;"</c> once
/// it has read the token back through the package.
/// </summary>
/// <param name="Usings">The using directives the part needs (duplicates across parts are merged).</param>
/// <param name="Statements">Top-level statements, run in package-id order after the server part.</param>
/// <param name="Declarations">Types the statements use (declared after the top-level statements).</param>
public sealed record ConsumerPart(string[] Usings, string Statements, string Declarations = "");
