using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Redis;

/// <summary>
/// Finds the master (and replicas) of a Redis Sentinel deployment, as the Sentinel client specification
/// says: each sentinel is tried in turn with a short timeout, the first that answers moves to the front,
/// <c>SENTINEL get-master-addr-by-name</c> names the master, and <c>ROLE</c> on that address confirms it
/// (retried with backoff while it is not a master yet: a restarted old master claims to be master for a
/// while, so only an address a sentinel names, and still names after its ROLE check, is ever trusted).
/// The sentinel list is refreshed from <c>SENTINEL sentinels</c>. Thread-safe; every call asks again (nothing is cached but the sentinel order).
/// </summary>
/// <example>
/// <code>
/// var sentinel = new Sentinel(["10.0.0.1:26379", "10.0.0.2:26379", "10.0.0.3:26379"], "mymaster");
/// await using RedisClient client = RedisClient.Connect(sentinel, new DialOptions { Password = "data-secret" });
/// var pool = new Pool { Dial = () => sentinel.DialMaster(), TestOnBorrow = (c, _) => Sentinel.TestRole(c, "master") };
/// </code>
/// </example>
public sealed class Sentinel
{
    private readonly Lock _lock = new();
    private readonly DialOptions _sentinelOptions;
    private List<string> _addresses;

    /// <summary>
    /// Creates a sentinel client for <paramref name="masterName"/>. <paramref name="sentinelDialOptions"/>
    /// are for the sentinels themselves (their own password, TLS); the data nodes get the options given to
    /// <see cref="DialMaster"/> or <c>RedisClient.Connect(sentinel, ...)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">No address, a bad address, or an empty master name.</exception>
    public Sentinel(IEnumerable<string> addresses, string masterName, DialOptions? sentinelDialOptions = null)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentException.ThrowIfNullOrWhiteSpace(masterName);
        _addresses = [.. addresses.Select(a => a.Trim()).Where(a => a.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];
        if (_addresses.Count == 0) throw new ArgumentException("At least one sentinel address (host:port) is needed.", nameof(addresses));
        foreach (string address in _addresses) CheckAddress(address, nameof(addresses));
        MasterName = masterName;
        _sentinelOptions = sentinelDialOptions ?? DialOptions.Default;
        _sentinelOptions.Validate();
    }

    /// <summary>The name the sentinels monitor the master under.</summary>
    public string MasterName { get; }

    /// <summary>The sentinels, in the order they are tried (the last one that answered first).</summary>
    public IReadOnlyList<string> Addresses
    {
        get
        {
            lock (_lock) return [.. _addresses];
        }
    }

    /// <summary>How long one sentinel may take to connect and answer before the next is tried. Default 1 s.</summary>
    public TimeSpan SentinelTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to keep asking while the named master does not confirm its role. Default 10 s.</summary>
    public TimeSpan MasterConfirmTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Options for the ROLE check on data nodes (their password, TLS). Default: the options the data node is about to be
    /// dialed with (those given to <see cref="DialMaster"/> or <c>RedisClient.Connect(sentinel, ...)</c>), and for
    /// <see cref="MasterAddress()"/> the sentinels' options without their credentials.
    /// </summary>
    public DialOptions? DataNodeDialOptions { get; init; }

    /// <summary>Receives discovery events (which sentinel answered, role checks that failed). Optional.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The master's address (<c>host:port</c>), named by a sentinel and confirmed by its ROLE.</summary>
    /// <exception cref="RedisSentinelException">No sentinel answered, the name is unknown, or no master was confirmed in time.</exception>
    public string MasterAddress() => SyncCompletion.Result(MasterAddressCore(async: false, null, CancellationToken.None));

    /// <summary>As <see cref="MasterAddress()"/>, stopping between steps when <paramref name="cancellationToken"/> is cancelled (a client's reconnect).</summary>
    internal string MasterAddress(DialOptions? dataOptions, CancellationToken cancellationToken) => SyncCompletion.Result(MasterAddressCore(async: false, dataOptions, cancellationToken));

