using System.Collections.Concurrent;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Webhooks;

/// <summary>What the endpoint answers for one webhook request.</summary>
public enum WebhookResult
{
    /// <summary>Verified and acknowledged by Kafka (200).</summary>
    Accepted,

    /// <summary>A retry of a webhook already acknowledged (200, nothing published again).</summary>
    Duplicate,

    /// <summary>No <c>X-Freshchat-Signature</c> (401).</summary>
    Unsigned,

    /// <summary>A signature that does not verify against <c>Webhooks:PublicKey</c> (401).</summary>
    BadSignature,

    /// <summary>Larger than <c>Webhooks:MaxBodyBytes</c> (413).</summary>
    TooLarge,

    /// <summary>Signed, but not a JSON object with an <c>action</c> (400).</summary>
    Malformed,

    /// <summary>Kafka did not acknowledge within <c>Webhooks:AckTimeout</c> (503: Freshchat retries).</summary>
    Unavailable,
}

/// <summary>
/// Turns a verified webhook into a <c>webhook_events</c> record and a push signal. The signal goes first — the
/// capture loop starts refreshing the conversation while Kafka acknowledges the record — and the request succeeds
/// only once Kafka acknowledged it, so a webhook Freshchat saw accepted is never lost. Retries of an acknowledged
/// webhook (same body) are answered without publishing again; concurrent retries wait for the first attempt.
/// </summary>
public sealed partial class WebhookIngress(
    WebhookSignature signature,
    ChangeEventPublisher publisher,
    ConversationSignals signals,
    WebhookActivity activity,
    CaptureAccount account,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookIngress> logger,
    WebhookMetrics? metrics = null)
{
    /// <summary>Acknowledged ids remembered for deduplication; older ones are forgotten first (a retry after that repeats the record, same <c>__event_id</c>).</summary>
    internal const int RememberedIds = 50_000;

    private readonly WebhookOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Lazy<Task<bool>>> _inFlight = new(StringComparer.Ordinal);
    private readonly HashSet<string> _acknowledged = new(StringComparer.Ordinal);
    private readonly Queue<string> _acknowledgedOrder = new();
    private readonly Lock _gate = new();

    public async Task<WebhookResult> AcceptAsync(ReadOnlyMemory<byte> body, string? signatureHeader, string? payloadVersion, string? retryCount,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(signatureHeader))
        {
            return Reject(WebhookResult.Unsigned, "no X-Freshchat-Signature header");
        }

        if (!signature.Verify(body.Span, signatureHeader))
        {
            return Reject(WebhookResult.BadSignature, "the signature does not match the body and Webhooks:PublicKey");
        }

        if (WebhookNotification.TryParse(body, payloadVersion, out var problem) is not { } notification)
        {
            return Reject(WebhookResult.Malformed, problem);
        }

        activity.Received();
        if (IsAcknowledged(notification.Id))
        {
            // Its conversation was signalled when it was first accepted.
            metrics?.Request("duplicate", notification.Action);
            LogDuplicate(logger, notification.Action, notification.Id, retryCount ?? "0");
            return WebhookResult.Duplicate;
        }

        if (notification.ConversationId is { } conversationId)
        {
            signals.Signal(conversationId, messagesOnly: notification.Action == "message_create");
        }

        var attempt = _inFlight.GetOrAdd(notification.Id, _ => new Lazy<Task<bool>>(() => PublishAsync(notification))).Value;
        bool acknowledged;
        try
        {
            acknowledged = await attempt.WaitAsync(_options.AckTimeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            acknowledged = false;
        }

        if (!acknowledged)
        {
            metrics?.Request("unavailable", notification.Action);
            LogUnavailable(logger, notification.Action, notification.Id, _options.AckTimeout);
            return WebhookResult.Unavailable;
        }

        metrics?.Request("accepted", notification.Action);
        LogAccepted(logger, notification.Action, notification.Id, notification.ConversationId ?? "none", retryCount ?? "0");
        return WebhookResult.Accepted;
    }

    /// <summary>Publishes once per id at a time; an attempt that failed is forgotten so the next retry publishes again.</summary>
    private async Task<bool> PublishAsync(WebhookNotification notification)
    {
        try
        {
            var batch = publisher.BeginBatch();
            await batch.AddAsync(ChangeEvent.ForEntity(PublishedResources.WebhookEvents, ChangeOp.Create, notification.ToEntity(), time.GetUtcNow(), account.Name,
                _options.Path));
            var outcome = await batch.CompleteAsync();
            if (outcome.AllDelivered)
            {
                Remember(notification.Id);
                return true;
            }

            LogPublishFailed(logger, notification.Id, outcome.Failures.FirstOrDefault()?.Reason ?? "not acknowledged");
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPublishFailed(logger, notification.Id, e.Message);
            return false;
        }
        finally
        {
            _inFlight.TryRemove(notification.Id, out _);
        }
    }

    private bool IsAcknowledged(string id)
    {
        lock (_gate)
        {
            return _acknowledged.Contains(id);
        }
    }

    private void Remember(string id)
    {
        lock (_gate)
        {
            if (_acknowledged.Add(id))
            {
                _acknowledgedOrder.Enqueue(id);
                if (_acknowledgedOrder.Count > RememberedIds)
                {
                    _acknowledged.Remove(_acknowledgedOrder.Dequeue());
                }
            }
        }
    }

    private WebhookResult Reject(WebhookResult result, string reason)
    {
        var name = result switch
        {
            WebhookResult.Unsigned => "unsigned",
            WebhookResult.BadSignature => "bad_signature",
            _ => "malformed",
        };
        metrics?.Request(name);
        LogRejected(logger, name, reason);
        return result;
    }

    [LoggerMessage(EventId = 610, Level = LogLevel.Information, Message = "Webhook {Action} {WebhookId} acknowledged by Kafka (conversation {ConversationId}, X-Retry-Count {RetryCount})")]
    private static partial void LogAccepted(ILogger logger, string action, string webhookId, string conversationId, string retryCount);

    [LoggerMessage(EventId = 611, Level = LogLevel.Information, Message = "Webhook {Action} {WebhookId} was already acknowledged (X-Retry-Count {RetryCount}); not published again")]
    private static partial void LogDuplicate(ILogger logger, string action, string webhookId, string retryCount);

    [LoggerMessage(EventId = 612, Level = LogLevel.Warning, Message = "Webhook refused ({Result}): {Reason}")]
    private static partial void LogRejected(ILogger logger, string result, string reason);

    [LoggerMessage(EventId = 613, Level = LogLevel.Warning, Message = "Webhook {Action} {WebhookId} not acknowledged by Kafka within {Timeout} (Webhooks:AckTimeout); answered 503 so Freshchat retries")]
    private static partial void LogUnavailable(ILogger logger, string action, string webhookId, TimeSpan timeout);

    [LoggerMessage(EventId = 614, Level = LogLevel.Warning, Message = "Webhook {WebhookId} could not be published: {Reason}")]
    private static partial void LogPublishFailed(ILogger logger, string webhookId, string reason);
}
