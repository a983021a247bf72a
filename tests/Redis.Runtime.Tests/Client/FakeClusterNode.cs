using System.Collections.Concurrent;
using System.Text;

namespace Redis.Tests.Client;

/// <summary>
/// A scripted node for unit tests of topology handling (malformed or odd <c>CLUSTER SHARDS</c> / <c>CLUSTER SLOTS</c>
/// replies, redirects) on top of <see cref="ScriptedServer"/>. Replies are raw RESP text per command name
/// ("PING", "CLUSTER SLOTS": the first word, plus the second for container commands such as CLUSTER, CLIENT,
/// CONFIG, COMMAND); each name answers its scripted replies in order and then repeats the last one, so a test can
/// script "first a broken map, then a good one". A callback can take over any command. Every command received is
/// recorded, in arrival order. Unscripted commands answer <c>-ERR unscripted command 'NAME'</c>, except HELLO
/// (<c>-ERR unknown command</c>, so a client falls back to RESP2), PING (+PONG) and READONLY/ASKING (+OK).
/// Replies are text sent as UTF-8: fine for any RESP framing, not for invalid UTF-8 payload bytes.
/// </summary>
internal sealed class FakeClusterNode : IAsyncDisposable
{
    private static readonly HashSet<string> Containers = new(StringComparer.OrdinalIgnoreCase) { "CLUSTER", "CLIENT", "CONFIG", "COMMAND", "OBJECT", "SCRIPT", "MEMORY", "FUNCTION" };

    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _replies = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> _lastReplies = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<string[]> _received = new();
    private readonly Func<string[], string?>? _callback;
    private readonly ScriptedServer _server;

    /// <param name="callback">Asked first for every command: a raw reply, or null to use the script.</param>
    public FakeClusterNode(Func<string[], string?>? callback = null)
    {
        _callback = callback;
        _server = new ScriptedServer(words => ValueTask.FromResult<string?>(Answer(words)));
    }

    public int Port => _server.Port;

    public string Address => _server.Address;

    /// <summary>The underlying server (kill connections, go down, push frames).</summary>
    public ScriptedServer Server => _server;

    /// <summary>Every command received so far, in order, as its words.</summary>
    public IReadOnlyList<string[]> Received => [.. _received];

    /// <summary>How many times a command name (as in <see cref="Script"/>) was received.</summary>
    public int Count(string name) => _received.Count(words => string.Equals(NameOf(words), name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Appends raw replies for <paramref name="name"/> ("CLUSTER SHARDS", "GET"); the last one repeats.</summary>
    public FakeClusterNode Script(string name, params string[] rawReplies)
    {
        var queue = _replies.GetOrAdd(name, _ => new ConcurrentQueue<string>());
        foreach (string reply in rawReplies) queue.Enqueue(reply);
        return this;
    }

    /// <summary>A well-formed RESP2 <c>CLUSTER SLOTS</c> reply: one entry per range, master only (host, port, id).</summary>
    public static string SlotsReply(params (int Start, int End, string Host, int Port, string Id)[] ranges)
    {
        var sb = new StringBuilder().Append('*').Append(ranges.Length).Append("\r\n");
        foreach (var (start, end, host, port, id) in ranges)
        {
            sb.Append("*3\r\n:").Append(start).Append("\r\n:").Append(end).Append("\r\n")
              .Append("*3\r\n").Append(ScriptedServer.Bulk(host)).Append(':').Append(port).Append("\r\n").Append(ScriptedServer.Bulk(id));
        }
        return sb.ToString();
    }

    /// <summary>
    /// A well-formed RESP2 <c>CLUSTER SHARDS</c> reply: per shard its slot ranges and one master node
    /// (id, port, ip, endpoint, role, replication-offset, health).
    /// </summary>
    public static string ShardsReply(params ((int Start, int End)[] Ranges, string Host, int Port, string Id, string Health)[] shards)
    {
        var sb = new StringBuilder().Append('*').Append(shards.Length).Append("\r\n");
        foreach (var (ranges, host, port, id, health) in shards)
        {
            sb.Append("*4\r\n").Append(ScriptedServer.Bulk("slots")).Append('*').Append(ranges.Length * 2).Append("\r\n");
            foreach (var (start, end) in ranges) sb.Append(':').Append(start).Append("\r\n:").Append(end).Append("\r\n");
            sb.Append(ScriptedServer.Bulk("nodes")).Append("*1\r\n*14\r\n")
              .Append(ScriptedServer.Bulk("id")).Append(ScriptedServer.Bulk(id))
              .Append(ScriptedServer.Bulk("port")).Append(':').Append(port).Append("\r\n")
              .Append(ScriptedServer.Bulk("ip")).Append(ScriptedServer.Bulk(host))
              .Append(ScriptedServer.Bulk("endpoint")).Append(ScriptedServer.Bulk(host))
              .Append(ScriptedServer.Bulk("role")).Append(ScriptedServer.Bulk("master"))
              .Append(ScriptedServer.Bulk("replication-offset")).Append(":0\r\n")
              .Append(ScriptedServer.Bulk("health")).Append(ScriptedServer.Bulk(health));
        }
        return sb.ToString();
    }

    private static string NameOf(string[] words) =>
        words.Length > 1 && Containers.Contains(words[0]) ? $"{words[0]} {words[1]}".ToUpperInvariant() : words[0].ToUpperInvariant();

    private string Answer(string[] words)
    {
        _received.Enqueue(words);
        if (_callback?.Invoke(words) is { } custom) return custom;
        string name = NameOf(words);
        if (_replies.TryGetValue(name, out var queue))
        {
            if (queue.TryDequeue(out string? reply))
            {
                _lastReplies[name] = reply;
                return reply;
            }
            if (_lastReplies.TryGetValue(name, out string? last)) return last;
        }
        return name switch
        {
            "PING" => "+PONG\r\n",
            "READONLY" or "ASKING" => "+OK\r\n",
            "HELLO" => "-ERR unknown command 'HELLO'\r\n",
            _ => $"-ERR unscripted command '{name}'\r\n",
        };
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
