using FreshchatStream.Producer.State;
using StackExchange.Redis;

namespace FreshchatStream.Producer.Capture.Progress;

/// <summary>
/// Keeps <see cref="InFlightProgress"/> in Redis under <c>{KeyPrefix}:progress</c> with a TTL, so a killed run's
/// progress disappears by itself. Outside the capture state: never part of a commit, never fencing anything. With a
/// state store other than Redis (the demo's in-memory one) there is nothing to share and calls do nothing.
/// </summary>
public sealed class ProgressStore(ICursorStore store)
{
    private readonly RedisCursorStore? _redis = store as RedisCursorStore;

    public async Task PublishAsync(InFlightProgress progress, TimeSpan ttl, CancellationToken cancellationToken)
    {
        if (_redis is { } redis)
        {
            await redis.RunOutsideStateAsync(db => db.StringSetAsync(redis.Keys.Progress, progress.Serialize(), ttl), cancellationToken);
        }
    }

    public async Task ClearAsync(CancellationToken cancellationToken)
    {
        if (_redis is { } redis)
        {
            await redis.RunOutsideStateAsync(db => db.KeyDeleteAsync(redis.Keys.Progress), cancellationToken);
        }
    }

    /// <summary>The running instance's progress, or null when no cycle is in flight.</summary>
    public async Task<InFlightProgress?> LoadAsync(CancellationToken cancellationToken)
    {
        if (_redis is not { } redis)
        {
            return null;
        }

        var value = await redis.RunOutsideStateAsync(db => db.StringGetAsync(redis.Keys.Progress), cancellationToken);
        return InFlightProgress.Load(value.HasValue ? value.ToString() : null);
    }
}
