using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Webhooks;

/// <summary>Every <c>[LoggerMessage]</c> of this folder, so event ids, levels and texts are read and reviewed in one place.</summary>
internal static partial class Log
{
    // WebhookActivity
    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "Webhook gap: polling found {Count} new message(s) in conversation {ConversationId} but no webhook arrived for over {Window} (last: {LastReceived}); check the webhook URL, Webhooks:PublicKey and the events enabled in Freshchat's Admin > Webhooks. Open conversations are polled every cycle until a webhook arrives")]
    internal static partial void WebhookGap(ILogger logger, int count, string conversationId, string lastReceived, TimeSpan window);

    // WebhookIngress
    [LoggerMessage(EventId = 610, Level = LogLevel.Information, Message = "Webhook {Action} {WebhookId} acknowledged by Kafka (conversation {ConversationId}, X-Retry-Count {RetryCount})")]
    internal static partial void Accepted(ILogger logger, string action, string webhookId, string conversationId, string retryCount);

    [LoggerMessage(EventId = 611, Level = LogLevel.Information, Message = "Webhook {Action} {WebhookId} was already acknowledged (X-Retry-Count {RetryCount}); not published again")]
    internal static partial void Duplicate(ILogger logger, string action, string webhookId, string retryCount);

    [LoggerMessage(EventId = 612, Level = LogLevel.Warning, Message = "Webhook refused ({Result}): {Reason}")]
    internal static partial void Refused(ILogger logger, string result, string reason);

    [LoggerMessage(EventId = 613, Level = LogLevel.Warning, Message = "Webhook {Action} {WebhookId} not acknowledged by Kafka within {Timeout} (Webhooks:AckTimeout); answered 503 so Freshchat retries")]
    internal static partial void NotAcknowledged(ILogger logger, string action, string webhookId, TimeSpan timeout);

    [LoggerMessage(EventId = 614, Level = LogLevel.Warning, Message = "Webhook {WebhookId} could not be published: {Reason}")]
    internal static partial void PublishFailed(ILogger logger, string webhookId, string reason);

    [LoggerMessage(EventId = 616, Level = LogLevel.Warning, Message = "Webhook {Action} {WebhookId}: Redis could not be reached to check for a duplicate or record its push signal ({Reason}); answered 503 so Freshchat retries")]
    internal static partial void StoreUnavailable(ILogger logger, string action, string webhookId, string reason);

    [LoggerMessage(EventId = 617, Level = LogLevel.Warning, Message = "Webhook {WebhookId} was acknowledged by Kafka but could not be marked in Redis ({Reason}); a retry of it would be published again with the same __event_id")]
    internal static partial void MarkFailed(ILogger logger, string webhookId, string reason);
}
