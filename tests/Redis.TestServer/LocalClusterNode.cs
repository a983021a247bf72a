using System.Globalization;

namespace Redis.Testing;

/// <summary>
/// One <c>redis-server</c> process of a <see cref="LocalCluster"/>. Its port, directory and node id never change
/// (a restart reuses the port and nodes.conf); its role does, so it is read from the server when asked
/// (<see cref="IsMasterAsync"/>, <see cref="LocalCluster.GetShardsAsync"/>), never remembered.
/// </summary>
public sealed class LocalClusterNode
{
    private readonly TimeSpan _commandTimeout;
    private volatile RedisServerProcess? _process;
    private volatile bool _paused;

    internal LocalClusterNode(RedisServerProcess process, string directory, int port, TimeSpan commandTimeout)
    {
        _process = process;
        Directory = directory;
        Port = port;
        _commandTimeout = commandTimeout;
        NodeId = string.Empty;
    }

    /// <summary>TCP port on 127.0.0.1 (the cluster bus listens on <see cref="Port"/> + 10000).</summary>
    public int Port { get; }

    /// <summary>"127.0.0.1:port".</summary>
    public string Address => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>The node's 40-character cluster id (<c>CLUSTER MYID</c>); kept across restarts by nodes.conf.</summary>
    public string NodeId { get; internal set; }

    /// <summary>The node's temporary directory (its <c>--dir</c>, holding nodes.conf); deleted when the cluster is disposed.</summary>
    public string Directory { get; }

    /// <summary>Process id while the node runs; <see langword="null"/> after <see cref="LocalCluster.KillAsync"/>.</summary>
    public int? ProcessId => _process?.ProcessId;

    /// <summary>True while the process exists (also when paused); false after <see cref="LocalCluster.KillAsync"/> until <see cref="LocalCluster.RestartAsync"/>.</summary>
    public bool IsRunning => _process is not null;

    /// <summary>True between <see cref="LocalCluster.PauseAsync"/> (SIGSTOP) and <see cref="LocalCluster.ResumeAsync"/> (SIGCONT).</summary>
    public bool IsPaused => _paused;

    /// <summary>Running and not paused: the node answers commands.</summary>
    public bool IsAnswering => IsRunning && !IsPaused;

    internal RedisServerProcess? Process
    {
        get => _process;
        set => _process = value;
    }

    internal bool Paused
    {
        set => _paused = value;
    }

    /// <summary>
    /// Sends one command on a fresh connection (this helper's own RESP client, not the client under test) and returns
    /// the reply: strings as <see cref="string"/>, integers as <see cref="long"/>, arrays as <c>object?[]</c>, nil as null.
    /// </summary>
    /// <param name="args">The command and its arguments, e.g. <c>"CLUSTER", "INFO"</c>.</param>
    /// <returns>The reply.</returns>
    /// <exception cref="InvalidOperationException">The node answered with an error; the message names the node, the command and the error.</exception>
    /// <exception cref="TimeoutException">The node did not answer within the command timeout.</exception>
    public Task<object?> ExecuteAsync(params string[] args) => ExecuteAsync(args, CancellationToken.None);

    /// <summary>Sends one command; see <see cref="ExecuteAsync(string[])"/>.</summary>
    /// <param name="args">The command and its arguments.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>The reply.</returns>
    public async Task<object?> ExecuteAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        var words = args.ToArray();
        var reply = await RespClient.RunAsync(Port, _commandTimeout, ct, words).ConfigureAwait(false);
        return reply is RespErrorReply error
            ? throw new InvalidOperationException($"{Address} answered {RespClient.Describe(words)} with -{error.Message}")
            : reply;
    }

    /// <summary>Asks the node (<c>ROLE</c>) whether it is a master right now.</summary>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>True for a master, false for a replica.</returns>
    public async Task<bool> IsMasterAsync(CancellationToken ct = default)
    {
        var reply = await ExecuteAsync(["ROLE"], ct).ConfigureAwait(false);
        return reply is object?[] { Length: > 0 } role && string.Equals(role[0] as string, "master", StringComparison.Ordinal);
    }

    /// <summary>"127.0.0.1:port (node id prefix, pid)".</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        var id = NodeId.Length >= 8 ? NodeId[..8] : NodeId;
        var state = _process is null ? "killed" : _paused ? string.Create(CultureInfo.InvariantCulture, $"pid {_process.ProcessId}, paused") : string.Create(CultureInfo.InvariantCulture, $"pid {_process.ProcessId}");
        return $"{Address} ({id}, {state})";
    }
}
