using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Webhooks;

/// <summary>
/// Whether webhooks are reaching the producer, which decides how often polling must look at open conversations.
/// Healthy = enabled, at least one webhook verified since start, and no gap detected. A gap is polling finding new
/// messages while no webhook arrived for <c>Webhooks:GapWarningAfter</c>: Freshchat is not sending (URL, key or
/// subscription wrong), so it is logged once per gap and polling falls back to its full cadence until a webhook arrives.
/// </summary>
public sealed class WebhookActivity(IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookActivity> logger, WebhookMetrics? metrics = null)
{
    private readonly WebhookOptions _options = options.Value;
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastReceivedAt;
    private bool _gap;

    /// <summary>True while a gap is being reported (cleared by the next verified webhook).</summary>
    public bool GapDetected
    {
        get
        {
            lock (_gate)
            {
                return _gap;
            }
        }
    }

    /// <summary>Open conversations may be polled at <c>Webhooks:QuietPollInterval</c> only while this holds.</summary>
    public bool IsHealthy
    {
        get
        {
            lock (_gate)
            {
                return _options.Enabled && _lastReceivedAt is not null && !_gap;
            }
        }
    }

    /// <summary>The longer first wait for an open conversation while webhooks are healthy; null otherwise.</summary>
    public TimeSpan? QuietPollInterval => IsHealthy ? _options.QuietPollInterval : null;

    public void Received()
    {
        lock (_gate)
        {
            _lastReceivedAt = time.GetUtcNow();
            _gap = false;
        }
    }

    /// <summary>Polling (not a push) found <paramref name="newMessages"/> new messages in a conversation.</summary>
    public void PolledChanges(string conversationId, int newMessages)
    {
        if (!_options.Enabled || newMessages <= 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        DateTimeOffset? last;
        lock (_gate)
        {
            last = _lastReceivedAt;
            if (_gap || now - (last ?? _startedAt) < _options.GapWarningAfter)
            {
                return;
            }

            _gap = true;
        }

        metrics?.Gap();
        Log.WebhookGap(logger, newMessages, conversationId, last?.ToString("O") ?? "none since start", _options.GapWarningAfter);
    }
}
