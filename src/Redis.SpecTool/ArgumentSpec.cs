namespace Redis.SpecTool;

/// <summary>One node of a command's argument tree (COMMAND DOCS <c>arguments</c>).</summary>
public sealed class ArgumentSpec
{
    /// <summary>The name as the server reports it (<c>key</c>, <c>condition</c>, <c>ip:port</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary><c>key</c>, <c>string</c>, <c>integer</c>, <c>double</c>, <c>pattern</c>, <c>unix-time</c>, <c>pure-token</c>, <c>oneof</c> or <c>block</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>The literal written before the value, or the token itself for <c>pure-token</c>.</summary>
    public string? Token { get; set; }

    /// <summary>May be left out.</summary>
    public bool Optional { get; set; }

    /// <summary>May repeat.</summary>
    public bool Multiple { get; set; }

    /// <summary>With <see cref="Multiple"/>: the token is written before every repetition.</summary>
    public bool MultipleToken { get; set; }

    /// <summary>For key arguments: the index into the command's key specs.</summary>
    public long? KeySpecIndex { get; set; }

    /// <summary>The version that added the argument.</summary>
    public string? Since { get; set; }

    /// <summary>The version that deprecated the argument.</summary>
    public string? DeprecatedSince { get; set; }

    /// <summary>A short description (no core command has one in 7.0).</summary>
    public string? Summary { get; set; }

    /// <summary>The display text (<c>display_text</c>, Redis 7.2+).</summary>
    public string? Display { get; set; }

    /// <summary>The children of a <c>oneof</c> or <c>block</c>.</summary>
    public List<ArgumentSpec> Arguments { get; } = [];
}
