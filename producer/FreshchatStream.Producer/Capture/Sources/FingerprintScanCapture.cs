using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat;
using FreshchatStream.Producer.Freshchat.Models;
using FreshchatStream.Producer.Publishing;
using Microsoft.Extensions.Logging;

namespace FreshchatStream.Producer.Capture.Sources;

/// <summary>
/// The strategy for small catalogues (agents, groups, channels, roles): list everything each cycle, emit
/// <c>c</c>/<c>u</c> where the fingerprint differs, and after a complete listing treat stored ids that were
/// not listed as deletion candidates. A candidate becomes <c>d</c> + tombstone only once confirmed
/// (<see cref="ConfirmMissingAsync"/>), so a listing that skipped an item under concurrent change never
/// deletes it. A pass that would delete more than half of the known ids waits for a second, agreeing listing
/// (<see cref="MassDeletionGuard"/>).
/// </summary>
public abstract class FingerprintScanCapture<T>(ILogger logger) : IResourceCapture where T : FreshchatRecord
{
    private const int ChunkSize = 100;

    protected ILogger Logger { get; } = logger;

    /// <summary>The entity topic this strategy maintains.</summary>
    protected abstract TopicDescriptor Topic { get; }

    /// <summary>The list endpoint, used as <c>__endpoint</c> of listed entities (e.g. <c>/v2/groups</c>).</summary>
    protected abstract string ListEndpoint { get; }

    public virtual IReadOnlyList<string> Resources => [Topic.Resource];

    public IReadOnlyCollection<string> ScannedForDeletions => [Topic.Resource];

    protected abstract IAsyncEnumerable<T> ListAsync(IFreshchatClient freshchat, CancellationToken cancellationToken);

    protected abstract string IdOf(T entity);

    /// <summary>
    /// Of the ids a complete listing did not return, those that are really gone. By default a second listing
    /// must miss them too (the catalogue has no GET by id); strategies with one override it to ask by id.
    /// </summary>
    protected virtual async Task<IReadOnlyCollection<string>> ConfirmMissingAsync(CaptureContext context, IReadOnlyCollection<string> candidates, CancellationToken cancellationToken)
    {
        var stillMissing = new HashSet<string>(candidates, StringComparer.Ordinal);
        await foreach (var entity in ListAsync(context.Freshchat, cancellationToken))
        {
            stillMissing.Remove(IdOf(entity));
        }

        return stillMissing;
    }

    /// <summary>The candidates a direct GET answers 404 for (<paramref name="get"/> returns null): the API's own word that they are gone.</summary>
    protected static async Task<IReadOnlyCollection<string>> ConfirmGoneByIdAsync(IReadOnlyCollection<string> candidates, Func<string, Task<T?>> get)
    {
        var gone = new List<string>();
        foreach (var id in candidates)
        {
            if (await get(id) is null)
            {
                gone.Add(id);
            }
        }

        return gone;
    }

