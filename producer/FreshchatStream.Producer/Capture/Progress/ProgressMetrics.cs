using System.Diagnostics.Metrics;

namespace FreshchatStream.Producer.Capture.Progress;

/// <summary>
/// Progress gauges per pass in flight under the <c>FreshchatStream.Capture.Progress</c> meter: items done, items
/// known, and the estimated seconds left (absent while unknown). A finished pass has no series.
/// </summary>
public sealed class ProgressMetrics : IDisposable
{
    public const string MeterName = "FreshchatStream.Capture.Progress";

    private readonly Meter _meter;

    public ProgressMetrics(CaptureProgress progress, IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _meter.CreateObservableGauge("freshchat_stream.capture.progress.done",
            () => progress.Read().Select(r => Measure(r.Done, r)), "{item}", "Items the pass in flight has done in its current phase (listed, polled, read).");
        _meter.CreateObservableGauge("freshchat_stream.capture.progress.known",
            () => progress.Read().Where(r => r.Known is not null).Select(r => Measure(r.Known!.Value, r)), "{item}",
            "Items the pass in flight knows of in its current phase (a listing's total_items, conversations due).");
        _meter.CreateObservableGauge("freshchat_stream.capture.progress.remaining",
            () => progress.Read().Where(r => r.Left is not null).Select(r => new Measurement<double>(r.Left!.Value.TotalSeconds, Tag(r))), "s",
            "Estimated seconds left in the pass in flight (work known to remain at the request rate achieved).");
    }

    private static Measurement<long> Measure(long value, ProgressReading reading) => new(value, Tag(reading));

    private static KeyValuePair<string, object?> Tag(ProgressReading reading) => new("resource", reading.Resource);

    public void Dispose() => _meter.Dispose();
}
