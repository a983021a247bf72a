namespace Redis;

/// <summary>How a key spec finds where its keys begin (<c>begin_search</c>).</summary>
public enum KeyBeginSearch : byte
{
    /// <summary>Unknown: the keys cannot be found from the spec (ask the server with COMMAND GETKEYS).</summary>
    Unknown,

    /// <summary>At a fixed argument index.</summary>
    Index,

    /// <summary>After a keyword (e.g. STREAMS), searched from an index.</summary>
    Keyword,
}