    /// <summary>As <see cref="MasterAddressAsync(CancellationToken)"/>, confirming ROLE with <paramref name="dataOptions"/> when <see cref="DataNodeDialOptions"/> is not set.</summary>
    internal ValueTask<string> MasterAddressAsync(DialOptions? dataOptions, CancellationToken cancellationToken) => MasterAddressCore(async: true, dataOptions, cancellationToken);

    /// <summary>The options of a connection to one sentinel (its credentials, the short timeouts).</summary>
    internal DialOptions SentinelConnectionOptions => SentinelOptions();

    /// <summary>How often a client built on this sentinel asks again who the master is, besides following +switch-master. Default 5 s.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The asynchronous twin of <see cref="MasterAddress()"/>.</summary>
    public ValueTask<string> MasterAddressAsync(CancellationToken cancellationToken = default) => MasterAddressCore(async: true, null, cancellationToken);

    /// <summary>The addresses of the master's replicas that the sentinels consider up (not down, not disconnected).</summary>
    /// <exception cref="RedisSentinelException">No sentinel answered, or the name is unknown.</exception>
    public IReadOnlyList<string> ReplicaAddresses() => SyncCompletion.Result(ReplicaAddressesCore(async: false, CancellationToken.None));

    /// <summary>The asynchronous twin of <see cref="ReplicaAddresses"/>.</summary>
    public ValueTask<IReadOnlyList<string>> ReplicaAddressesAsync(CancellationToken cancellationToken = default) => ReplicaAddressesCore(async: true, cancellationToken);

    /// <summary>Dials the current master (for <see cref="Pool.Dial"/>, redigo style).</summary>
    public IConn DialMaster(DialOptions? options = null) => SyncCompletion.Result(DialMasterCore(async: false, options, CancellationToken.None));

    /// <summary>The asynchronous twin of <see cref="DialMaster"/>.</summary>
    public async ValueTask<IConn> DialMasterAsync(DialOptions? options = null, CancellationToken cancellationToken = default)
        => await DialMasterCore(async: true, options, cancellationToken).ConfigureAwait(false);

