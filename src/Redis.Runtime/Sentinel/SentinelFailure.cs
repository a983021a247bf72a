namespace Redis;

/// <summary>Why a <see cref="Sentinel"/> could not give a master address.</summary>
public enum SentinelFailure
{
    /// <summary>No sentinel answered (all unreachable, refused or timed out).</summary>
    AllSentinelsUnreachable,

    /// <summary>Every sentinel that answered does not monitor the master name.</summary>
    MasterNameUnknown,

    /// <summary>Sentinels named a master, but none confirmed its role as master (ROLE) in time.</summary>
    MasterNotConfirmed,
}
