using Microsoft.Extensions.Logging;

namespace Redis.Tests.Logging;

/// <summary>An <see cref="ILogger"/> that keeps every entry (message, structured values and exception) for assertions.</summary>
public sealed class CapturingLogger(LogLevel minimum = LogLevel.Trace) : ILogger
{
    private readonly List<Entry> _entries = [];

    public sealed record Entry(LogLevel Level, EventId EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> Values, Exception? Exception)
    {
        /// <summary>Everything a sink could print for this entry.</summary>
        public string Everything => $"{Message} | {string.Join(" | ", Values.Select(v => $"{v.Key}={v.Value}"))} | {Exception}";
    }

    public int FormatCalls { get; private set; }

    public IReadOnlyList<Entry> Entries
    {
        get
        {
            lock (_entries) return [.. _entries];
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) throw new InvalidOperationException("Log was called for a disabled level.");
        FormatCalls++;
        var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        lock (_entries) _entries.Add(new Entry(logLevel, eventId, formatter(state, exception), [.. values], exception));
    }

    public void AssertNoSecret(string secret)
    {
        foreach (Entry entry in Entries)
        {
            Assert.DoesNotContain(secret, entry.Everything, StringComparison.Ordinal);
        }
    }
}
