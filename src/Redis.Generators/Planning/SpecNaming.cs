using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Redis.Generators.Planning;

/// <summary>
/// Names for spec-driven members: method names from the command's wire words (<c>ZRANGE</c> →
/// <c>ZRange</c>, <c>CLIENT KILL</c> → <c>ClientKill</c>, <c>JSON.SET</c> → <c>JsonSet</c>),
/// parameter names from argument names, type names for generated enums.
/// </summary>
internal static class SpecNaming
{
    // Words that make up Redis command names. A name is split into the fewest of these; letters
    // left over stay single capitals (ZRANGEBYSCORE → Z Range By Score, PFADD → P F Add).
    private static readonly HashSet<string> Words = new(StringComparer.Ordinal)
    {
        "ACL", "ADD", "SLOT", "SLOTS", "RANGE", "APPEND", "ASKING", "AUTH", "BG", "REWRITE", "AOF", "SAVE", "BIT", "COUNT",
        "FIELD", "OP", "POS", "MOVE", "POP", "PUSH", "BUMP", "EPOCH", "CACHING", "CAT", "CHANNELS", "CLIENT", "CLUSTER",
        "COMMAND", "CONFIG", "CONSUMER", "CONSUMERS", "COPY", "KEY", "KEYS", "IN", "CREATE", "DB", "SIZE", "DEBUG", "DECR",
        "BY", "DEL", "DELETE", "DESTROY", "DISCARD", "DOCS", "DOCTOR", "DRY", "RUN", "DUMP", "ECHO", "ENCODING", "EVAL", "SHA",
        "EVICT", "EXEC", "EXISTS", "EXPIRE", "AT", "TIME", "FAILOVER", "FAILURE", "CALL", "FLUSH", "ALL", "FORGET", "FREQ",
        "FUNCTION", "GEN", "PASS", "GEO", "DIST", "HASH", "RADIUS", "MEMBER", "MEMBERS", "SEARCH", "STORE", "GET", "EX", "AND",
        "FLAGS", "NAME", "REDIR", "SET", "USER", "USERS", "GRAPH", "GROUP", "GROUPS", "HELLO", "HELP", "INCR", "FLOAT",
        "HISTOGRAM", "HISTORY", "LEN", "RAND", "SCAN", "STR", "VALS", "ID", "IDLE", "INFO", "KILL", "LAST", "LATENCY", "LATEST",
        "LCS", "LINK", "LINKS", "INSERT", "INDEX", "LIST", "LOAD", "LOG", "LOL", "WUT", "REM", "TRIM", "MALLOC", "MEET",
        "MEMORY", "MIGRATE", "MODULE", "MONITOR", "MULTI", "MY", "NO", "NODES", "NUM", "PAT", "SUB", "PUB", "PERSIST", "SELF",
        "TEST", "PING", "SUBSCRIBE", "SYNC", "TTL", "PUBLISH", "PURGE", "QUIT", "RANDOM", "READ", "ONLY", "WRITE", "REF",
        "RENAME", "NX", "REPL", "CONF", "REPLICA", "REPLICAS", "REPLICATE", "REPLY", "REPORTS", "RESET", "STAT", "STATS",
        "RESTORE", "RO", "ROLE", "SELECT", "SHARD", "SHARDS", "SHUTDOWN", "INTER", "CARD", "DIFF", "UNION", "IS", "SLAVE",
        "SLAVES", "SLOW", "SORT", "STREAM", "TOUCH", "TRACKING", "TYPE", "UN", "BLOCK", "PAUSE", "WATCH", "USAGE", "WAIT",
        "WHO", "AM", "ACK", "AUTO", "CLAIM", "PENDING", "REV", "SCORE", "LEX", "RANK", "MIN", "MAX", "OBJECT", "OF", "SCRIPT",
        "MERGE", "SWAP", "JSON", "SEARCH", "ARR", "OBJ", "TOGGLE", "RESP",
    };

    /// <summary>The method name for a command: PascalCase of its wire words.</summary>
    public static string MethodName(IEnumerable<string> wire)
        => string.Concat(wire.Select(w => string.Concat(Parts(w).Select(SplitWord))));

    /// <summary>PascalCase of any text: words split at non-alphanumeric characters.</summary>
    public static string Pascal(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (string part in Parts(text))
        {
            builder.Append(char.ToUpperInvariant(part[0]));
            builder.Append(part.Substring(1).ToLowerInvariant());
        }
        return builder.ToString();
    }

    /// <summary>camelCase of any text, a valid identifier (keywords escaped by the caller).</summary>
    public static string Camel(string text)
    {
        string pascal = Pascal(text);
        if (pascal.Length == 0) return "arg";
        string camel = char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
        return char.IsDigit(camel[0]) ? "_" + camel : camel;
    }

    /// <summary>True when the text has letters and only letters, digits, '-' and '_' (a usable base for a name).</summary>
    public static bool IsWordy(string? text)
        => !string.IsNullOrEmpty(text) && text!.Any(char.IsLetter) && text.All(c => char.IsLetterOrDigit(c) || c is '-' or '_');

    private static IEnumerable<string> Parts(string text)
    {
        var current = new StringBuilder();
        foreach (char c in text)
        {
            if (char.IsLetterOrDigit(c) && c < 128) current.Append(c);
            else if (current.Length > 0)
            {
                yield return current.ToString();
                current.Clear();
            }
        }
        if (current.Length > 0) yield return current.ToString();
    }

    // Splits one upper-case word into dictionary words with the fewest pieces (unknown letters cost more).
    private static string SplitWord(string word)
    {
        string upper = word.ToUpperInvariant();
        int n = upper.Length;
        var cost = new int[n + 1];
        var back = new int[n + 1];
        for (int i = 1; i <= n; i++) cost[i] = int.MaxValue;
        for (int i = 0; i < n; i++)
        {
            if (cost[i] == int.MaxValue) continue;
            for (int j = i + 1; j <= n; j++)
            {
                int step = Words.Contains(upper.Substring(i, j - i)) ? 1 : j == i + 1 ? 3 : int.MaxValue;
                if (step == int.MaxValue) continue;
                if (cost[i] + step < cost[j] || (cost[i] + step == cost[j] && i < back[j]))
                {
                    cost[j] = cost[i] + step;
                    back[j] = i;
                }
            }
        }
        var pieces = new List<string>();
        for (int j = n; j > 0; j = back[j]) pieces.Add(upper.Substring(back[j], j - back[j]));
        pieces.Reverse();
        var builder = new StringBuilder(n);
        foreach (string piece in pieces)
        {
            builder.Append(piece[0]);
            builder.Append(piece.Substring(1).ToLowerInvariant());
        }
        return builder.ToString();
    }
}
