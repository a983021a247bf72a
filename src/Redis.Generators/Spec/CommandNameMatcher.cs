using System;
using System.Collections.Generic;
using System.Linq;

namespace Redis.Generators.Spec;

/// <summary>The command a method name stands for.</summary>
internal readonly struct CommandMatch
{
    public CommandMatch(SpecCommand? command, string? variant, string tried)
    {
        Command = command;
        Variant = variant;
        Tried = tried;
    }

    public SpecCommand? Command { get; }

    /// <summary>The reply-case variant named by the rest of the method name (<c>ZRangeWithScores</c>).</summary>
    public string? Variant { get; }

    /// <summary>The command name tried first, for messages (<c>HGETALL</c>).</summary>
    public string Tried { get; }
}

/// <summary>
/// Maps a method name to a command: a trailing <c>Async</c> is dropped, the name is split into
/// PascalCase words, and the longest run of leading words that names a command wins — all words
/// concatenated first (<c>HGetAll</c> → HGETALL), then split into container and subcommand
/// (<c>ClientSetName</c> → CLIENT SETNAME). Words left over must name a reply variant of that
/// command (<c>ZRangeWithScores</c> → ZRANGE, variant WithScores).
/// </summary>
internal static class CommandNameMatcher
{
    public const string AsyncSuffix = "Async";

    public static string StripAsync(string methodName, out bool hadSuffix)
    {
        hadSuffix = methodName.Length > AsyncSuffix.Length && methodName.EndsWith(AsyncSuffix, StringComparison.Ordinal);
        return hadSuffix ? methodName.Substring(0, methodName.Length - AsyncSuffix.Length) : methodName;
    }

    public static CommandMatch Match(string methodName, CommandSpec spec)
    {
        string name = StripAsync(methodName, out _);
        List<string> words = SplitWords(name);
        string tried = string.Concat(words).ToUpperInvariant();
        for (int length = words.Count; length >= 1; length--)
        {
            string suffix = string.Concat(words.Skip(length));
            foreach (string key in Keys(words, length))
            {
                SpecCommand? command = spec.FindByKey(key);
                if (command is null) continue;
                if (suffix.Length == 0) return new CommandMatch(command, null, tried);
                string? variant = FindVariant(command, suffix);
                if (variant is not null) return new CommandMatch(command, variant, tried);
            }
        }
        return new CommandMatch(null, null, tried);
    }

    private static IEnumerable<string> Keys(List<string> words, int length)
    {
        yield return CommandSpec.Squash(string.Concat(words.Take(length)));
        for (int split = 1; split < length; split++)
        {
            yield return CommandSpec.Squash(string.Concat(words.Take(split))) + " " + CommandSpec.Squash(string.Concat(words.Skip(split).Take(length - split)));
        }
    }

    private static string? FindVariant(SpecCommand command, string suffix)
    {
        if (command.Reply is null) return null;
        string wanted = CommandSpec.Squash(suffix);
        foreach (ReplyCase replyCase in command.Reply.Cases)
        {
            if (replyCase.Variant is { } variant && CommandSpec.Squash(variant) == wanted) return variant;
        }
        return null;
    }

    /// <summary>Splits <c>HGetAll</c> into H, Get, All and <c>BLPop</c> into BL, Pop.</summary>
    public static List<string> SplitWords(string name)
    {
        var words = new List<string>();
        int start = 0;
        for (int i = 1; i <= name.Length; i++)
        {
            bool boundary = i == name.Length
                || name[i] == '_'
                || (char.IsUpper(name[i]) && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])))
                || (char.IsUpper(name[i]) && char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]));
            if (!boundary) continue;
            string word = name.Substring(start, i - start).Trim('_');
            if (word.Length > 0) words.Add(word);
            start = i;
        }
        return words;
    }
}
