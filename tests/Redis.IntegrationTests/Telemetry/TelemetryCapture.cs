using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Redis.Tests.Telemetry;

/// <summary>
/// Listens to <see cref="RedisTelemetry.ActivitySourceName"/> and <see cref="RedisTelemetry.MeterName"/> and
/// keeps only what concerns one server (its port), so tests running in parallel against other servers do
/// not interfere.
/// </summary>
internal sealed class TelemetryCapture : IDisposable
{
    private readonly object _port;
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters;
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();

    public TelemetryCapture(int port)
    {
        _port = port;
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RedisTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem(RedisTelemetry.ServerPort), _port)) _stopped.Enqueue(activity);
            },
        };
        ActivitySource.AddActivityListener(_activities);
        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == RedisTelemetry.MeterName) listener.EnableMeasurementEvents(instrument);
            },
        };
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.Start();
    }

    /// <summary>The spans of this server that ended, in the order they ended.</summary>
    public IReadOnlyList<Activity> Spans => [.. _stopped];

    /// <summary>The measurements of <paramref name="instrument"/> seen so far (histogram records, or observed values after <see cref="Observe"/>).</summary>
    public IReadOnlyList<(double Value, Dictionary<string, object?> Tags)> Measurements(string instrument)
        => [.. _measurements.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags))];

    /// <summary>Asks every observable instrument for its values now.</summary>
    public void Observe() => _meters.RecordObservableInstruments();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, object?>();
        foreach (KeyValuePair<string, object?> tag in tags) map[tag.Key] = tag.Value;
        _measurements.Enqueue((instrument.Name, value, map));
    }

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }
}
