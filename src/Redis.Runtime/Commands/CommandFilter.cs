namespace Redis;

/// <summary>
/// The filter of <c>COMMAND LIST</c>: <c>MODULE name</c>, <c>ACLCAT category</c> or <c>PATTERN pattern</c>,
/// as one value so that at most one is sent (after <c>FILTERBY</c>). <c>default</c> lists every command.
/// </summary>
public readonly struct CommandFilter : IRespArguments
{
    private const byte ModuleKind = 1, AclCategoryKind = 2, PatternKind = 3;

    private readonly byte _kind;
    private readonly RedisValue _value;

    private CommandFilter(byte kind, RedisValue value)
    {
        _kind = kind;
        _value = value;
    }

    /// <summary>The commands of a module (<c>MODULE</c>).</summary>
    /// <param name="moduleName">The module's name.</param>
    public static CommandFilter Module(RedisValue moduleName) => new(ModuleKind, moduleName);

    /// <summary>The commands in an ACL category (<c>ACLCAT</c>).</summary>
    /// <param name="category">The category, such as <c>keyspace</c>.</param>
    public static CommandFilter AclCategory(RedisValue category) => new(AclCategoryKind, category);

    /// <summary>The commands whose names match a glob-style pattern (<c>PATTERN</c>).</summary>
    /// <param name="pattern">The pattern, such as <c>x*</c>.</param>
    public static CommandFilter Pattern(RedisValue pattern) => new(PatternKind, pattern);

    /// <inheritdoc/>
    public int ArgumentCount => _kind == 0 ? 0 : 2;

    /// <inheritdoc/>
    public void WriteTo(RespWriter writer)
    {
        switch (_kind)
        {
            case ModuleKind:
                writer.WriteBulkString("MODULE"u8);
                break;
            case AclCategoryKind:
                writer.WriteBulkString("ACLCAT"u8);
                break;
            case PatternKind:
                writer.WriteBulkString("PATTERN"u8);
                break;
            default:
                return;
        }
        _value.WriteTo(writer);
    }

    /// <summary>The arguments as sent (<c>PATTERN x*</c>), or <c>(none)</c>.</summary>
    public override string ToString() => _kind switch
    {
        ModuleKind => "MODULE " + _value.ToString(),
        AclCategoryKind => "ACLCAT " + _value.ToString(),
        PatternKind => "PATTERN " + _value.ToString(),
        _ => "(none)",
    };
}
