using System.Text;

namespace Redis;

/// <summary>
/// The one command table: for every command and subcommand of the bundled <c>commands.json</c> (generated
/// at build time by the runtime's own generator), its name words, arity, flags, key specs and cluster
/// routing tips, plus the client-side facts the spec does not carry (the overlay in
/// <c>CommandTable.Overlay.cs</c>). Pool state cleanup, RedisClient routing, logging redaction and cluster
/// slot routing all read it; nothing else classifies commands by name.
/// </summary>
/// <remarks>
/// The generated data are constant arrays (no per-command object is created at start-up); lookups are a
/// binary search over the sorted names, case-insensitive and allocation-free. Commands the bundled spec
/// lacks (modules, newer servers) can be added at run time with <see cref="Register"/>, as a cluster client
/// does once per unknown command from the server's <c>COMMAND INFO</c>.
/// </remarks>
[GeneratedCommandTable]
public static partial class CommandTable
{
    private static readonly Lock s_registerLock = new();
    private static readonly ConnectionEffect[] s_effects = new ConnectionEffect[GeneratedCount];
    private static readonly SecretRule[] s_secrets = new SecretRule[GeneratedCount];
    private static Registered[] s_registered;

    // Applies the overlay after the generated data (field initializers) are in place.
    static CommandTable() => s_registered = ApplyOverlay(s_effects, s_secrets);

    /// <summary>The number of entries: the generated ones and those registered at run time.</summary>
    public static int Count => GeneratedCount + Volatile.Read(ref s_registered).Length;

