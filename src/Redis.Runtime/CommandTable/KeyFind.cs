namespace Redis;

/// <summary>How a key spec finds its keys once it knows where they begin (<c>find_keys</c>).</summary>
public enum KeyFind : byte
{
    /// <summary>Unknown: the keys cannot be found from the spec.</summary>
    Unknown,

    /// <summary>A range: up to a last key (negative counts from the end), every <c>keystep</c> arguments.</summary>
    Range,

    /// <summary>A key count argument followed by the keys (EVAL, ZUNIONSTORE, LMPOP...).</summary>
    KeyNum,
}
