namespace Redis;

// The attributes of this client's spans: built on first use and again when a Sentinel-backed client's
// master moves (the address it names changes).
public sealed partial class RedisClient
{
    private TelemetryTarget? _telemetryTarget;

    internal TelemetryTarget TelemetryTarget
    {
        get
        {
            string address = Volatile.Read(ref _address);
            TelemetryTarget? target = Volatile.Read(ref _telemetryTarget);
            if (target is null || !ReferenceEquals(target.Source, address))
            {
                target = TelemetryTarget.For(_network, address, _dialOptions);
                Volatile.Write(ref _telemetryTarget, target);
            }
            return target;
        }
    }
}