    /// <summary>The entry with index <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such entry.</exception>
    public static CommandInfo Get(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, Count);
        return new CommandInfo(id);
    }

    /// <summary>
    /// Finds a command by name, case-insensitively: <c>"GET"</c>, or a subcommand as <c>"CLIENT KILL"</c>.
    /// <c>default</c> (<see cref="CommandInfo.IsKnown"/> false) when the table does not have it.
    /// </summary>
    public static CommandInfo Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int space = name.IndexOf(' ');
        Span<byte> buffer = stackalloc byte[128];
        if (Encoding.UTF8.GetMaxByteCount(name.Length) > buffer.Length) return FindRegistered(name);
        int length = Encoding.UTF8.GetBytes(name, buffer);
        if (space < 0) return Find(buffer[..length], default);
        int split = Encoding.UTF8.GetByteCount(name.AsSpan(0, space));
        return Find(buffer[..split], buffer[(split + 1)..length]);
    }

    /// <summary>
    /// Finds a command by its first argument (<paramref name="name"/>) and, for a container such as CLIENT,
    /// its second (<paramref name="subcommand"/>), case-insensitively and without allocating. A container
    /// whose subcommand is unknown (or not given) finds the container's own entry.
    /// </summary>
    public static CommandInfo Find(ReadOnlySpan<byte> name, ReadOnlySpan<byte> subcommand)
    {
        int id = Search(name, default);
        if (id < 0) return FindRegistered(name, subcommand);
        if (IsContainerAt(id) && !subcommand.IsEmpty)
        {
            int sub = Search(name, subcommand);
            if (sub >= 0) return new CommandInfo(sub);
            CommandInfo registered = FindRegistered(name, subcommand);
            if (registered.IsKnown) return registered;
        }
        return new CommandInfo(id);
    }

    /// <summary>
    /// The table index of <paramref name="name"/> (<c>"GET"</c>, <c>"CLIENT KILL"</c>), or -1. Generated
    /// command structs call it once per type, so a typed command carries its entry
    /// (<see cref="IRespCommand.CommandId"/>) and nothing re-reads its bytes to learn what it is.
    /// </summary>
    public static int IdOf(string name)
    {
        CommandInfo info = Find(name);
        return info.IsKnown && string.Equals(info.Name, name, StringComparison.OrdinalIgnoreCase) ? info.Id : -1;
    }

    /// <summary>
    /// Adds (or returns the existing entry of) a command the generated table lacks, e.g. a module command
    /// described by a server's <c>COMMAND INFO</c>. Thread-safe; entries are never removed.
    /// </summary>
    public static CommandInfo Register(string name, int arity, CommandFlags flags, IReadOnlyList<KeySpec> keySpecs, RequestPolicy requestPolicy = RequestPolicy.Default, ResponsePolicy responsePolicy = ResponsePolicy.Default, bool nondeterministic = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(keySpecs);
        return AddRegistered(new Registered(name.ToUpperInvariant(), arity, flags, [.. keySpecs], requestPolicy, responsePolicy, ConnectionEffect.None, SecretRule.None) { Nondeterministic = nondeterministic });
    }

    /// <summary>
    /// The entry of an untyped command, <c>Do(name, args)</c>: <paramref name="firstArgument"/> is the
    /// subcommand of a container (a string, byte array or byte memory). Allocation-free: the words are
    /// copied to the stack.
    /// </summary>
    internal static CommandInfo Find(string name, object? firstArgument)
    {
        if (string.IsNullOrEmpty(name)) return default;
        Span<byte> nameBuffer = stackalloc byte[ArgumentWords.MaxWordLength];
        ReadOnlySpan<byte> nameBytes = ArgumentWords.Bytes(name, nameBuffer);
        // Not an ASCII word that fits: only a registered command can have such a name.
        if (nameBytes.IsEmpty) return FindRegistered(name);
        Span<byte> subBuffer = stackalloc byte[ArgumentWords.MaxWordLength];
        return Find(nameBytes, ArgumentWords.Bytes(firstArgument, subBuffer));
    }

    /// <summary>The entry a typed command carries (<see cref="IRespCommand.CommandId"/>), or <c>default</c> when it carries none.</summary>
    internal static CommandInfo Of<TCommand>() where TCommand : IRespCommand, allows ref struct
    {
        int id = TCommand.CommandId;
        return id >= 0 && id < Count ? new CommandInfo(id) : default;
    }

    /// <summary>The entry of an encoded command: its name and, for a container, its subcommand.</summary>
    internal static CommandInfo Find(scoped in CommandArgs args)
        => args.Count == 0 ? default : Find(args[0], args.Count > 1 ? args[1] : default);

    /// <summary>The entry of a typed command: its generated id, or a lookup of the name it writes.</summary>
    internal static CommandInfo Of<TCommand>(scoped in CommandArgs encoded) where TCommand : IRespCommand, allows ref struct
    {
        int id = TCommand.CommandId;
        return id >= 0 && id < Count ? new CommandInfo(id) : Find(encoded);
    }

    internal static string NameOf(int id) => id < GeneratedCount ? s_names[id] : RegisteredAt(id).Name;

    internal static int ArityOf(int id) => id < GeneratedCount ? Arities[id] : RegisteredAt(id).Arity;

    internal static CommandFlags FlagsOf(int id) => id < GeneratedCount ? (CommandFlags)FlagValues[id] : RegisteredAt(id).Flags;

    internal static RequestPolicy RequestPolicyOf(int id) => id < GeneratedCount ? (RequestPolicy)RequestPolicies[id] : RegisteredAt(id).RequestPolicy;

    internal static ResponsePolicy ResponsePolicyOf(int id) => id < GeneratedCount ? (ResponsePolicy)ResponsePolicies[id] : RegisteredAt(id).ResponsePolicy;

    internal static ReadOnlySpan<KeySpec> KeySpecsOf(int id)
        => id < GeneratedCount ? s_keySpecs.AsSpan(KeySpecStarts[id], KeySpecStarts[id + 1] - KeySpecStarts[id]) : RegisteredAt(id).KeySpecs;

    internal static bool IsNondeterministicAt(int id) => id < GeneratedCount ? Nondeterministic[id] != 0 : RegisteredAt(id).Nondeterministic;

    internal static bool IsContainerAt(int id) => id < GeneratedCount && Kinds[id] == ContainerKind;

    internal static bool IsSubcommandAt(int id) => id < GeneratedCount ? Kinds[id] == SubcommandKind : RegisteredAt(id).Name.Contains(' ');

    internal static ConnectionEffect EffectOf(int id) => id < GeneratedCount ? s_effects[id] : RegisteredAt(id).Effect;

    internal static SecretRule SecretOf(int id) => id < GeneratedCount ? s_secrets[id] : RegisteredAt(id).Secret;

    // Kinds[id]: 0 for a command, or one of these.
    private const byte ContainerKind = 1;
    private const byte SubcommandKind = 2;

    // Binary search over the sorted upper-case names for "name" or "name subcommand".
    private static int Search(ReadOnlySpan<byte> name, ReadOnlySpan<byte> subcommand)
    {
        int low = 0, high = GeneratedCount - 1;
        while (low <= high)
        {
            int middle = (low + high) >>> 1;
            int order = Compare(s_names[middle], name, subcommand);
            if (order == 0) return middle;
            if (order < 0) low = middle + 1;
            else high = middle - 1;
        }
        return -1;
    }

    // Orders an entry name against the key "NAME" or "NAME SUB" (upper-cased ASCII, as the names are).
    private static int Compare(string entry, ReadOnlySpan<byte> name, ReadOnlySpan<byte> subcommand)
    {
        int position = 0;
        int order = CompareWord(entry, ref position, name);
        if (order != 0) return order;
        if (subcommand.IsEmpty) return position == entry.Length ? 0 : 1;
        if (position == entry.Length) return -1;
        order = entry[position].CompareTo(' ');
        if (order != 0) return order;
        position++;
        order = CompareWord(entry, ref position, subcommand);
        if (order != 0) return order;
        return position == entry.Length ? 0 : 1;
    }

    private static int CompareWord(string entry, ref int position, ReadOnlySpan<byte> word)
    {
        foreach (byte b in word)
        {
            if (position == entry.Length) return -1;
            int c = b is >= (byte)'a' and <= (byte)'z' ? b - 32 : b;
            int order = entry[position].CompareTo((char)c);
            if (order != 0) return order;
            position++;
        }
        return position < entry.Length && entry[position] != ' ' ? 1 : 0;
    }

    private static Registered RegisteredAt(int id) => Volatile.Read(ref s_registered)[id - GeneratedCount];

    private static CommandInfo FindRegistered(ReadOnlySpan<byte> name, ReadOnlySpan<byte> subcommand)
    {
        Registered[] registered = Volatile.Read(ref s_registered);
        for (int i = 0; i < registered.Length; i++)
        {
            string entry = registered[i].Name;
            int position = 0;
            if (CompareWord(entry, ref position, name) != 0) continue;
            if (position == entry.Length) return new CommandInfo(GeneratedCount + i);
            if (subcommand.IsEmpty || entry[position] != ' ') continue;
            position++;
            if (CompareWord(entry, ref position, subcommand) == 0 && position == entry.Length) return new CommandInfo(GeneratedCount + i);
        }
        return default;
    }

    private static CommandInfo FindRegistered(string name)
    {
        Registered[] registered = Volatile.Read(ref s_registered);
        for (int i = 0; i < registered.Length; i++)
        {
            if (string.Equals(registered[i].Name, name, StringComparison.OrdinalIgnoreCase)) return new CommandInfo(GeneratedCount + i);
        }
        return default;
    }

    private static CommandInfo AddRegistered(Registered entry)
    {
        lock (s_registerLock)
        {
            CommandInfo existing = Find(entry.Name);
            if (existing.IsKnown && string.Equals(existing.Name, entry.Name, StringComparison.Ordinal)) return existing;
            Registered[] current = s_registered;
            var next = new Registered[current.Length + 1];
            current.CopyTo(next, 0);
            next[^1] = entry;
            Volatile.Write(ref s_registered, next);
            return new CommandInfo(GeneratedCount + current.Length);
        }
    }

    private sealed record Registered(
        string Name, int Arity, CommandFlags Flags, KeySpec[] KeySpecs, RequestPolicy RequestPolicy, ResponsePolicy ResponsePolicy,
        ConnectionEffect Effect, SecretRule Secret)
    {
        /// <summary>The nondeterministic_output tip (a module command described by COMMAND INFO).</summary>
        public bool Nondeterministic { get; init; }
    }
}
