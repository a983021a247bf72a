namespace Redis;

/// <summary>
/// The flags of a command as <c>COMMAND INFO</c> reports them (and <c>commands.json</c> records them).
/// The generated command table carries them for every command of the bundled spec.
/// </summary>
[Flags]
public enum CommandFlags : ulong
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary><c>write</c>: the command may modify the keyspace.</summary>
    Write = 1UL << 0,

    /// <summary><c>readonly</c>: the command never modifies keys (eligible for replicas and client-side caching).</summary>
    ReadOnly = 1UL << 1,

    /// <summary><c>denyoom</c>: refused when the server is out of memory.</summary>
    DenyOom = 1UL << 2,

    /// <summary><c>module</c>: implemented by a module.</summary>
    Module = 1UL << 3,

    /// <summary><c>admin</c>: an administrative command.</summary>
    Admin = 1UL << 4,

    /// <summary><c>pubsub</c>: a publish/subscribe command.</summary>
    PubSub = 1UL << 5,

    /// <summary><c>noscript</c>: not allowed in scripts.</summary>
    NoScript = 1UL << 6,

    /// <summary><c>blocking</c>: may block the connection (for some commands only with an option, e.g. XREAD BLOCK).</summary>
    Blocking = 1UL << 7,

    /// <summary><c>loading</c>: allowed while the database loads.</summary>
    Loading = 1UL << 8,

    /// <summary><c>stale</c>: allowed on a replica with stale data.</summary>
    Stale = 1UL << 9,

    /// <summary><c>skip_monitor</c>: not shown by MONITOR.</summary>
    SkipMonitor = 1UL << 10,

    /// <summary><c>skip_slowlog</c>: not recorded in the slow log.</summary>
    SkipSlowlog = 1UL << 11,

    /// <summary><c>asking</c>: allowed on an importing slot without ASKING.</summary>
    Asking = 1UL << 12,

    /// <summary><c>fast</c>: O(1) or O(log N).</summary>
    Fast = 1UL << 13,

    /// <summary><c>no_auth</c>: allowed before authentication.</summary>
    NoAuth = 1UL << 14,

    /// <summary><c>may_replicate</c>: may be replicated.</summary>
    MayReplicate = 1UL << 15,

    /// <summary><c>no_mandatory_keys</c>: the keys are optional.</summary>
    NoMandatoryKeys = 1UL << 16,

    /// <summary><c>no_multi</c>: not allowed inside MULTI.</summary>
    NoMulti = 1UL << 17,

    /// <summary><c>movablekeys</c>: the key positions depend on the arguments.</summary>
    MovableKeys = 1UL << 18,

    /// <summary><c>allow_busy</c>: allowed while a script runs.</summary>
    AllowBusy = 1UL << 19,

    /// <summary><c>no_async_loading</c>: refused during async loading.</summary>
    NoAsyncLoading = 1UL << 20,
}
