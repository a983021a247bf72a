namespace Redis.SpecTool;

/// <summary>
/// The <c>begin_search</c> or <c>find_keys</c> part of a key spec: its <c>type</c> and the fields of its
/// <c>spec</c> map in server order (<c>index</c>; <c>keyword</c>, <c>startfrom</c>; <c>lastkey</c>,
/// <c>keystep</c>, <c>limit</c>; <c>keynumidx</c>, <c>firstkey</c>, <c>keystep</c>). Values are
/// <see cref="long"/> or <see cref="string"/>.
/// </summary>
public sealed class KeySearch
{
    /// <summary><c>index</c>, <c>keyword</c>, <c>range</c>, <c>keynum</c> or <c>unknown</c>.</summary>
    public string Type { get; set; } = "unknown";

    /// <summary>The spec fields, flattened next to <c>type</c> in the output.</summary>
    public List<KeyValuePair<string, object>> Fields { get; } = [];
}
