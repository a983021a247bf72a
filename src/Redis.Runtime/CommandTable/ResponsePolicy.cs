namespace Redis;

/// <summary>
/// The <c>response_policy</c> command tip: how a cluster client merges the replies of a command sent to
/// several nodes.
/// </summary>
public enum ResponsePolicy : byte
{
    /// <summary>No tip: arrays are concatenated (keyless commands) or reassembled in key order (multi-key commands).</summary>
    Default,

    /// <summary><c>one_succeeded</c>: success when any node succeeded.</summary>
    OneSucceeded,

    /// <summary><c>all_succeeded</c>: success only when every node succeeded.</summary>
    AllSucceeded,

    /// <summary><c>agg_logical_and</c>: the logical AND of integer replies.</summary>
    AggregateLogicalAnd,

    /// <summary><c>agg_logical_or</c>: the logical OR of integer replies.</summary>
    AggregateLogicalOr,

    /// <summary><c>agg_min</c>: the minimum of the replies.</summary>
    AggregateMin,

    /// <summary><c>agg_max</c>: the maximum of the replies.</summary>
    AggregateMax,

    /// <summary><c>agg_sum</c>: the sum of integer replies (e.g. DBSIZE).</summary>
    AggregateSum,

    /// <summary><c>special</c>: needs command-specific handling.</summary>
    Special,
}
