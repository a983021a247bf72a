using Redis;
using Redis.SpecTool;

ToolOptions options;
try
{
    options = ToolOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine(ToolOptions.Usage);
    return 2;
}
if (options.Help)
{
    Console.Out.WriteLine(ToolOptions.Usage);
    return 0;
}

try
{
    SpecDocument document;
    List<string> readerWarnings;
    using (IConn conn = Conn.DialUrl(options.Url, new DialOptions { Protocol = 3, ReadTimeout = TimeSpan.FromSeconds(30) }))
    {
        var reader = new SpecReader(conn);
        document = reader.Read(options.Module);
        readerWarnings = reader.Warnings;
    }
    foreach (string warning in readerWarnings) Console.Error.WriteLine($"warning: {warning}");

    string? overlayPath = options.NoReplies ? null : options.Replies ?? (File.Exists(options.Output) ? options.Output : null);
    ReplyOverlay overlay = overlayPath is null ? ReplyOverlay.Empty : ReplyOverlay.Load(overlayPath);
    OverlayReport report = overlay.Apply(document);
    foreach (string warning in report.Warnings) Console.Error.WriteLine($"warning: {warning}");
    foreach (string name in report.Added) Console.Error.WriteLine($"added: {name}");
    foreach (string name in report.Removed) Console.Error.WriteLine($"removed: {name}");

    int containers = document.Commands.Values.Count(c => c.IsContainer);
    Console.Error.WriteLine(
        $"{document.Server}: {document.TopLevelCount} top-level commands ({containers} containers), " +
        $"{document.Commands.Count - document.TopLevelCount} subcommands, {document.CallableCount} callable; " +
        $"replies kept {report.RepliesKept}{(overlayPath is null ? "" : $" from {overlayPath}")}, callable without a reply {report.WithoutReply.Count}; " +
        $"{report.Added.Count} added, {report.Removed.Count} removed");

    byte[] bytes = SpecWriter.ToUtf8(document);
    if (options.Check)
    {
        bool same = File.Exists(options.Output) && File.ReadAllBytes(options.Output).AsSpan().SequenceEqual(bytes);
        Console.Error.WriteLine(same ? $"{options.Output} is up to date" : $"{options.Output} would change");
        return same ? 0 : 1;
    }
    string? directory = Path.GetDirectoryName(Path.GetFullPath(options.Output));
    if (directory is not null) Directory.CreateDirectory(directory);
    string temporary = options.Output + ".tmp";
    File.WriteAllBytes(temporary, bytes);
    File.Move(temporary, options.Output, overwrite: true);
    Console.Error.WriteLine($"wrote {options.Output} ({bytes.Length} bytes)");
    return 0;
}
catch (Exception ex) when (ex is RedisException or IOException or InvalidDataException or System.Text.Json.JsonException or ArgumentException or System.Net.Sockets.SocketException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
