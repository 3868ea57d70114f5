using System.Diagnostics;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.State;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// Pairs the events of a unit of work with the state change they justify. Events go to Kafka as they are
/// added to the <see cref="IChangeSink"/> (Kafka in production); <see cref="FlushAsync"/> waits for every delivery report and only then commits the staged state in
/// one atomic step. A batch that reaches <c>Capture:BatchSize</c> hands itself over to be acknowledged and
/// committed in the background while the next one is built (at most one is in flight), which bounds memory and
/// how much a crash can repeat without waiting for Kafka at every batch. Commits stay in batch order: batch N+1 is
/// committed only after N was, and once a batch fails nothing later is ever committed by this instance (the
/// failure is rethrown by every later call). Strategies stage a cursor only together with the last events it covers.
/// </summary>
public sealed class CaptureBatch
{
    private readonly IChangeSink _sink;
    private readonly ICursorStore _store;
    private readonly int _batchSize;
    private IChangeSinkBatch _events;
    private readonly Action<int>? _acknowledged;
    private StateCommit _state = new();
    private Activity? _activity;
    private Task<Acknowledgement>? _inFlight;
    private Exception? _failure;

    /// <param name="acknowledged">Called after each committed flush with the running total (progress display).</param>
    public CaptureBatch(IChangeSink sink, ICursorStore store, int batchSize, Action<int>? acknowledged = null)
    {
        _sink = sink;
        _store = store;
        _batchSize = batchSize;
        _acknowledged = acknowledged;
        _events = sink.BeginBatch();
    }

    /// <summary>Resources whose first versions persisted in a failed batch are remembered (see <see cref="FlushAsync"/>).</summary>
    public IReadOnlyCollection<string> ScannedForDeletions { get; init; } = [];

    /// <summary>State to commit with the events added so far.</summary>
    public StateCommit State => _state;

    /// <summary>Events acknowledged (flushed and committed) so far.</summary>
    public int Acknowledged { get; private set; }

    /// <summary>Events per operation acknowledged so far (for logs and metrics).</summary>
    public IReadOnlyDictionary<ChangeOp, int> AcknowledgedByOp => _acknowledgedByOp;

    private readonly Dictionary<ChangeOp, int> _acknowledgedByOp = [];
    private Dictionary<ChangeOp, int> _pendingByOp = [];
    private readonly Dictionary<string, int> _addedByResource = new(StringComparer.Ordinal);

    /// <summary>Events added for <paramref name="resource"/> so far (acknowledged or about to be).</summary>
    public int Added(string resource) => _addedByResource.GetValueOrDefault(resource);

    public async ValueTask AddAsync(ChangeEvent change, CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        // The batch's span runs from its first record to its acknowledgement; it is not made current, so the
        // Freshchat requests between additions stay children of the pass.
        _activity ??= StartBatchActivity();
        await _events.AddAsync(change, cancellationToken);
        _pendingByOp[change.Op] = _pendingByOp.GetValueOrDefault(change.Op) + 1;
        _addedByResource[change.Resource.Resource] = _addedByResource.GetValueOrDefault(change.Resource.Resource) + 1;
        if (_events.Count >= _batchSize)
        {
            await HandOverAsync(cancellationToken);
        }
    }

    /// <summary>Dead-letters a listing item the client set aside; committed with the batch like an event.</summary>
    public async ValueTask AddRejectedAsync(Freshchat.RejectedItem item, CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        await _events.AddRejectedAsync(item, cancellationToken);
        if (_events.Count >= _batchSize)
        {
            await HandOverAsync(cancellationToken);
        }
    }

    /// <summary>Records this batch wrote to the dead-letter topic and had acknowledged so far.</summary>
    public int DeadLettered { get; private set; }

    /// <summary>
    /// Waits for Kafka to acknowledge every event added so far (the batch in flight first, then the current one)
    /// and commits their staged state, in that order. Throws <see cref="DeliveryIncompleteException"/> (nothing of
    /// that batch or any later one committed) when any record was not persisted.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        await AwaitInFlightAsync();
        if (_events.Count == 0 && _state.IsEmpty)
        {
            return;
        }

