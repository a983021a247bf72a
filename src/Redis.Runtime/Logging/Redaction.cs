using System.Text;

namespace Redis;

/// <summary>
/// Which arguments and replies of a command hold secrets: passwords of AUTH, HELLO ... AUTH,
/// MIGRATE ... AUTH / AUTH2, the rules of ACL SETUSER, the values of sensitive CONFIG SET parameters;
/// and replies that may show them (CONFIG GET, ACL GETUSER, ACL LIST). Cheap for the common case: a
/// command whose name is none of these is decided by its length and first letters.
/// </summary>
internal static class Redaction
{
    public const string Mask = "[redacted]";

    private static readonly string[] SensitiveConfigParameters =
        ["requirepass", "masterauth", "masteruser", "tls-key-file-pass", "tls-client-key-file-pass"];

    /// <summary>True when the command's arguments, errors or reply may hold a secret.</summary>
    public static bool IsSensitive(string command, IReadOnlyList<object?> args)
        => HasSecretArguments(command, args) || HidesReply(command, args);

    /// <summary>True when <paramref name="command"/> has arguments to mask (their indices come from <see cref="IsSecretArgument"/>).</summary>
    public static bool HasSecretArguments(string command, IReadOnlyList<object?> args)
    {
        if (Is(command, "AUTH")) return args.Count > 0;
        if (Is(command, "HELLO") || Is(command, "MIGRATE")) return FindToken(args, 0, "AUTH") >= 0 || FindToken(args, 0, "AUTH2") >= 0;
        if (Is(command, "ACL")) return args.Count > 2 && IsWord(args[0], "SETUSER");
        if (Is(command, "CONFIG")) return args.Count > 2 && IsWord(args[0], "SET");
        if (Is(command, "SENTINEL")) return args.Count > 2 && IsWord(args[0], "SET");
        return false;
    }

    /// <summary>True when argument <paramref name="index"/> of the command must be masked.</summary>
    public static bool IsSecretArgument(string command, IReadOnlyList<object?> args, int index)
    {
        if (Is(command, "AUTH"))
        {
            // AUTH password, or AUTH username password: the user name stays visible.
            return args.Count == 1 || index >= 1;
        }
        if (Is(command, "HELLO"))
        {
            // HELLO protover [AUTH username password] [SETNAME name]: the password only.
            for (int i = 0; i < args.Count; i++)
            {
                if (IsWord(args[i], "AUTH") && index == i + 2) return true;
            }
            return false;
        }
        if (Is(command, "MIGRATE"))
        {
            // MIGRATE host port key db timeout [COPY] [REPLACE] [AUTH pw | AUTH2 user pw] [KEYS key...]
            for (int i = 5; i < args.Count; i++)
            {
                if (IsWord(args[i], "KEYS")) break;
                if (IsWord(args[i], "AUTH") && index == i + 1) return true;
                if (IsWord(args[i], "AUTH2") && index == i + 2) return true;
            }
            return false;
        }
        if (Is(command, "ACL"))
        {
            // ACL SETUSER username rule...: every rule (passwords, hashes).
            return args.Count > 0 && IsWord(args[0], "SETUSER") && index >= 2;
        }
        if (Is(command, "CONFIG"))
        {
            // CONFIG SET parameter value [parameter value ...]
            return args.Count > 0 && IsWord(args[0], "SET") && index >= 2 && index % 2 == 0 && IsSensitiveParameter(args[index - 1]);
        }
        if (Is(command, "SENTINEL"))
        {
            // SENTINEL SET master option value [option value ...]
            return args.Count > 0 && IsWord(args[0], "SET") && index >= 3 && index % 2 == 1
                && (IsWord(args[index - 1], "auth-pass") || IsWord(args[index - 1], "auth-user"));
        }
        return false;
    }

    /// <summary>True when the reply may show secrets: CONFIG GET, ACL GETUSER, ACL LIST.</summary>
    public static bool HidesReply(string command, IReadOnlyList<object?> args)
    {
        if (Is(command, "CONFIG")) return args.Count > 0 && IsWord(args[0], "GET");
        if (Is(command, "ACL")) return args.Count > 0 && (IsWord(args[0], "GETUSER") || IsWord(args[0], "LIST"));
        return false;
    }

    /// <summary>
    /// The reply of a command that <see cref="HidesReply"/>, with its secrets masked: CONFIG GET keeps
    /// the values of harmless parameters; ACL replies are hidden entirely.
    /// </summary>
    public static object? RedactReply(string command, object? reply)
    {
        if (!Is(command, "CONFIG")) return Mask;
        switch (reply)
        {
            case object?[] flat:
            {
                var copy = (object?[])flat.Clone();
                for (int i = 1; i < copy.Length; i += 2)
                {
                    if (IsSensitiveParameter(copy[i - 1])) copy[i] = Mask;
                }
                return copy;
            }
            case KeyValuePair<object?, object?>[] map:
            {
                var copy = new KeyValuePair<object?, object?>[map.Length];
                for (int i = 0; i < map.Length; i++)
                {
                    copy[i] = IsSensitiveParameter(map[i].Key) ? new(map[i].Key, Mask) : map[i];
                }
                return copy;
            }
            default:
                return reply is null or RedisServerException ? reply : Mask;
        }
    }

    private static bool IsSensitiveParameter(object? name)
    {
        foreach (string parameter in SensitiveConfigParameters)
        {
            if (IsWord(name, parameter)) return true;
        }
        return false;
    }

    private static int FindToken(IReadOnlyList<object?> args, int from, string token)
    {
        for (int i = from; i < args.Count; i++)
        {
            if (IsWord(args[i], token)) return i;
        }
        return -1;
    }

    private static bool Is(string command, string name) => string.Equals(command, name, StringComparison.OrdinalIgnoreCase);

    internal static bool IsWord(object? arg, string word) => arg switch
    {
        string s => string.Equals(s, word, StringComparison.OrdinalIgnoreCase),
        byte[] b => b.Length == word.Length && Ascii.EqualsIgnoreCase(b, word),
        ReadOnlyMemory<byte> m => m.Length == word.Length && Ascii.EqualsIgnoreCase(m.Span, word),
        Memory<byte> m => m.Length == word.Length && Ascii.EqualsIgnoreCase(m.Span, word),
        _ => false,
    };
}
