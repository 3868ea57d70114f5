using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FreshchatStream.Consumers.Observability;

/// <summary>
/// The lander's instruments under the <c>FreshchatStream.Landers</c> meter, exported on <c>/metrics</c> (Prometheus)
/// and over OTLP: records landed and dead-lettered per topic, batch latency, and the consumer lag per partition.
/// </summary>
public sealed class LanderMetrics : IDisposable
{
    public const string MeterName = "FreshchatStream.Landers";

    private readonly Meter _meter;
    private readonly Counter<long> _landed;
    private readonly Counter<long> _deadLettered;
    private readonly Histogram<double> _batchDuration;
    private readonly ConcurrentDictionary<(string Topic, int Partition), long> _lag = new();

    public LanderMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _landed = _meter.CreateCounter<long>("freshchat_stream.lander.records", "{record}", "Records landed in the warehouse, by topic.");
        _deadLettered = _meter.CreateCounter<long>("freshchat_stream.lander.dead_letters", "{record}",
            "Records set aside in _dead_letters (undecodable or rejected by the database), by topic.");
        _batchDuration = _meter.CreateHistogram<double>("freshchat_stream.lander.batch.duration", "s",
            "Time to land one batch: the database transaction and the offset commit after it.");
        _meter.CreateObservableGauge("freshchat_stream.lander.lag", ObserveLag, "{record}",
            "Records between the lander's position and the end of each assigned partition.");
    }

    public void Landed(string topic, long count)
    {
        if (count > 0)
        {
            _landed.Add(count, new KeyValuePair<string, object?>("topic", topic));
        }
    }

    public void DeadLettered(string topic, long count)
    {
        if (count > 0)
        {
            _deadLettered.Add(count, new KeyValuePair<string, object?>("topic", topic));
        }
    }

    public void Batch(TimeSpan duration) => _batchDuration.Record(duration.TotalSeconds);

    /// <summary>Records the lag of a partition; called from the consumer loop, which owns the consumer.</summary>
    public void Lag(string topic, int partition, long records) => _lag[(topic, partition)] = Math.Max(0, records);

    /// <summary>A revoked partition is no longer this lander's lag.</summary>
    public void Forget(string topic, int partition) => _lag.TryRemove((topic, partition), out _);

    private IEnumerable<Measurement<long>> ObserveLag() =>
        _lag.Select(p => new Measurement<long>(p.Value, new TagList { { "topic", p.Key.Topic }, { "partition", p.Key.Partition } }));

    public void Dispose() => _meter.Dispose();
}
