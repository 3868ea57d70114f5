using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.Publishing.Kafka;
using FreshchatStream.Producer.State;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// Tells a state store that lost its data from a first run, before the store's marker is created. Keys a
/// commit racing the loss may have written are cleared first: a users cursor without its fingerprints would
/// skip the older users and, with them, the discovery of their conversations. If this deployment's topics
/// already hold captured events the loss is logged as a warning and recorded in meta
/// <see cref="MetaFields.Resnapshot"/>: until a cycle succeeds for every resource, entities and messages
/// without stored state are emitted as <c>r</c> (a re-snapshot; unchanged versions repeat their
/// <c>__event_id</c>, so consumers deduplicate them).
/// </summary>
public sealed class StateLossRecovery(ICursorStore store, IPublishedHistory history, ILogger<StateLossRecovery> logger)
{
    /// <summary>
    /// Prepares a store whose marker is missing. Throws when Kafka cannot say whether events were published
    /// (the cycle then fails and the next one decides again, since the marker is still missing).
    /// </summary>
    public async Task PrepareAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var captured = history.CountCaptured();
        foreach (var resource in CaptureCatalogue.Names.Append(ICursorStore.DiscoveryQueue))
        {
            await store.ResetAsync(resource, cancellationToken);
        }

        if (captured == 0)
        {
            return;
        }

        Log.StateLost(logger, captured);
        await store.CommitAsync(new StateCommit().SetMeta(MetaFields.Resnapshot, MetaFields.Format(now)), cancellationToken);
    }
}
