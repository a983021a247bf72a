namespace Redis.SpecTool;

/// <summary>The command line of the tool.</summary>
public sealed class ToolOptions
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        Reads COMMAND DOCS and COMMAND INFO from a Redis server and writes commands.json (docs/commands-json.md).

        usage: dotnet run --project src/Redis.SpecTool -- [options]

          --url URL          server to read (default redis://127.0.0.1:6379); read over RESP3
          --output FILE      file to write (default commands.json)
          --module NAME      only the commands of module NAME (COMMAND LIST FILTERBY MODULE NAME)
          --replies FILE     keep the reply annotations of FILE, an earlier commands.json
                             (default: the output file, when it exists)
          --no-replies       write no reply annotations
          --check            write nothing; exit 1 when the output file would change
          -h, --help         this text
        """;

    /// <summary>The server URL.</summary>
    public string Url { get; private set; } = "redis://127.0.0.1:6379";

    /// <summary>The output file.</summary>
    public string Output { get; private set; } = "commands.json";

    /// <summary>The module to restrict to.</summary>
    public string? Module { get; private set; }

    /// <summary>The file whose replies are kept; null means the output file when it exists.</summary>
    public string? Replies { get; private set; }

    /// <summary>Write no replies.</summary>
    public bool NoReplies { get; private set; }

    /// <summary>Compare with the output file instead of writing it.</summary>
    public bool Check { get; private set; }

    /// <summary>Print the usage.</summary>
    public bool Help { get; private set; }

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> on a bad command line.</summary>
    public static ToolOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new ToolOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "--url": options.Url = Value(args, ref i); break;
                case "--output" or "-o": options.Output = Value(args, ref i); break;
                case "--module": options.Module = Value(args, ref i); break;
                case "--replies": options.Replies = Value(args, ref i); break;
                case "--no-replies": options.NoReplies = true; break;
                case "--check": options.Check = true; break;
                case "--help" or "-h": options.Help = true; break;
                default: throw new ArgumentException($"unknown argument '{arg}'");
            }
        }
        if (options.NoReplies && options.Replies is not null) throw new ArgumentException("--replies and --no-replies exclude each other");
        return options;
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{args[i]} needs a value");
        }
        return args[++i];
    }
}
