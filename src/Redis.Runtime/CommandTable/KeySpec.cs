namespace Redis;

/// <summary>
/// One key spec of a command (<c>COMMAND INFO</c>): where its keys are among the arguments and how the
/// command uses them. Indexes count the arguments after the command's name words as the server does
/// (index 1 is the first argument after a top-level command's name; subcommands count their container's
/// name as index 0 and their own name as index 1).
/// </summary>
public readonly struct KeySpec
{
    /// <summary>Creates a key spec (used by the generated table and by specs read from a server).</summary>
    public KeySpec(KeySpecFlags flags, KeyBeginSearch beginSearch, int index, string? keyword, KeyFind find, int lastKey, int keyStep, int limit, int keyNumIndex, int firstKey)
    {
        Flags = flags;
        BeginSearch = beginSearch;
        Index = index;
        Keyword = keyword;
        Find = find;
        LastKey = lastKey;
        KeyStep = keyStep;
        Limit = limit;
        KeyNumIndex = keyNumIndex;
        FirstKey = firstKey;
    }

    /// <summary>How the command uses these keys.</summary>
    public KeySpecFlags Flags { get; }

    /// <summary>How the start of the keys is found.</summary>
    public KeyBeginSearch BeginSearch { get; }

    /// <summary>The argument index of the first key (<see cref="KeyBeginSearch.Index"/>), or where the keyword search starts (<see cref="KeyBeginSearch.Keyword"/>; negative counts from the end).</summary>
    public int Index { get; }

    /// <summary>The keyword after which the keys begin (<see cref="KeyBeginSearch.Keyword"/>).</summary>
    public string? Keyword { get; }

    /// <summary>How the keys are found from their start.</summary>
    public KeyFind Find { get; }

    /// <summary>For <see cref="KeyFind.Range"/>: the last key relative to the first (0 = one key; -1 = up to the last argument; -2 = up to the one before it...).</summary>
    public int LastKey { get; }

    /// <summary>The number of arguments from one key to the next (2 for MSET's key/value pairs).</summary>
    public int KeyStep { get; }

    /// <summary>For an open range (<see cref="LastKey"/> &lt; 0): when above 1, only that fraction of the remaining arguments are keys (XREAD STREAMS: 2).</summary>
    public int Limit { get; }

    /// <summary>For <see cref="KeyFind.KeyNum"/>: the index of the key count, relative to the start.</summary>
    public int KeyNumIndex { get; }

    /// <summary>For <see cref="KeyFind.KeyNum"/>: the index of the first key, relative to the start.</summary>
    public int FirstKey { get; }

    /// <summary>True when the keys cannot be found from the spec alone.</summary>
    public bool IsUnknown => BeginSearch == KeyBeginSearch.Unknown || Find == KeyFind.Unknown;
}
