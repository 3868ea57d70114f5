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
    private DateTimeOffset? _lastMessageAt;
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

    /// <summary>
    /// Healthy, and a <c>message_create</c> webhook verified within <c>Webhooks:GapWarningAfter</c>: new messages are
    /// being pushed, so a status change's poll need not read messages (a message added meanwhile comes as its own
    /// webhook; one lost is read at the conversation's <c>Capture:Conversations:MessageRecheckInterval</c>). Health
    /// alone does not say it: Freshchat may send only some of the four events, so the message webhooks must be seen.
    /// </summary>
    public bool MessagesPushed
    {
        get
        {
            var now = time.GetUtcNow();
            lock (_gate)
            {
                return _options.Enabled && !_gap && _lastMessageAt is { } last && now - last < _options.GapWarningAfter;
            }
        }
    }

    /// <summary>A webhook was verified; <paramref name="action"/> is its <c>action</c> when known.</summary>
    public void Received(string? action = null)
    {
        lock (_gate)
        {
            _lastReceivedAt = time.GetUtcNow();
            if (action == WebhookNotification.MessageCreate)
            {
                _lastMessageAt = _lastReceivedAt;
            }

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
