using System.Globalization;
using StackExchange.Redis;

namespace FreshchatStream.Producer.State;

/// <summary>
/// <see cref="IAcknowledgedWebhookStore"/> in the account's Redis namespace: one key per acknowledged webhook
/// (<see cref="RedisKeys.AcknowledgedWebhook"/>) holding when it was acknowledged, set with <c>NX PX</c> so Redis
/// forgets it by itself. Outside the capture state, on the state store's connection.
/// </summary>
public sealed class RedisAcknowledgedWebhookStore(RedisCursorStore store, TimeProvider time) : IAcknowledgedWebhookStore
{
    public Task<bool> IsAcknowledgedAsync(string webhookId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(webhookId);
        return store.RunOutsideStateAsync(db => db.KeyExistsAsync(store.Keys.AcknowledgedWebhook(webhookId)), cancellationToken);
    }

    public Task MarkAcknowledgedAsync(string webhookId, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(webhookId);
        var acknowledgedAt = time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        return store.RunOutsideStateAsync(db => db.StringSetAsync(store.Keys.AcknowledgedWebhook(webhookId), acknowledgedAt, ttl, When.NotExists), cancellationToken);
    }
}
