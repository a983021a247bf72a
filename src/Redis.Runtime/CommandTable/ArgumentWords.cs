using System.Text;

namespace Redis;

/// <summary>
/// Reads the untyped arguments of <c>Do(command, args)</c> (strings, byte arrays, byte memory) as the words
/// the command table and its readers compare: a subcommand, an option such as <c>BLOCK</c>, a mode such as
/// <c>OFF</c>. Case-insensitive and allocation-free.
/// </summary>
internal static class ArgumentWords
{
    /// <summary>The longest word copied to the stack; longer strings are no command or option word.</summary>
    public const int MaxWordLength = 64;

    /// <summary>True when <paramref name="arg"/> is the word <paramref name="word"/>, ignoring ASCII case.</summary>
    public static bool Is(object? arg, ReadOnlySpan<byte> word) => arg switch
    {
        string s => s.Length == word.Length && Ascii.EqualsIgnoreCase(word, s),
        byte[] b => Ascii.EqualsIgnoreCase(b, word),
        ReadOnlyMemory<byte> m => Ascii.EqualsIgnoreCase(m.Span, word),
        Memory<byte> m => Ascii.EqualsIgnoreCase(m.Span, word),
        _ => false,
    };

    /// <summary>True when <paramref name="arg"/> is the word <paramref name="word"/>, ignoring ASCII case.</summary>
    public static bool Is(object? arg, string word) => arg switch
    {
        string s => string.Equals(s, word, StringComparison.OrdinalIgnoreCase),
        byte[] b => b.Length == word.Length && Ascii.EqualsIgnoreCase(b, word),
        ReadOnlyMemory<byte> m => m.Length == word.Length && Ascii.EqualsIgnoreCase(m.Span, word),
        Memory<byte> m => m.Length == word.Length && Ascii.EqualsIgnoreCase(m.Span, word),
        _ => false,
    };

    /// <summary>True when any of <paramref name="args"/> is <paramref name="word"/>.</summary>
    public static bool Contains(ReadOnlySpan<object?> args, ReadOnlySpan<byte> word)
    {
        foreach (object? arg in args)
        {
            if (Is(arg, word)) return true;
        }
        return false;
    }

    /// <summary>
    /// The bytes of a word argument: a byte array or memory as it is, an ASCII string copied into
    /// <paramref name="buffer"/>. Empty for anything else (numbers, non-ASCII or long strings, null), which
    /// is never a command or subcommand name.
    /// </summary>
    public static ReadOnlySpan<byte> Bytes(object? arg, Span<byte> buffer) => arg switch
    {
        string s => s.Length <= buffer.Length && Ascii.FromUtf16(s, buffer, out int written) == System.Buffers.OperationStatus.Done ? buffer[..written] : default,
        byte[] b => b,
        ReadOnlyMemory<byte> m => m.Span,
        Memory<byte> m => m.Span,
        _ => default,
    };
}
