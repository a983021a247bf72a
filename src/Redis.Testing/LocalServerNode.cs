using System.Globalization;

namespace Redis.Testing;

/// <summary>
/// One <c>redis-server</c> process of a local deployment (<see cref="LocalCluster"/>, <see cref="LocalSentinelSet"/>):
/// its port and directory never change (a restart reuses them); what it is now (its role) is read from the server
/// when asked, never remembered. Kill (SIGKILL), pause (SIGSTOP) and resume (SIGCONT) live here, once for every kind.
/// </summary>
public abstract class LocalServerNode
{
    private readonly TimeSpan _commandTimeout;
    private readonly string? _password;
    private volatile RedisServerProcess? _process;
    private volatile bool _paused;

    private protected LocalServerNode(RedisServerProcess? process, string directory, int port, string? password, TimeSpan commandTimeout)
    {
        _process = process;
        Directory = directory;
        Port = port;
        _password = password;
        _commandTimeout = commandTimeout;
    }

    /// <summary>TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>"127.0.0.1:port".</summary>
    public string Address => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>The node's temporary directory; deleted when its deployment is disposed.</summary>
    public string Directory { get; }

    /// <summary>Process id while the node runs; <see langword="null"/> after a kill.</summary>
    public int? ProcessId => _process?.ProcessId;

    /// <summary>True while the process exists (also when paused); false after a kill until a restart.</summary>
    public bool IsRunning => _process is not null;

    /// <summary>True between a pause (SIGSTOP) and a resume (SIGCONT).</summary>
    public bool IsPaused => _paused;

    /// <summary>Running and not paused: the node answers commands.</summary>
    public bool IsAnswering => IsRunning && !IsPaused;

    internal RedisServerProcess? Process
    {
        get => _process;
        set => _process = value;
    }

    /// <summary>
    /// Sends one command on a fresh connection (this helper's own RESP client, not the client under test; it
    /// authenticates with the node's password, if any) and returns the reply: strings as <see cref="string"/>,
    /// integers as <see cref="long"/>, arrays as <c>object?[]</c>, nil as null.
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
        var reply = await RespClient.RunAsync(Port, _password, _commandTimeout, ct, words).ConfigureAwait(false);
        return reply is RespErrorReply error
            ? throw new InvalidOperationException($"{Address} answered {RespClient.Describe(words)} with -{error.Message}")
            : reply;
    }

    /// <summary>Asks the node (<c>ROLE</c>) whether it is a master right now.</summary>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>True for a master.</returns>
    public async Task<bool> IsMasterAsync(CancellationToken ct = default)
    {
        var reply = await ExecuteAsync(["ROLE"], ct).ConfigureAwait(false);
        return reply is object?[] { Length: > 0 } role && string.Equals(role[0] as string, "master", StringComparison.Ordinal);
    }

    /// <summary>SIGKILL (<c>kill -9</c>: no shutdown, sockets reset); the directory stays for a restart.</summary>
    internal void Kill()
    {
        var process = _process ?? throw new InvalidOperationException($"{this} is not running");
        _process = null;
        _paused = false;
        process.Kill();
    }

    /// <summary>SIGSTOP: the process keeps its sockets open and answers nothing, like a frozen host.</summary>
    internal void Pause()
    {
        var process = _process ?? throw new InvalidOperationException($"{this} is not running");
        PosixSignals.Stop(process.ProcessId);
        _paused = true;
    }

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    internal void Resume()
    {
        var process = _process ?? throw new InvalidOperationException($"{this} is not running");
        PosixSignals.Continue(process.ProcessId);
        _paused = false;
    }

    /// <summary>"killed", "pid N" or "pid N, paused".</summary>
    private protected string State
    {
        get
        {
            var process = _process;
            return process is null ? "killed"
                : _paused ? string.Create(CultureInfo.InvariantCulture, $"pid {process.ProcessId}, paused")
                : string.Create(CultureInfo.InvariantCulture, $"pid {process.ProcessId}");
        }
    }
}
