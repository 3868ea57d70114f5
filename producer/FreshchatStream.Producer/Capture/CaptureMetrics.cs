using System.Diagnostics;
using System.Diagnostics.Metrics;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;

namespace FreshchatStream.Producer.Capture;

/// <summary>Capture instruments under the <c>FreshchatStream.Capture</c> meter (OpenTelemetry-ready names), each tagged with the account.</summary>
public sealed class CaptureMetrics : IDisposable
{
    public const string MeterName = "FreshchatStream.Capture";

    /// <summary>
    /// The producer's one trace source: a span per capture cycle, per strategy pass within it and per Kafka batch
    /// (publish and acknowledgement); Freshchat requests nest under the pass through the HttpClient instrumentation.
    /// </summary>
    public const string ActivitySourceName = "FreshchatStream.Capture";

    /// <summary>Spans are created only while a listener (the OpenTelemetry tracer, a test) samples this source.</summary>
    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    private readonly Meter _meter;
    private readonly Counter<long> _events;
    private readonly Counter<long> _passes;
    private readonly Histogram<double> _passDuration;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _lastSuccess = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, State.CaptureLease> _leases = new(StringComparer.Ordinal);

    private readonly string _account;

    public CaptureMetrics(IMeterFactory? meterFactory = null, TimeProvider? time = null, CaptureAccount? account = null)
    {
        _time = time ?? TimeProvider.System;
        _account = account?.Name ?? string.Empty;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _events = _meter.CreateCounter<long>("freshchat_stream.capture.events", "{event}", "Events acknowledged by Kafka, by resource and op.");
        _passes = _meter.CreateCounter<long>("freshchat_stream.capture.passes", "{pass}", "Resource capture passes, by resource and result.");
        _passDuration = _meter.CreateHistogram<double>("freshchat_stream.capture.pass.duration", "s", "Duration of a resource capture pass.");
        _meter.CreateObservableGauge("freshchat_stream.capture.lag", ObserveLag, "s",
            "Seconds since the start of the resource's last successful pass, or since a cycle left a catalogue out on purpose (Capture:CatalogueInterval): how far behind its cadence its capture is.");
        _meter.CreateObservableGauge("freshchat_stream.lease.held", ObserveLeases, unit: null,
            "1 while this instance holds the account's single-writer lease and captures it, 0 while it stands by.");
    }

    /// <summary>Reports <paramref name="lease"/> as <c>freshchat_stream_lease_held{account}</c> from now on (one per account).</summary>
    public void TrackLease(State.CaptureLease lease) => _leases[lease.Account] = lease;

    private IEnumerable<Measurement<int>> ObserveLeases() =>
        _leases.Select(p => new Measurement<int>(p.Value.Current is null ? 0 : 1, new KeyValuePair<string, object?>("account", p.Key)));

    public void Acknowledged(string resource, IReadOnlyDictionary<ChangeOp, int> byOp)
    {
        foreach (var (op, count) in byOp)
        {
            _events.Add(count, new TagList { { "account", _account }, { "resource", resource }, { "op", op.ToString().ToLowerInvariant() } });
        }
    }

    public void Pass(string resource, string result, TimeSpan duration)
    {
        if (result is "ok" or "deferred")
        {
            _lastSuccess[resource] = _time.GetUtcNow() - duration;
        }

        var tags = new TagList { { "account", _account }, { "resource", resource }, { "result", result } };
        _passes.Add(1, tags);
        _passDuration.Record(duration.TotalSeconds, tags);
    }

    private IEnumerable<Measurement<double>> ObserveLag()
    {
        var now = _time.GetUtcNow();
        return _lastSuccess.Select(p => new Measurement<double>((now - p.Value).TotalSeconds,
            new KeyValuePair<string, object?>("account", _account), new KeyValuePair<string, object?>("resource", p.Key)));
    }

    public void Dispose() => _meter.Dispose();
}
