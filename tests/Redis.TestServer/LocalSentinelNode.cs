using System.Globalization;

namespace Redis.Testing;

/// <summary>
/// One <c>redis-server</c> process of a <see cref="LocalSentinelSet"/>: a data node (master or replica) or a sentinel
/// (<c>redis-server sentinel.conf --sentinel</c>). Its port, directory and config file never change (a restart reuses
/// them, with whatever Sentinel rewrote into the config); a data node's role does, so it is read from the server when
/// asked (<see cref="IsMasterAsync"/>, <see cref="LocalSentinelSet.GetRoleAsync"/>), never remembered.
/// </summary>
public sealed class LocalSentinelNode
{
    private readonly TimeSpan _commandTimeout;
    private volatile RedisServerProcess? _process;
    private volatile bool _paused;

    internal LocalSentinelNode(bool isSentinel, string directory, string configPath, int port, string? password, TimeSpan commandTimeout)
    {
        IsSentinel = isSentinel;
        Directory = directory;
        ConfigPath = configPath;
        Port = port;
        Password = password;
        _commandTimeout = commandTimeout;
    }

    /// <summary>True for a sentinel, false for a data node (master or replica).</summary>
    public bool IsSentinel { get; }

    /// <summary>TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>"127.0.0.1:port".</summary>
    public string Address => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>The node's temporary directory (its <c>dir</c>, holding its config file); deleted when the set is disposed.</summary>
    public string Directory { get; }

    /// <summary>The node's config file (<c>redis.conf</c> or <c>sentinel.conf</c>), which the server rewrites (Sentinel state, role changes).</summary>
    public string ConfigPath { get; }

    /// <summary>Process id while the node runs; <see langword="null"/> after <see cref="LocalSentinelSet.KillAsync"/>.</summary>
    public int? ProcessId => _process?.ProcessId;

    /// <summary>True while the process exists (also when paused); false after <see cref="LocalSentinelSet.KillAsync"/> until <see cref="LocalSentinelSet.RestartAsync"/>.</summary>
    public bool IsRunning => _process is not null;

    /// <summary>True between <see cref="LocalSentinelSet.PauseAsync"/> (SIGSTOP) and <see cref="LocalSentinelSet.ResumeAsync"/> (SIGCONT).</summary>
    public bool IsPaused => _paused;

    /// <summary>Running and not paused: the node answers commands.</summary>
    public bool IsAnswering => IsRunning && !IsPaused;

    /// <summary>The password this node requires (<see cref="LocalSentinelOptions.DataPassword"/> or <see cref="LocalSentinelOptions.SentinelPassword"/>), or null.</summary>
    internal string? Password { get; }

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
    /// Sends one command on a fresh connection (this helper's own RESP client, not the client under test; it
    /// authenticates with the node's password) and returns the reply: strings as <see cref="string"/>, integers as
    /// <see cref="long"/>, arrays as <c>object?[]</c>, nil as null.
    /// </summary>
    /// <param name="args">The command and its arguments, e.g. <c>"SENTINEL", "MASTERS"</c>.</param>
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
        var reply = await RespClient.RunAsync(Port, Password, _commandTimeout, ct, words).ConfigureAwait(false);
        return reply is RespErrorReply error
            ? throw new InvalidOperationException($"{Address} answered {RespClient.Describe(words)} with -{error.Message}")
            : reply;
    }

    /// <summary>Asks the node (<c>ROLE</c>) whether it is a master right now (always false for a sentinel).</summary>
    /// <param name="ct">Cancels the call.</param>
    /// <returns>True for a master.</returns>
    public async Task<bool> IsMasterAsync(CancellationToken ct = default)
    {
        var reply = await ExecuteAsync(["ROLE"], ct).ConfigureAwait(false);
        return reply is object?[] { Length: > 0 } role && string.Equals(role[0] as string, "master", StringComparison.Ordinal);
    }

    /// <summary>"sentinel 127.0.0.1:port (pid N)" or "data 127.0.0.1:port (pid N, paused)".</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        var state = _process is null ? "killed" : _paused ? string.Create(CultureInfo.InvariantCulture, $"pid {_process.ProcessId}, paused") : string.Create(CultureInfo.InvariantCulture, $"pid {_process.ProcessId}");
        return $"{(IsSentinel ? "sentinel" : "data")} {Address} ({state})";
    }
}
