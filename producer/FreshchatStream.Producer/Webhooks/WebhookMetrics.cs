using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FreshchatStream.Producer.Webhooks;

/// <summary>Webhook instruments under the <c>FreshchatStream.Webhooks</c> meter.</summary>
public sealed class WebhookMetrics : IDisposable
{
    public const string MeterName = "FreshchatStream.Webhooks";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _gaps;

    public WebhookMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = _meter.CreateCounter<long>("freshchat_stream.webhooks.requests", "{request}",
            "Webhook requests by result: accepted, duplicate, unsigned, bad_signature, too_large, malformed, unavailable (Kafka), store_unavailable (Redis).");
        _gaps = _meter.CreateCounter<long>("freshchat_stream.webhooks.gaps", "{gap}",
            "Times polling found new messages while no webhook had arrived for Webhooks:GapWarningAfter.");
    }

    public void Request(string result, string? action = null) =>
        _requests.Add(1, new TagList { { "result", result }, { "action", action ?? "unknown" } });

    public void Gap() => _gaps.Add(1);

    public void Dispose() => _meter.Dispose();
}
