namespace Redis;

/// <summary>
/// Which arguments (or reply) of a command hold secrets, from the hand-kept overlay of
/// <see cref="CommandTable"/>; the positions are computed by <see cref="Redaction"/>.
/// </summary>
internal enum SecretRule : byte
{
    /// <summary>No secret.</summary>
    None,

    /// <summary>AUTH [username] password: the password.</summary>
    Auth,

    /// <summary>HELLO protover [AUTH username password]: the password.</summary>
    HelloAuth,

    /// <summary>MIGRATE ... [AUTH password | AUTH2 username password]: the password.</summary>
    MigrateAuth,

    /// <summary>ACL SETUSER username rule...: every rule.</summary>
    AclSetUser,

    /// <summary>CONFIG SET parameter value...: values of sensitive parameters.</summary>
    ConfigSet,

    /// <summary>SENTINEL SET master option value...: auth-pass and auth-user values.</summary>
    SentinelSet,

    /// <summary>CONFIG GET: the values of sensitive parameters in the reply.</summary>
    ConfigGetReply,

    /// <summary>ACL GETUSER, ACL LIST: the whole reply.</summary>
    HiddenReply,
}
