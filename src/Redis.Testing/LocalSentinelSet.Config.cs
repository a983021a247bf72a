using System.Globalization;
using System.Text;

namespace Redis.Testing;

// LocalSentinelSet: the config files of data nodes and sentinels.
public sealed partial class LocalSentinelSet
{
    private string DataConfig(int port, string directory, int? masterPort)
    {
        var conf = new StringBuilder();
        CommonConfig(conf, port, directory);
        conf.AppendLine("save \"\"");
        conf.AppendLine("appendonly no");
        conf.AppendLine("enable-debug-command yes");

        // As for cluster nodes: without these a replica's first sync waits 5 s and its offset moves only every 10 s.
        conf.AppendLine("repl-diskless-sync-delay 0");
        conf.AppendLine("repl-ping-replica-period 1");
        if (_options.DataPassword is { } password)
        {
            conf.Append("requirepass ").AppendLine(Quote(password));
            conf.Append("masterauth ").AppendLine(Quote(password));
        }

        if (masterPort is { } master)
        {
            conf.AppendLine(string.Create(CultureInfo.InvariantCulture, $"replicaof 127.0.0.1 {master}"));
        }

        foreach (var line in _options.DataNodeConfig)
        {
            conf.AppendLine(line);
        }

        return conf.ToString();
    }

    private string SentinelConfig(int port, string directory, int masterPort)
    {
        var conf = new StringBuilder();
        CommonConfig(conf, port, directory);
        conf.AppendLine("sentinel resolve-hostnames no");
        conf.AppendLine(string.Create(CultureInfo.InvariantCulture, $"sentinel monitor {MasterName} 127.0.0.1 {masterPort} {Quorum}"));
        conf.AppendLine(string.Create(CultureInfo.InvariantCulture, $"sentinel down-after-milliseconds {MasterName} {(long)_options.DownAfter.TotalMilliseconds}"));
        conf.AppendLine(string.Create(CultureInfo.InvariantCulture, $"sentinel failover-timeout {MasterName} {(long)_options.FailoverTimeout.TotalMilliseconds}"));
        conf.AppendLine(string.Create(CultureInfo.InvariantCulture, $"sentinel parallel-syncs {MasterName} 1"));
        if (_options.DataPassword is { } dataPassword)
        {
            conf.Append(CultureInfo.InvariantCulture, $"sentinel auth-pass {MasterName} ").AppendLine(Quote(dataPassword));
        }

        if (_options.SentinelPassword is { } sentinelPassword)
        {
            conf.Append("requirepass ").AppendLine(Quote(sentinelPassword));
            conf.Append("sentinel sentinel-pass ").AppendLine(Quote(sentinelPassword));
        }

        foreach (var line in _options.SentinelConfig)
        {
            conf.AppendLine(line);
        }

        return conf.ToString();
    }

    private static void CommonConfig(StringBuilder conf, int port, string directory)
    {
        conf.AppendLine("bind 127.0.0.1");
        conf.AppendLine(string.Create(CultureInfo.InvariantCulture, $"port {port}"));
        conf.Append("dir ").AppendLine(Quote(directory));
        conf.AppendLine("daemonize no");
        conf.AppendLine("logfile \"\"");
    }

    /// <summary>A config-file string literal: double quotes, with backslash escapes for quotes, backslashes and control characters.</summary>
    private static string Quote(string value)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' or '\\' => quoted.Append('\\').Append(c),
                '\n' => quoted.Append("\\n"),
                '\r' => quoted.Append("\\r"),
                '\t' => quoted.Append("\\t"),
                < ' ' => quoted.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }
}
