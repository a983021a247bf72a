using System.Globalization;

namespace Redis;

/// <summary>
/// Reads one entry of a server's <c>COMMAND INFO</c> reply (name, arity, flags, first/last/step, ACL
/// categories, tips, key specs, subcommands; RESP2 flat arrays or RESP3 maps) and registers it in
/// <see cref="CommandTable"/>: how a command the bundled spec lacks becomes routable.
/// </summary>
internal static class CommandInfoReader
{
    /// <summary>Registers <paramref name="entry"/> under <paramref name="name"/> ("NAME" or "CONTAINER SUB"); default when it is malformed.</summary>
    public static CommandInfo Register(object?[] entry, string name)
    {
        if (entry.Length < 3 || entry[1] is not long arity) return default;
        CommandFlags flags = CommandFlags.None;
        if (entry[2] is object?[] flagWords)
        {
            foreach (object? word in flagWords)
            {
                if (Enum.TryParse(Text(word)?.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out CommandFlags flag)) flags |= flag;
            }
        }
        bool nondeterministic = false;
        RequestPolicy request = RequestPolicy.Default;
        ResponsePolicy response = ResponsePolicy.Default;
        if (entry.Length > 7 && entry[7] is object?[] tips)
        {
            foreach (object? tip in tips)
            {
                string? text = Text(tip);
                if (text is null) continue;
                if (text == "nondeterministic_output") nondeterministic = true;
                if (text.StartsWith("request_policy:", StringComparison.Ordinal)) Enum.TryParse(Word(text["request_policy:".Length..]), true, out request);
                if (text.StartsWith("response_policy:", StringComparison.Ordinal)) Enum.TryParse(Word(text["response_policy:".Length..].Replace("agg_", "aggregate_", StringComparison.Ordinal)), true, out response);
            }
        }
        var keySpecs = new List<KeySpec>();
        if (entry.Length > 8 && entry[8] is object?[] specs)
        {
            foreach (object? spec in specs) keySpecs.Add(ReadKeySpec(spec));
        }
        return CommandTable.Register(name, (int)arity, flags, keySpecs, request, response, nondeterministic);
    }

    private static KeySpec ReadKeySpec(object? spec)
    {
        KeySpecFlags flags = KeySpecFlags.None;
        KeyBeginSearch begin = KeyBeginSearch.Unknown;
        KeyFind find = KeyFind.Unknown;
        int index = 0, lastKey = 0, keyStep = 1, limit = 0, keyNumIndex = 0, firstKey = 0;
        string? keyword = null;
        foreach ((string field, object? value) in Fields(spec))
        {
            switch (field)
            {
                case "flags" when value is object?[] words:
                    foreach (object? word in words) flags |= KeySpecFlag(Text(word));
                    break;
                case "begin_search":
                    foreach ((string f, object? v) in Fields(value))
                    {
                        if (f == "type") begin = Text(v) switch { "index" => KeyBeginSearch.Index, "keyword" => KeyBeginSearch.Keyword, _ => KeyBeginSearch.Unknown };
                        if (f != "spec") continue;
                        foreach ((string name, object? number) in Fields(v))
                        {
                            if (name is "index" or "startfrom") index = Int(number);
                            if (name == "keyword") keyword = Text(number);
                        }
                    }
                    break;
                case "find_keys":
                    foreach ((string f, object? v) in Fields(value))
                    {
                        if (f == "type") find = Text(v) switch { "range" => KeyFind.Range, "keynum" => KeyFind.KeyNum, _ => KeyFind.Unknown };
                        if (f != "spec") continue;
                        foreach ((string name, object? number) in Fields(v))
                        {
                            switch (name)
                            {
                                case "lastkey": lastKey = Int(number); break;
                                case "keystep": keyStep = Int(number); break;
                                case "limit": limit = Int(number); break;
                                case "keynumidx": keyNumIndex = Int(number); break;
                                case "firstkey": firstKey = Int(number); break;
                            }
                        }
                    }
                    break;
            }
        }
        return new KeySpec(flags, begin, index, keyword, find, lastKey, keyStep, limit, keyNumIndex, firstKey);
    }

    private static KeySpecFlags KeySpecFlag(string? word) => word switch
    {
        "RO" => KeySpecFlags.ReadOnly,
        "RW" => KeySpecFlags.ReadWrite,
        "OW" => KeySpecFlags.Overwrite,
        "RM" => KeySpecFlags.Remove,
        _ => Enum.TryParse(Word(word ?? ""), true, out KeySpecFlags flag) ? flag : KeySpecFlags.None,
    };

    private static string Word(string text) => text.Replace("_", "", StringComparison.Ordinal);

    private static IEnumerable<(string Field, object? Value)> Fields(object? value) => ReplyFields.Of(value) ?? [];

    private static string? Text(object? value) => value is long ? null : ReplyFields.Text(value);

    private static int Int(object? value) => value switch
    {
        long number => (int)Math.Clamp(number, int.MinValue, int.MaxValue),
        _ => int.TryParse(Text(value), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int parsed) ? parsed : 0,
    };
}
