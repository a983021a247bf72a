namespace Redis.Docs.Tests;

/// <summary>What an instrumented snippet calls after a statement whose comment states its value.</summary>
public static class SnippetChecks
{
    /// <summary>Throws when <paramref name="actual"/>, written in <see cref="ValueNotation"/>, is not what the comment says.</summary>
    /// <exception cref="InvalidOperationException">The documented value is wrong.</exception>
    public static void Check(string file, int line, string expected, object? actual)
    {
        string got = ValueNotation.Format(actual);
        if (got != expected)
        {
            throw new InvalidOperationException($"{file}:{line}: the comment says {expected}, the code gives {got}");
        }
    }
}
