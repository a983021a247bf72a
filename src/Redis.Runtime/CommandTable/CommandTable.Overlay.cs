namespace Redis;

// The hand-kept overlay: what the spec does not say about commands but a client must know. Each row names
// a command of the table (or one the bundled spec lacks, which is then registered with only these facts).
// This is the only list of command names in the runtime; everything else reads CommandInfo.
public static partial class CommandTable
{
    private static readonly (string Name, ConnectionEffect Effect, SecretRule Secret)[] s_overlay =
    [
        // Connection state: transactions, subscriptions, MONITOR and the handshake's commands.
        ("MULTI", ConnectionEffect.Multi, SecretRule.None),
        ("EXEC", ConnectionEffect.Exec, SecretRule.None),
        ("DISCARD", ConnectionEffect.Discard, SecretRule.None),
        ("WATCH", ConnectionEffect.Watch, SecretRule.None),
        ("UNWATCH", ConnectionEffect.Unwatch, SecretRule.None),
        ("SUBSCRIBE", ConnectionEffect.Subscribe, SecretRule.None),
        ("PSUBSCRIBE", ConnectionEffect.PSubscribe, SecretRule.None),
        ("SSUBSCRIBE", ConnectionEffect.SSubscribe, SecretRule.None),
        ("UNSUBSCRIBE", ConnectionEffect.Unsubscribe, SecretRule.None),
        ("PUNSUBSCRIBE", ConnectionEffect.Unsubscribe, SecretRule.None),
        ("SUNSUBSCRIBE", ConnectionEffect.Unsubscribe, SecretRule.None),
        ("MONITOR", ConnectionEffect.Monitor, SecretRule.None),
        ("SELECT", ConnectionEffect.Select, SecretRule.None),
        ("AUTH", ConnectionEffect.Identity, SecretRule.Auth),
        ("HELLO", ConnectionEffect.Identity, SecretRule.HelloAuth),
        ("RESET", ConnectionEffect.Identity, SecretRule.None),
        ("QUIT", ConnectionEffect.Quit, SecretRule.None),
        ("CLIENT REPLY", ConnectionEffect.ClientReply, SecretRule.None),

        // Blocking the spec does not flag (WAIT, WAITAOF) or flags although it needs an option (XREAD BLOCK).
        ("XREAD", ConnectionEffect.BlocksWithOption, SecretRule.None),
        ("XREADGROUP", ConnectionEffect.BlocksWithOption, SecretRule.None),
        ("WAIT", ConnectionEffect.Blocks, SecretRule.None),
        ("WAITAOF", ConnectionEffect.Blocks, SecretRule.None),

        // Secrets in arguments or replies (Redaction computes the positions).
        ("MIGRATE", ConnectionEffect.None, SecretRule.MigrateAuth),
        ("ACL SETUSER", ConnectionEffect.None, SecretRule.AclSetUser),
        ("ACL GETUSER", ConnectionEffect.None, SecretRule.HiddenReply),
        ("ACL LIST", ConnectionEffect.None, SecretRule.HiddenReply),
        ("CONFIG SET", ConnectionEffect.None, SecretRule.ConfigSet),
        ("CONFIG GET", ConnectionEffect.None, SecretRule.ConfigGetReply),
        ("SENTINEL SET", ConnectionEffect.None, SecretRule.SentinelSet),
    ];

    // Fills the per-entry overlay columns; rows the generated table lacks become registered entries.
    private static Registered[] ApplyOverlay(ConnectionEffect[] effects, SecretRule[] secrets)
    {
        var unlisted = new List<Registered>();
        foreach ((string name, ConnectionEffect effect, SecretRule secret) in s_overlay)
        {
            int space = name.IndexOf(' ');
            byte[] word = System.Text.Encoding.ASCII.GetBytes(space < 0 ? name : name[..space]);
            byte[] sub = space < 0 ? [] : System.Text.Encoding.ASCII.GetBytes(name[(space + 1)..]);
            int id = Search(word, sub);
            if (id >= 0)
            {
                effects[id] = effect;
                secrets[id] = secret;
            }
            else
            {
                unlisted.Add(new Registered(name, 0, CommandFlags.None, [], RequestPolicy.Default, ResponsePolicy.Default, effect, secret));
            }
        }
        return [.. unlisted];
    }
}
