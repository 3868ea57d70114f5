using System.Collections.Concurrent;

namespace FreshchatStream.Producer.State;

/// <summary>
/// <see cref="IAcknowledgedWebhookStore"/> within one process, for the demo whose state is
/// <see cref="InMemoryCursorStore"/>: forgotten at exit, expired entries swept as new ones arrive.
/// </summary>
public sealed class InMemoryAcknowledgedWebhookStore(TimeProvider time) : IAcknowledgedWebhookStore
{
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);

    public Task<bool> IsAcknowledgedAsync(string webhookId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_expiries.TryGetValue(webhookId, out var expiry) && expiry > time.GetUtcNow());

    public Task MarkAcknowledgedAsync(string webhookId, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        _expiries.AddOrUpdate(webhookId, now + ttl, (_, expiry) => expiry > now ? expiry : now + ttl);
        if (_expiries.Count > SweepAbove)
        {
            foreach (var (id, expiry) in _expiries)
            {
                if (expiry <= now)
                {
                    _expiries.TryRemove(id, out _);
                }
            }
        }

        return Task.CompletedTask;
    }
}
