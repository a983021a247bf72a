namespace Redis;

/// <summary>
/// The state <c>CLUSTER SETSLOT</c> gives a hash slot: <c>IMPORTING</c>, <c>MIGRATING</c> or <c>NODE</c>
/// with a node id, or <c>STABLE</c>, as one value so that exactly one is sent.
/// </summary>
/// <remarks>The state is required: generated methods throw <see cref="ArgumentException"/> for <c>default</c>, which would send nothing.</remarks>
public readonly struct SlotState : IRespArguments
{
    private const byte ImportingKind = 1, MigratingKind = 2, NodeKind = 3, StableKind = 4;

    private readonly byte _kind;
    private readonly RedisValue _nodeId;

    private SlotState(byte kind, RedisValue nodeId)
    {
        _kind = kind;
        _nodeId = nodeId;
    }

    /// <summary>The slot is being imported from <paramref name="sourceNodeId"/> (<c>IMPORTING</c>).</summary>
    /// <param name="sourceNodeId">The id of the node that owns the slot now.</param>
    public static SlotState Importing(RedisValue sourceNodeId) => new(ImportingKind, sourceNodeId);

    /// <summary>The slot is being migrated to <paramref name="destinationNodeId"/> (<c>MIGRATING</c>).</summary>
    /// <param name="destinationNodeId">The id of the node that will own the slot.</param>
    public static SlotState Migrating(RedisValue destinationNodeId) => new(MigratingKind, destinationNodeId);

    /// <summary>The slot belongs to <paramref name="nodeId"/> (<c>NODE</c>).</summary>
    /// <param name="nodeId">The id of the owning node.</param>
    public static SlotState Node(RedisValue nodeId) => new(NodeKind, nodeId);

    /// <summary>Clears an importing or migrating state (<c>STABLE</c>).</summary>
    public static SlotState Stable => new(StableKind, default);

    /// <inheritdoc/>
    public int ArgumentCount => _kind switch { 0 => 0, StableKind => 1, _ => 2 };

    /// <inheritdoc/>
    public void WriteTo(RespWriter writer)
    {
        switch (_kind)
        {
            case ImportingKind:
                writer.WriteBulkString("IMPORTING"u8);
                _nodeId.WriteTo(writer);
                break;
            case MigratingKind:
                writer.WriteBulkString("MIGRATING"u8);
                _nodeId.WriteTo(writer);
                break;
            case NodeKind:
                writer.WriteBulkString("NODE"u8);
                _nodeId.WriteTo(writer);
                break;
            case StableKind:
                writer.WriteBulkString("STABLE"u8);
                break;
        }
    }

    /// <summary>The arguments as sent (<c>NODE 3c3a...</c>, <c>STABLE</c>), or <c>(none)</c>.</summary>
    public override string ToString() => _kind switch
    {
        ImportingKind => "IMPORTING " + _nodeId.ToString(),
        MigratingKind => "MIGRATING " + _nodeId.ToString(),
        NodeKind => "NODE " + _nodeId.ToString(),
        StableKind => "STABLE",
        _ => "(none)",
    };
}
