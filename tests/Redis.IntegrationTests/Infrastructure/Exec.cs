namespace Redis.Tests.Infrastructure;

/// <summary>Runs the same test body through the sync or the async API of a connection.</summary>
public static class Exec
{
    /// <summary>Do or DoAsync.</summary>
    public static async Task<object?> Do(this IConn conn, bool useAsync, string command, params object?[] args)
        => useAsync ? await conn.DoAsync(command, args, CancellationToken.None) : conn.Do(command, args);

    /// <summary>Flush or FlushAsync.</summary>
    public static async Task Flush(this IConn conn, bool useAsync)
    {
        if (useAsync) await conn.FlushAsync();
        else conn.Flush();
    }

    /// <summary>Receive or ReceiveAsync.</summary>
    public static async Task<object?> Receive(this IConn conn, bool useAsync)
        => useAsync ? await conn.ReceiveAsync() : conn.Receive();

    /// <summary>A bulk reply as UTF-8 text.</summary>
    public static string Text(object? reply) => reply switch
    {
        byte[] b => System.Text.Encoding.UTF8.GetString(b),
        string s => s,
        _ => throw new Xunit.Sdk.XunitException($"expected a string reply, got {reply?.GetType().Name ?? "nil"}"),
    };
}