        // A stop request must not strand records that librdkafka already has: wait for their reports regardless,
        // bounded by the delivery timeout inside CompleteAsync, so what was delivered is also committed.
        Account(await Guard(AcknowledgeAsync(TakeCurrent())));
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// The current batch is full: waits for the one already in flight (so commits stay in order), then starts
    /// acknowledging this one in the background and opens the next.
    /// </summary>
    private async Task HandOverAsync(CancellationToken cancellationToken)
    {
        await AwaitInFlightAsync();
        _inFlight = AcknowledgeAsync(TakeCurrent());
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task AwaitInFlightAsync()
    {
        if (_inFlight is not { } inFlight)
        {
            return;
        }

        _inFlight = null;
        Account(await Guard(inFlight));
    }

    /// <summary>
    /// Awaits an acknowledgement; on failure the batch stops for good. Records of the batch being built may already
    /// be in Kafka, so they are completed and remembered the way a failed batch's own are (see
    /// <see cref="RememberDeliveredAsync"/>); their state is never committed.
    /// </summary>
    private async Task<Acknowledgement> Guard(Task<Acknowledgement> acknowledgement)
    {
        try
        {
            return await acknowledgement;
        }
        catch (Exception e)
        {
            _failure = e;
            var later = TakeCurrent();
            if (later.Events.Count > 0)
            {
                try
                {
                    var outcome = await later.Events.CompleteAsync(CancellationToken.None);
                    await RememberDeliveredAsync(outcome);
                }
                catch (Exception)
                {
                    // Kafka or Redis is failing already; the pass fails with the first error and is repeated.
                }
                finally
                {
                    later.Activity?.Dispose();
                }
            }

            throw;
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    private PendingBatch TakeCurrent()
    {
        var pending = new PendingBatch(_events, _state, _pendingByOp, _activity);
        _events = _sink.BeginBatch();
        _state = new StateCommit();
        _pendingByOp = [];
        _activity = null;
        return pending;
    }

    private async Task<Acknowledgement> AcknowledgeAsync(PendingBatch batch)
    {
        using var activity = batch.Activity;
        var outcome = await batch.Events.CompleteAsync(CancellationToken.None);
        activity?.SetTag("kafka.events", outcome.Events);
        activity?.SetTag("kafka.delivered", outcome.Delivered);
        activity?.SetTag("kafka.dead_lettered", outcome.DeadLettered);
        if (!outcome.AllDelivered)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "not every record was acknowledged");
            await RememberDeliveredAsync(outcome);
            throw new DeliveryIncompleteException(outcome);
        }

        await _store.CommitAsync(batch.State, CancellationToken.None);
        return new Acknowledgement(outcome.Events, outcome.DeadLettered, batch.ByOp);
    }

    /// <summary>Counts an acknowledged batch, on the caller's flow (the counters are not shared with the background).</summary>
    private void Account(Acknowledgement acknowledgement)
    {
        Acknowledged += acknowledgement.Events;
        DeadLettered += acknowledgement.DeadLettered;
        foreach (var (op, count) in acknowledgement.ByOp)
        {
            _acknowledgedByOp[op] = _acknowledgedByOp.GetValueOrDefault(op) + count;
        }

        _acknowledged?.Invoke(Acknowledged);
    }

    private sealed record PendingBatch(IChangeSinkBatch Events, StateCommit State, Dictionary<ChangeOp, int> ByOp, Activity? Activity);

    private sealed record Acknowledgement(int Events, int DeadLettered, Dictionary<ChangeOp, int> ByOp);

    private static Activity? StartBatchActivity()
    {
        var previous = Activity.Current;
        var activity = CaptureMetrics.ActivitySource.StartActivity("kafka batch", ActivityKind.Producer);
        Activity.Current = previous;
        return activity;
    }

    /// <summary>
    /// A failed batch acknowledges nothing, yet Kafka may have persisted some of its events. For a first version
    /// (<c>c</c>) of a resource whose deletions are found by scanning stored ids, that would leave an entity in the
    /// topics that Redis does not know: deleted before the next cycle repeats it, it would never get its
    /// <c>d</c>. Its id is therefore stored with <see cref="ChangeDetector.Unacknowledged"/>, which the next cycle
    /// treats as not yet captured (the version is published again, same <c>__event_id</c>) and a deletion scan
    /// treats as known. Best effort: if Redis is down too, the pass fails as it would anyway.
    /// </summary>
    private async Task RememberDeliveredAsync(DeliveryOutcome outcome)
    {
        var commit = new StateCommit();
        foreach (var change in outcome.DeliveredEvents)
        {
            if (change.Op == ChangeOp.Create && ScannedForDeletions.Contains(change.Resource.Resource))
            {
                commit.SetFingerprint(change.Resource.Resource, change.Key.Id, ChangeDetector.Unacknowledged);
            }
        }

        if (commit.IsEmpty)
        {
            return;
        }

        try
        {
            await _store.CommitAsync(commit, CancellationToken.None);
        }
        catch (CursorStoreUnavailableException)
        {
            // Redis is down as well: the pass fails and is repeated; the gap closes when both answer again.
        }
    }
}

/// <summary>Kafka did not persist every event of a batch: nothing of it was acknowledged and it will be repeated.</summary>
public sealed class DeliveryIncompleteException(DeliveryOutcome outcome)
    : Exception($"{outcome.Events - outcome.Delivered - outcome.DeadLettered} of {outcome.Events} event(s) not acknowledged"
        + (outcome.Failures.Count > 0 ? $": {outcome.Failures[0].Reason}" : "."))
{
    public DeliveryOutcome Outcome { get; } = outcome;

    public bool IsFatal => Outcome.Failures.Any(f => f.IsFatal);
}
