namespace Redis.SpecTool;

/// <summary>The whole run without the console: read the server, carry the earlier replies over, write the text.</summary>
public static class SpecGeneration
{
    /// <summary>
    /// Reads the commands from <paramref name="conn"/> (all, or those of <paramref name="module"/>), applies
    /// the replies of <paramref name="previousJson"/> (an earlier <c>commands.json</c>, or null) and
    /// returns the new file's text. Used by the tests in-process.
    /// </summary>
    public static string GenerateJson(IConn conn, string? module, string? previousJson)
    {
        SpecDocument document = new SpecReader(conn).Read(module);
        if (previousJson is not null) ReplyOverlay.Parse(previousJson).Apply(document);
        return SpecWriter.ToJson(document);
    }
}
