namespace Redis;

/// <summary>Where a cluster client sends read-only commands (from the command table's <c>readonly</c> flag).</summary>
public enum ReadFrom
{
    /// <summary>Every command goes to the master of its slot (the default: reads see every acknowledged write).</summary>
    Master,

    /// <summary>Read-only commands go to a replica of the slot when one is connected, else to the master (reads may lag writes).</summary>
    PreferReplica,

    /// <summary>Read-only commands go to a replica of the slot only; with none, they fail (reads may lag writes).</summary>
    Replica,
}
