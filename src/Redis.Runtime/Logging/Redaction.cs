namespace Redis;

/// <summary>
/// Which arguments and replies of a command hold secrets, from its <see cref="CommandTable"/> entry's
/// <see cref="SecretRule"/>: passwords of AUTH, HELLO ... AUTH, MIGRATE ... AUTH / AUTH2, the rules of ACL
/// SETUSER, the values of sensitive CONFIG SET and SENTINEL SET parameters; and replies that may show them
/// (CONFIG GET, ACL GETUSER, ACL LIST). A command without a rule costs one table read.
/// </summary>
/// <remarks>
/// <c>args</c> are the arguments after the command's first word, as <c>Do(command, args)</c> takes them: for
/// a subcommand (CONFIG SET) <c>args[0]</c> is the subcommand word.
/// </remarks>
internal static class Redaction
{
    public const string Mask = "[redacted]";

    // CONFIG parameters (not commands) whose values are secrets.
    private static readonly string[] SensitiveConfigParameters =
        ["requirepass", "masterauth", "masteruser", "tls-key-file-pass", "tls-client-key-file-pass"];

    /// <summary>True when the command's arguments, errors or reply may hold a secret.</summary>
    public static bool IsSensitive(CommandInfo info, IReadOnlyList<object?> args)
        => HasSecretArguments(info, args) || HidesReply(info);

    /// <summary>True when the command has arguments to mask (their indices come from <see cref="IsSecretArgument"/>).</summary>
    public static bool HasSecretArguments(CommandInfo info, IReadOnlyList<object?> args) => info.Secret switch
    {
        SecretRule.Auth => args.Count > 0,
        SecretRule.HelloAuth or SecretRule.MigrateAuth => FindToken(args, "AUTH") >= 0 || FindToken(args, "AUTH2") >= 0,
        SecretRule.AclSetUser or SecretRule.ConfigSet or SecretRule.SentinelSet => args.Count > 2,
        _ => false,
    };

    /// <summary>True when argument <paramref name="index"/> of the command must be masked.</summary>
    public static bool IsSecretArgument(CommandInfo info, IReadOnlyList<object?> args, int index)
    {
        switch (info.Secret)
        {
            case SecretRule.Auth:
                // AUTH password, or AUTH username password: the user name stays visible.
                return args.Count == 1 || index >= 1;
            case SecretRule.HelloAuth:
                // HELLO protover [AUTH username password] [SETNAME name]: the password only.
                for (int i = 0; i < args.Count; i++)
                {
                    if (ArgumentWords.Is(args[i], "AUTH") && index == i + 2) return true;
                }
                return false;
            case SecretRule.MigrateAuth:
                // MIGRATE host port key db timeout [COPY] [REPLACE] [AUTH pw | AUTH2 user pw] [KEYS key...]
                for (int i = 5; i < args.Count; i++)
                {
                    if (ArgumentWords.Is(args[i], "KEYS")) break;
                    if (ArgumentWords.Is(args[i], "AUTH") && index == i + 1) return true;
                    if (ArgumentWords.Is(args[i], "AUTH2") && index == i + 2) return true;
                }
                return false;
            case SecretRule.AclSetUser:
                // ACL SETUSER username rule...: every rule (passwords, hashes).
                return index >= 2;
            case SecretRule.ConfigSet:
                // CONFIG SET parameter value [parameter value ...]
                return index >= 2 && index % 2 == 0 && IsSensitiveParameter(args[index - 1]);
            case SecretRule.SentinelSet:
                // SENTINEL SET master option value [option value ...]
                return index >= 3 && index % 2 == 1
                    && (ArgumentWords.Is(args[index - 1], "auth-pass") || ArgumentWords.Is(args[index - 1], "auth-user"));
            default:
                return false;
        }
    }

    /// <summary>True when the reply may show secrets: CONFIG GET, ACL GETUSER, ACL LIST.</summary>
    public static bool HidesReply(CommandInfo info) => info.Secret is SecretRule.ConfigGetReply or SecretRule.HiddenReply;

    /// <summary>
    /// The reply of a command that <see cref="HidesReply"/>, with its secrets masked: CONFIG GET keeps
    /// the values of harmless parameters; ACL replies are hidden entirely.
    /// </summary>
    public static object? RedactReply(CommandInfo info, object? reply)
    {
        if (info.Secret != SecretRule.ConfigGetReply) return Mask;
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
            if (ArgumentWords.Is(name, parameter)) return true;
        }
        return false;
    }

    private static int FindToken(IReadOnlyList<object?> args, string token)
    {
        for (int i = 0; i < args.Count; i++)
        {
            if (ArgumentWords.Is(args[i], token)) return i;
        }
        return -1;
    }
}