    /// <summary>Extra work on each chunk of listed entities (agent availability); runs in every mode.</summary>
    protected virtual Task OnChunkAsync(CaptureContext context, IReadOnlyList<T> chunk, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Extra state to stage with an emitted <c>c</c>/<c>u</c>/<c>r</c> event (e.g. queue a user for conversation discovery).</summary>
    protected virtual void OnEmitted(CaptureContext context, T entity, string id, ChangeOp op)
    {
    }

    /// <summary>Extra work for a confirmed deletion, staged in the same batch as its <c>d</c> event.</summary>
    protected virtual void OnDeleted(CaptureContext context, string id)
    {
    }

    public virtual async Task CaptureAsync(CaptureContext context, CancellationToken cancellationToken)
    {
        var emitEntities = context.Selected.Contains(Topic.Resource);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await ScanAsync(context, ListAsync(context.Freshchat, cancellationToken), seen, emitEntities, observe: null, cancellationToken);
        if (emitEntities && context.Mode == CaptureMode.Changes)
        {
            await DeleteMissingAsync(context, seen, cancellationToken);
            context.Batch.State.SetMeta(MetaFields.LastReconcileAt(Topic.Resource), MetaFields.Format(context.Now));
        }
    }

    /// <summary>
    /// Reads <paramref name="entities"/> in chunks, emitting what changed (when <paramref name="emitEntities"/>)
    /// and staging the fingerprints; every listed id is added to <paramref name="seen"/>.
    /// </summary>
    protected async Task ScanAsync(CaptureContext context, IAsyncEnumerable<T> entities, HashSet<string> seen, bool emitEntities,
        Action<T>? observe, CancellationToken cancellationToken)
    {
        var chunk = new List<T>(ChunkSize);
        await foreach (var entity in entities.WithCancellation(cancellationToken))
        {
            if (!seen.Add(IdOf(entity)))
            {
                continue; // paging under concurrent change can repeat an item; one version per cycle is enough
            }

            observe?.Invoke(entity);
            context.Progress.Advance();
            chunk.Add(entity);
            if (chunk.Count == ChunkSize)
            {
                await ProcessChunkAsync(context, chunk, emitEntities, cancellationToken);
                chunk.Clear();
            }
        }

        await ProcessChunkAsync(context, chunk, emitEntities, cancellationToken);
    }

    private async Task ProcessChunkAsync(CaptureContext context, List<T> chunk, bool emitEntities, CancellationToken cancellationToken)
    {
        if (chunk.Count == 0)
        {
            return;
        }

        if (emitEntities)
        {
            var stored = await context.Store.GetFingerprintsAsync(Topic.Resource, chunk.Select(IdOf).ToList(), cancellationToken);
            foreach (var entity in chunk)
            {
                var id = IdOf(entity);
                var decision = ChangeDetector.Decide(entity.Json, stored.GetValueOrDefault(id), context.Mode, context.FirstSeenOp);
                if (decision.Op is { } op)
                {
                    await context.Batch.AddAsync(context.Entity(Topic, op, entity.Json, ListEndpoint, decision.Fingerprint), cancellationToken);
                    context.Batch.State.SetFingerprint(Topic.Resource, id, decision.Fingerprint);
                    OnEmitted(context, entity, id, op);
                }
            }
        }

        await OnChunkAsync(context, chunk, cancellationToken);
    }

    /// <summary>Emits <c>d</c> for stored ids a complete listing (<paramref name="seen"/>) missed and <see cref="ConfirmMissingAsync"/> confirmed.</summary>
    protected async Task DeleteMissingAsync(CaptureContext context, HashSet<string> seen, CancellationToken cancellationToken)
    {
        var candidates = new List<string>();
        var known = 0;
        await foreach (var (id, _) in context.Store.ScanFingerprintsAsync(Topic.Resource, cancellationToken))
        {
            known++;
            if (!seen.Contains(id))
            {
                candidates.Add(id);
            }
        }

        var heldField = MetaFields.DeletionsHeld(Topic.Resource);
        var held = context.Meta.GetValueOrDefault(heldField);
        if (!MassDeletionGuard.IsMassDeletion(candidates.Count, known))
        {
            if (!string.IsNullOrEmpty(held))
            {
                context.Batch.State.SetMeta(heldField, string.Empty);
            }
        }
        else
        {
            var decision = MassDeletionGuard.Decide(candidates, held, context.Now, context.Options.PollInterval);
            context.Batch.State.SetMeta(heldField, decision.State);
            if (!decision.Proceed)
            {
                Log.DeletionsHeld(Logger, Topic.Resource, candidates.Count, known, decision.HeldSince, context.Options.PollInterval);
                return;
            }

            Log.DeletionsAgreed(Logger, Topic.Resource, candidates.Count, decision.HeldSince);
        }

        if (candidates.Count == 0)
        {
            return;
        }

        var confirmed = await ConfirmMissingAsync(context, candidates, cancellationToken);
        Log.DeletionsConfirmed(Logger, Topic.Resource, candidates.Count, confirmed.Count);
        foreach (var id in confirmed)
        {
            await context.Batch.AddAsync(context.Deleted(Topic, id, $"{ListEndpoint}/{id}"), cancellationToken);
            context.Batch.State.RemoveFingerprint(Topic.Resource, id);
            OnDeleted(context, id);
        }
    }
}