    private async ValueTask<IConn> DialMasterCore(bool async, DialOptions? options, CancellationToken cancellationToken)
    {
        string master = await MasterAddressCore(async, options, cancellationToken).ConfigureAwait(false);
        return await Conn.DialCore(async, "tcp", master, options ?? DialOptions.Default, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// True when the connection's server reports <paramref name="expectedRole"/> (<c>master</c> or
    /// <c>slave</c>) in ROLE: redigo's <c>TestRole</c>, for <see cref="Pool.TestOnBorrow"/> so a pool never
    /// lends a connection to a demoted master.
    /// </summary>
    public static bool TestRole(IConn conn, string expectedRole)
    {
        ArgumentNullException.ThrowIfNull(conn);
        try
        {
            return conn.Do("ROLE") is object?[] { Length: > 0 } role && string.Equals(Reply.String(role[0]), expectedRole, StringComparison.OrdinalIgnoreCase);
        }
        catch (RedisException)
        {
            return false;
        }
    }

    /// <summary>Describes the sentinel client; never includes credentials.</summary>
    public override string ToString() => $"Sentinel({MasterName} via {string.Join(",", Addresses)})";

    // A sentinel's answer is only true when it is given, and ROLE cannot tell the master the sentinels chose from an old
    // master restarted before Sentinel rewrote its config (a "zombie": it answers ROLE master until Sentinel demotes it).
    // An answer asked before a failover completed, with the ROLE check run after the zombie came back, would confirm the
    // zombie. So the address is trusted only when a sentinel still names it after its ROLE check; when the name changed
    // meanwhile, the new one is checked at once.
    private async ValueTask<string> MasterAddressCore(bool async, DialOptions? dataOptions, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + MasterConfirmTimeout;
        TimeSpan delay = TimeSpan.FromMilliseconds(50);
        Exception? lastRoleError = null;
        string master = await AskMasterAsync(async, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            bool confirmed = false;
            try
            {
                confirmed = await HasRoleAsync(async, master, "master", dataOptions, cancellationToken).ConfigureAwait(false);
                lastRoleError = null;
            }
            catch (RedisException ex)
            {
                lastRoleError = ex;
            }
            if (confirmed)
            {
                string again = await AskMasterAsync(async, cancellationToken).ConfigureAwait(false);
                if (string.Equals(again, master, StringComparison.OrdinalIgnoreCase)) return master;
                if (Logger is not null) Logger.LogInformation("Sentinel named {Master} for {Name}, then {Again} after its role check; checking that one.", master, MasterName, again);
                master = again;
                if (DateTime.UtcNow < deadline) continue;
            }
            else if (Logger is not null)
            {
                Logger.LogInformation("Sentinel named {Master} for {Name}, but it does not confirm the master role yet.", master, MasterName);
            }
            if (DateTime.UtcNow + delay > deadline)
            {
                throw new RedisSentinelException(SentinelFailure.MasterNotConfirmed,
                    $"The sentinels named {master} as master of '{MasterName}', but it did not confirm the master role within {MasterConfirmTimeout.TotalSeconds:0.#} s" +
                    (lastRoleError is null ? "." : $": {lastRoleError.Message}"), lastRoleError);
            }
            if (async) await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            else if (!cancellationToken.CanBeCanceled) Thread.Sleep(delay);
            else if (cancellationToken.WaitHandle.WaitOne(delay)) cancellationToken.ThrowIfCancellationRequested(); // a client's reconnect: stop when told
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
            master = await AskMasterAsync(async, cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask<string> AskMasterAsync(bool async, CancellationToken cancellationToken)
        => AskAsync(async, "get-master-addr-by-name", ReadMasterAddress, cancellationToken);

    private async ValueTask<IReadOnlyList<string>> ReplicaAddressesCore(bool async, CancellationToken cancellationToken)
        => await AskAsync(async, "replicas", ReadReplicas, cancellationToken).ConfigureAwait(false);

    // Asks the sentinels in turn; the first that answers moves to the front and refreshes the list.
    private async ValueTask<T> AskAsync<T>(bool async, string subcommand, Func<object?, T?> read, CancellationToken cancellationToken) where T : class
    {
        List<string> order;
        lock (_lock) order = [.. _addresses];
        var failures = new List<string>();
        int unknownName = 0;
        foreach (string address in order)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await using IConn conn = await Conn.DialCore(async, "tcp", address, SentinelOptions(), cancellationToken).ConfigureAwait(false);
                object? reply = async
                    ? await conn.DoAsync("SENTINEL", [subcommand, MasterName], cancellationToken).ConfigureAwait(false)
                    : conn.Do("SENTINEL", subcommand, MasterName);
                T? result = read(reply);
                if (result is null)
                {
                    unknownName++;
                    failures.Add($"{address}: does not know '{MasterName}'");
                    continue;
                }
                object? sentinels = null;
                try
                {
                    sentinels = async
                        ? await conn.DoAsync("SENTINEL", ["sentinels", MasterName], cancellationToken).ConfigureAwait(false)
                        : conn.Do("SENTINEL", "sentinels", MasterName);
                }
                catch (RedisServerException)
                {
                    // The list refresh is a help, not a requirement.
                }
                Promote(address, sentinels);
                return result;
            }
            catch (RedisServerException ex) when (ex.Message.Contains("No such master", StringComparison.OrdinalIgnoreCase))
            {
                unknownName++;
                failures.Add($"{address}: does not know '{MasterName}'");
            }
            catch (RedisException ex)
            {
                failures.Add($"{address}: {ex.Message}");
                if (Logger is not null) Logger.LogDebug(ex, "Sentinel {Address} did not answer.", address);
            }
        }
        if (unknownName > 0)
        {
            // Sentinels answered, and none knows the name: a configuration error, not an outage.
            throw new RedisSentinelException(SentinelFailure.MasterNameUnknown,
                $"No sentinel monitors a master named '{MasterName}' ({string.Join("; ", failures)}).");
        }
        throw new RedisSentinelException(SentinelFailure.AllSentinelsUnreachable,
            $"No sentinel of '{MasterName}' answered ({string.Join("; ", failures)}).");
    }

    private async ValueTask<bool> HasRoleAsync(bool async, string address, string role, DialOptions? dataOptions, CancellationToken cancellationToken)
    {
        DialOptions options = (DataNodeDialOptions ?? dataOptions ?? _sentinelOptions with { Username = null, Password = null }) with
        {
            ConnectTimeout = SentinelTimeout,
            ReadTimeout = SentinelTimeout,
            WriteTimeout = SentinelTimeout,
        };
        await using IConn conn = await Conn.DialCore(async, "tcp", address, options, cancellationToken).ConfigureAwait(false);
        object? reply = async ? await conn.DoAsync("ROLE", [], cancellationToken).ConfigureAwait(false) : conn.Do("ROLE");
        return reply is object?[] { Length: > 0 } parts && string.Equals(Reply.String(parts[0]), role, StringComparison.OrdinalIgnoreCase);
    }

    private DialOptions SentinelOptions() => _sentinelOptions with
    {
        ConnectTimeout = Min(_sentinelOptions.ConnectTimeout, SentinelTimeout),
        ReadTimeout = Min(_sentinelOptions.ReadTimeout, SentinelTimeout),
        WriteTimeout = Min(_sentinelOptions.WriteTimeout, SentinelTimeout),
        Database = 0,
    };

    private static TimeSpan Min(TimeSpan configured, TimeSpan bound) => configured <= TimeSpan.Zero || configured > bound ? bound : configured;

    // The sentinel that answered goes first; sentinels it knows of are added after the known ones.
    private void Promote(string address, object? sentinels)
    {
        var discovered = new List<string>();
        if (sentinels is object?[] entries)
        {
            foreach (object? entry in entries)
            {
                try
                {
                    Dictionary<string, string>? fields = Reply.StringMap(entry);
                    if (fields is not null && fields.TryGetValue("ip", out string? ip) && fields.TryGetValue("port", out string? port)
                        && !(fields.TryGetValue("flags", out string? flags) && (flags.Contains("s_down", StringComparison.Ordinal) || flags.Contains("disconnected", StringComparison.Ordinal))))
                    {
                        discovered.Add(Join(ip, port));
                    }
                }
                catch (RedisException)
                {
                    // An entry we cannot read is skipped.
                }
            }
        }
        lock (_lock)
        {
            var next = new List<string>(_addresses.Count + discovered.Count) { address };
            foreach (string known in _addresses.Concat(discovered))
            {
                if (!next.Contains(known, StringComparer.OrdinalIgnoreCase)) next.Add(known);
            }
            _addresses = next;
        }
    }

    private static string? ReadMasterAddress(object? reply)
    {
        if (reply is null) return null;
        if (reply is not object?[] { Length: 2 } parts || Reply.String(parts[0]) is not { Length: > 0 } host || Reply.String(parts[1]) is not { Length: > 0 } port)
        {
            throw new RedisProtocolException("SENTINEL get-master-addr-by-name did not return [host, port].");
        }
        return Join(host, port);
    }

    private static IReadOnlyList<string>? ReadReplicas(object? reply)
    {
        if (reply is not object?[] entries) return null;
        var result = new List<string>(entries.Length);
        foreach (object? entry in entries)
        {
            Dictionary<string, string>? fields = Reply.StringMap(entry);
            if (fields is null || !fields.TryGetValue("ip", out string? ip) || !fields.TryGetValue("port", out string? port)) continue;
            string flags = fields.GetValueOrDefault("flags") ?? "";
            if (flags.Contains("s_down", StringComparison.Ordinal) || flags.Contains("o_down", StringComparison.Ordinal) || flags.Contains("disconnected", StringComparison.Ordinal)) continue;
            result.Add(Join(ip, port));
        }
        return result;
    }

    private static string Join(string host, string port) => host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";

    private static void CheckAddress(string address, string parameter)
    {
        int colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is <= 0 or > 65535)
        {
            throw new ArgumentException($"A sentinel address must be host:port, not '{address}'.", parameter);
        }
    }
}
