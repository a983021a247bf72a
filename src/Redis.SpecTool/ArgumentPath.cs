namespace Redis.SpecTool;

/// <summary>
/// Resolves the argument paths of <c>when.present</c>: argument names joined by <c>/</c> from the
/// command's top level (<c>condition</c>, <c>filter/new-format/client-id</c>). Where siblings share a name
/// (GEORADIUS <c>key</c>, LCS <c>len</c>) a segment may name the token too: <c>key[STORE]</c>; a bare
/// name means the first sibling of that name.
/// </summary>
public static class ArgumentPath
{
    /// <summary>The argument a path names, or null when there is none.</summary>
    public static ArgumentSpec? Resolve(IReadOnlyList<ArgumentSpec> arguments, string path)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentSpec? current = null;
        IReadOnlyList<ArgumentSpec> level = arguments;
        foreach (string segment in path.Split('/'))
        {
            string name = segment;
            string? token = null;
            int open = segment.IndexOf('[', StringComparison.Ordinal);
            if (open > 0 && segment.EndsWith(']'))
            {
                name = segment[..open];
                token = segment[(open + 1)..^1];
            }
            current = level.FirstOrDefault(a => a.Name == name && (token is null || string.Equals(a.Token, token, StringComparison.Ordinal)));
            if (current is null) return null;
            level = current.Arguments;
        }
        return current;
    }
}
