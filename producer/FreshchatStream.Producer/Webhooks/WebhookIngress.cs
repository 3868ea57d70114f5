using System.Collections.Concurrent;
using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.State;
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

    /// <summary>Redis could not be reached to check for a duplicate or to record the push signal (503: Freshchat retries).</summary>
    StoreUnavailable,
}

/// <summary>
/// Turns a verified webhook into a <c>webhook_events</c> record and a push signal, on any replica. The signal is
/// recorded in the account's Redis namespace first — the capturing instance, this one or another, starts refreshing
/// the conversation while Kafka acknowledges the record — and the request succeeds only once Kafka acknowledged it,
/// so a webhook Freshchat saw accepted is never lost, nor is its signal: when Redis cannot be reached the answer is
/// 503 and Freshchat retries. Acknowledged ids are remembered in Redis for <c>Webhooks:DedupTtl</c>, so retries of
/// one delivery (same body) are answered without publishing again, across replicas and restarts; concurrent
/// retries within one process wait for the first attempt. Across replicas a retry racing the first attempt (both
/// before the acknowledgement) may publish the record twice, always with the same <c>__event_id</c>.
/// </summary>
public sealed class WebhookIngress(
    WebhookSignature signature,
    ChangeEventPublisher publisher,
    ConversationSignals signals,
    IAcknowledgedWebhookStore acknowledgements,
    WebhookActivity activity,
    CaptureAccount account,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookIngress> logger,
    WebhookMetrics? metrics = null)
{
    private readonly WebhookOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Lazy<Task<bool>>> _inFlight = new(StringComparer.Ordinal);

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

        activity.Received(notification.Action);
        try
        {
            if (await acknowledgements.IsAcknowledgedAsync(notification.Id, cancellationToken).WaitAsync(_options.AckTimeout, time, cancellationToken))
            {
                // Its conversation was signalled when it was first accepted.
                metrics?.Request("duplicate", notification.Action);
                Log.Duplicate(logger, notification.Action, notification.Id, retryCount ?? "0");
                return WebhookResult.Duplicate;
            }

            if (notification.ConversationId is { } conversationId)
            {
                await signals.SignalAsync(conversationId, notification.Signal, cancellationToken)
                    .WaitAsync(_options.AckTimeout, time, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            metrics?.Request("store_unavailable", notification.Action);
            Log.StoreUnavailable(logger, notification.Action, notification.Id, e is TimeoutException ? $"no answer within {_options.AckTimeout}" : e.Message);
            return WebhookResult.StoreUnavailable;
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
            Log.NotAcknowledged(logger, notification.Action, notification.Id, _options.AckTimeout);
            return WebhookResult.Unavailable;
        }

        metrics?.Request("accepted", notification.Action);
        Log.Accepted(logger, notification.Action, notification.Id, notification.ConversationId ?? "none", retryCount ?? "0");
        return WebhookResult.Accepted;
    }

    /// <summary>
    /// Publishes once per id at a time in this process; an attempt that failed is forgotten so the next retry
    /// publishes again. The id is marked acknowledged before the attempt is forgotten, so a retry always finds one
    /// or the other.
    /// </summary>
    private async Task<bool> PublishAsync(WebhookNotification notification)
    {
        try
        {
            var batch = publisher.BeginBatch();
            await batch.AddAsync(ChangeEvent.ForEntity(CaptureCatalogue.WebhookEventsTopic, ChangeOp.Create, notification.ToEntity(), time.GetUtcNow(), account.Name,
                _options.Path));
            var outcome = await batch.CompleteAsync();
            if (!outcome.AllDelivered)
            {
                Log.PublishFailed(logger, notification.Id, outcome.Failures.FirstOrDefault()?.Reason ?? "not acknowledged");
                return false;
            }

            try
            {
                await acknowledgements.MarkAcknowledgedAsync(notification.Id, _options.DedupTtl);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The record and its signal are safe; only a later retry of it would be published again (same __event_id).
                Log.MarkFailed(logger, notification.Id, e.Message);
            }

            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.PublishFailed(logger, notification.Id, e.Message);
            return false;
        }
        finally
        {
            _inFlight.TryRemove(notification.Id, out _);
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
        Log.Refused(logger, name, reason);
        return result;
    }
}
