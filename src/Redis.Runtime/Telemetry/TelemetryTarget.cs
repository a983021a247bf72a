using System.Diagnostics;

namespace Redis;

/// <summary>
/// The per-connection attributes of every span and measurement (server address and port, database index),
/// built once per connection or client so a command adds nothing but its own name and outcome. The port is
/// boxed once here, so tag lists of measurements box nothing per command.
/// </summary>
internal sealed class TelemetryTarget
{
    private TelemetryTarget(string address, int port, string network, int database, bool traceQueryText)
    {
        Address = address;
        Network = network;
        Port = port > 0 ? port : null;
        Namespace = database.ToString(System.Globalization.CultureInfo.InvariantCulture);
        TraceQueryText = traceQueryText;
    }

    /// <summary>The host, address or socket path.</summary>
    public string Address { get; }

    /// <summary>"tcp", "unix"...: what the target was built from (compared to rebuild after a Sentinel failover).</summary>
    public string Network { get; }

    /// <summary>The port, boxed once (null for a Unix socket).</summary>
    public object? Port { get; }

    /// <summary>The database index as a string.</summary>
    public string Namespace { get; }

    /// <summary>Whether spans carry <see cref="RedisTelemetry.DbQueryText"/> (<see cref="DialOptions.TraceQueryText"/>).</summary>
    public bool TraceQueryText { get; }

    /// <summary>The raw address the target was built from ("host:port" or a path).</summary>
    public string? Source { get; private init; }

    /// <summary>A target for <paramref name="address"/> on <paramref name="network"/> as <c>Conn.Dial</c> takes them.</summary>
    public static TelemetryTarget For(string network, string address, DialOptions options)
    {
        if (network.StartsWith("tcp", StringComparison.Ordinal))
        {
            try
            {
                (string host, int port) = RedisUrl.ParseHostPort(address, "localhost", nameof(address));
                return new TelemetryTarget(host, port, network, options.Database, options.TraceQueryText) { Source = address };
            }
            catch (ArgumentException)
            {
                // Not parsable: the dial itself reports it; telemetry names the address as given.
            }
        }
        return new TelemetryTarget(address, 0, network, options.Database, options.TraceQueryText) { Source = address };
    }

    /// <summary>A target for a dialed endpoint whose host and port are already known.</summary>
    public static TelemetryTarget For(string network, string host, int port, DialOptions options)
        => new(host, port, network, options.Database, options.TraceQueryText);

    /// <summary>Adds the connection's attributes to <paramref name="tags"/> (system, namespace, address, port).</summary>
    public void AddTo(ref TagList tags)
    {
        tags.Add(RedisTelemetry.DbSystemName, RedisTelemetry.DbSystemValue);
        tags.Add(RedisTelemetry.DbNamespace, Namespace);
        tags.Add(RedisTelemetry.ServerAddress, Address);
        if (Port is not null) tags.Add(RedisTelemetry.ServerPort, Port);
    }
}
