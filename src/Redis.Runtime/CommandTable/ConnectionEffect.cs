namespace Redis;

/// <summary>
/// What a command does to the connection it runs on, beyond its reply: the client-side facts the spec
/// does not carry. Set by the hand-kept overlay of <see cref="CommandTable"/>; read by RedisClient's
/// routing and the pool's state cleanup.
/// </summary>
internal enum ConnectionEffect : byte
{
    /// <summary>Nothing beyond the reply.</summary>
    None,

    /// <summary>MULTI: starts a transaction.</summary>
    Multi,

    /// <summary>EXEC: ends a transaction (and its WATCHes).</summary>
    Exec,

    /// <summary>DISCARD: abandons a transaction (and its WATCHes).</summary>
    Discard,

    /// <summary>WATCH: watches keys until EXEC, DISCARD or UNWATCH.</summary>
    Watch,

    /// <summary>UNWATCH: forgets the watched keys.</summary>
    Unwatch,

    /// <summary>SUBSCRIBE: turns the connection into a subscriber.</summary>
    Subscribe,

    /// <summary>PSUBSCRIBE.</summary>
    PSubscribe,

    /// <summary>SSUBSCRIBE.</summary>
    SSubscribe,

    /// <summary>UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE: replies arrive as subscription messages.</summary>
    Unsubscribe,

    /// <summary>MONITOR: the connection becomes an event stream for good.</summary>
    Monitor,

    /// <summary>SELECT: changes the database.</summary>
    Select,

    /// <summary>AUTH, HELLO, RESET: change who the connection is or how it speaks; never handed to another user.</summary>
    Identity,

    /// <summary>QUIT: the server closes the connection.</summary>
    Quit,

    /// <summary>CLIENT REPLY: replies stop (OFF, SKIP) or resume (ON).</summary>
    ClientReply,

    /// <summary>Blocks only with an option: XREAD/XREADGROUP with BLOCK.</summary>
    BlocksWithOption,

    /// <summary>Always blocks although the spec does not say so: WAIT, WAITAOF.</summary>
    Blocks,
}
