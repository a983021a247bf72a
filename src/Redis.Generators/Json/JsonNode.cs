using System.Collections.Generic;
using System.Globalization;

namespace Redis.Generators.Json;

internal enum JsonKind
{
    Null,
    False,
    True,
    Number,
    String,
    Array,
    Object,
}

/// <summary>A parsed JSON value with its position in the text, so spec errors can point at it.</summary>
internal sealed class JsonNode
{
    private static readonly List<JsonNode> NoItems = new();
    private static readonly List<KeyValuePair<string, JsonNode>> NoProperties = new();

    public JsonNode(JsonKind kind, int start, int end, string? text = null, List<JsonNode>? items = null, List<KeyValuePair<string, JsonNode>>? properties = null)
    {
        Kind = kind;
        Start = start;
        End = end;
        Text = text;
        Items = items ?? NoItems;
        Properties = properties ?? NoProperties;
    }

    public JsonKind Kind { get; }

    /// <summary>Offset of the value's first character.</summary>
    public int Start { get; }

    /// <summary>Offset just after the value's last character.</summary>
    public int End { get; }

    /// <summary>The value of a string, or the literal text of a number.</summary>
    public string? Text { get; }

    /// <summary>The elements of an array (in order).</summary>
    public List<JsonNode> Items { get; }

    /// <summary>The members of an object (in file order; a repeated name keeps both).</summary>
    public List<KeyValuePair<string, JsonNode>> Properties { get; }

    public JsonNode? this[string name]
    {
        get
        {
            foreach (KeyValuePair<string, JsonNode> property in Properties)
            {
                if (property.Key == name) return property.Value;
            }
            return null;
        }
    }

    public bool TryGetInt32(out int value)
    {
        value = 0;
        return Kind == JsonKind.Number && int.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public string Describe() => Kind switch
    {
        JsonKind.Null => "null",
        JsonKind.False or JsonKind.True => "a boolean",
        JsonKind.Number => "a number",
        JsonKind.String => "a string",
        JsonKind.Array => "an array",
        _ => "an object",
    };
}
