namespace Redis;

/// <summary>
/// What a command is, from the one command table (<see cref="CommandTable"/>): its name words, arity,
/// flags, key specs and routing tips. A small handle into the table (an index), so passing it around
/// costs nothing; <c>default</c> is "unknown command".
/// </summary>
public readonly struct CommandInfo : IEquatable<CommandInfo>
{
    private readonly int _idPlusOne;

    internal CommandInfo(int id) => _idPlusOne = id + 1;

    /// <summary>The command's index in the table (stable for one build of the runtime), or -1 when unknown.</summary>
    public int Id => _idPlusOne - 1;

    /// <summary>False for <c>default</c>: a command the table does not know.</summary>
    public bool IsKnown => _idPlusOne > 0;

    /// <summary>The upper-case name; a subcommand is its container's name, a space and its own (<c>"CLIENT KILL"</c>).</summary>
    public string Name => IsKnown ? CommandTable.NameOf(Id) : "";

    /// <summary>The arity as COMMAND INFO reports it (the name words included; negative = at least that many).</summary>
    public int Arity => IsKnown ? CommandTable.ArityOf(Id) : 0;

    /// <summary>The command's flags.</summary>
    public CommandFlags Flags => IsKnown ? CommandTable.FlagsOf(Id) : CommandFlags.None;

    /// <summary>Where a cluster client sends it when it is not routed by one slot.</summary>
    public RequestPolicy RequestPolicy => IsKnown ? CommandTable.RequestPolicyOf(Id) : RequestPolicy.Default;

    /// <summary>How a cluster client merges its replies from several nodes.</summary>
    public ResponsePolicy ResponsePolicy => IsKnown ? CommandTable.ResponsePolicyOf(Id) : ResponsePolicy.Default;

    /// <summary>Where its keys are among the arguments.</summary>
    public ReadOnlySpan<KeySpec> KeySpecs => IsKnown ? CommandTable.KeySpecsOf(Id) : default;

    /// <summary>True for a container (CLIENT, CONFIG...): the real command is one of its subcommands.</summary>
    public bool IsContainer => IsKnown && CommandTable.IsContainerAt(Id);

    /// <summary>1 for a command, 2 for a subcommand (<c>CLIENT KILL</c>).</summary>
    public int NameWords => IsKnown && CommandTable.IsSubcommandAt(Id) ? 2 : 1;

    /// <summary>True when the command never writes (<see cref="CommandFlags.ReadOnly"/>).</summary>
    public bool IsReadOnly => (Flags & CommandFlags.ReadOnly) != 0;

    /// <summary>True when the command may block its connection (BLPOP; XREAD only with BLOCK: see <see cref="CommandTable"/>).</summary>
    public bool IsBlocking => (Flags & CommandFlags.Blocking) != 0 || Effect == ConnectionEffect.Blocks;

    /// <summary>True when the command's reply may differ for the same data (the <c>nondeterministic_output</c> tip: SRANDMEMBER, TIME...); such replies are never cached.</summary>
    public bool IsNondeterministic => IsKnown && CommandTable.IsNondeterministicAt(Id);

    internal ConnectionEffect Effect => IsKnown ? CommandTable.EffectOf(Id) : ConnectionEffect.None;

    internal SecretRule Secret => IsKnown ? CommandTable.SecretOf(Id) : SecretRule.None;

    /// <inheritdoc/>
    public bool Equals(CommandInfo other) => _idPlusOne == other._idPlusOne;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CommandInfo other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _idPlusOne;

    /// <summary>The command's name (empty when unknown).</summary>
    public override string ToString() => IsKnown ? Name : "(unknown command)";

    /// <summary>Equality by table entry.</summary>
    public static bool operator ==(CommandInfo left, CommandInfo right) => left.Equals(right);

    /// <summary>Inequality by table entry.</summary>
    public static bool operator !=(CommandInfo left, CommandInfo right) => !left.Equals(right);
}
