namespace FreshchatStream.Producer.State;

/// <summary>
/// Ids of webhooks Kafka already acknowledged, remembered for <c>Webhooks:DedupTtl</c> so that Freshchat's retry of
/// one delivery — to any replica, before or after a restart — is answered without publishing it again.
/// Implementations throw <see cref="CursorStoreUnavailableException"/> when the backing store cannot be reached.
/// </summary>
public interface IAcknowledgedWebhookStore
{
    Task<bool> IsAcknowledgedAsync(string webhookId, CancellationToken cancellationToken = default);

    /// <summary>Remembers <paramref name="webhookId"/> for <paramref name="ttl"/> unless it already is (the first mark's expiry stands).</summary>
    Task MarkAcknowledgedAsync(string webhookId, TimeSpan ttl, CancellationToken cancellationToken = default);
}
