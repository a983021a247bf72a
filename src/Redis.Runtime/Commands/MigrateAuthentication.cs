namespace Redis;

/// <summary>
/// The credentials <c>MIGRATE</c> gives the target server: <c>AUTH password</c> or
/// <c>AUTH2 username password</c>, as one value so that at most one is sent. <c>default</c> sends none.
/// </summary>
/// <remarks>The password never appears in <see cref="ToString"/>.</remarks>
public readonly struct MigrateAuthentication : IRespArguments
{
    private const byte Auth = 1, Auth2 = 2;

    private readonly byte _kind;
    private readonly RedisValue _username;
    private readonly RedisValue _password;

    private MigrateAuthentication(byte kind, RedisValue username, RedisValue password)
    {
        _kind = kind;
        _username = username;
        _password = password;
    }

    /// <summary>Authenticates with a password (<c>AUTH</c>; the default user).</summary>
    /// <param name="password">The target's password.</param>
    public static MigrateAuthentication Password(RedisValue password) => new(Auth, default, password);

    /// <summary>Authenticates as an ACL user (<c>AUTH2</c>, Redis 6.0 and later).</summary>
    /// <param name="username">The user on the target.</param>
    /// <param name="password">The user's password.</param>
    public static MigrateAuthentication UserPassword(RedisValue username, RedisValue password) => new(Auth2, username, password);

    /// <inheritdoc/>
    public int ArgumentCount => _kind switch { Auth => 2, Auth2 => 3, _ => 0 };

    /// <inheritdoc/>
    public void WriteTo(RespWriter writer)
    {
        switch (_kind)
        {
            case Auth:
                writer.WriteBulkString("AUTH"u8);
                _password.WriteTo(writer);
                break;
            case Auth2:
                writer.WriteBulkString("AUTH2"u8);
                _username.WriteTo(writer);
                _password.WriteTo(writer);
                break;
        }
    }

    /// <summary>The tokens sent, with the password hidden (<c>AUTH2 user ***</c>), or <c>(none)</c>.</summary>
    public override string ToString() => _kind switch
    {
        Auth => "AUTH ***",
        Auth2 => "AUTH2 " + _username.ToString() + " ***",
        _ => "(none)",
    };
}
