namespace Redis;

/// <summary>The flags of a key spec (<c>COMMAND INFO</c>): how a command uses the keys the spec finds.</summary>
[Flags]
public enum KeySpecFlags : ushort
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary><c>RO</c>: read-only access.</summary>
    ReadOnly = 1 << 0,

    /// <summary><c>RW</c>: read-write access.</summary>
    ReadWrite = 1 << 1,

    /// <summary><c>OW</c>: overwrite (the old value is not read).</summary>
    Overwrite = 1 << 2,

    /// <summary><c>RM</c>: the key is deleted.</summary>
    Remove = 1 << 3,

    /// <summary><c>access</c>: the value is read or returned.</summary>
    Access = 1 << 4,

    /// <summary><c>update</c>: the value is updated.</summary>
    Update = 1 << 5,

    /// <summary><c>insert</c>: data is added.</summary>
    Insert = 1 << 6,

    /// <summary><c>delete</c>: data is removed.</summary>
    Delete = 1 << 7,

    /// <summary><c>not_key</c>: the argument is not a key but hashes like one (a sharded channel).</summary>
    NotKey = 1 << 8,

    /// <summary><c>incomplete</c>: the spec may miss keys or find non-keys (MIGRATE ... KEYS).</summary>
    Incomplete = 1 << 9,

    /// <summary><c>variable_flags</c>: the flags depend on the arguments.</summary>
    VariableFlags = 1 << 10,
}
