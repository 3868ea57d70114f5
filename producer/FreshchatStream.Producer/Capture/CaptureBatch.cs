using System.Diagnostics;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing;
using FreshchatStream.Producer.State;

namespace FreshchatStream.Producer.Capture;

/// <summary>
/// Pairs the events of a unit of work with the state change they justify. Events go to Kafka as they are
/// added to the <see cref="IChangeSink"/> (Kafka in production); <see cref="FlushAsync"/> waits for every delivery report and only then commits the staged state in
/// one atomic step. A batch that reaches <c>Capture:BatchSize</c> flushes itself, which bounds memory and
/// how much a crash can repeat. Strategies stage a cursor only together with the last events it covers.
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
    private readonly Dictionary<ChangeOp, int> _pendingByOp = [];
    private readonly Dictionary<string, int> _addedByResource = new(StringComparer.Ordinal);

    /// <summary>Events added for <paramref name="resource"/> so far (acknowledged or about to be).</summary>
    public int Added(string resource) => _addedByResource.GetValueOrDefault(resource);

    public async ValueTask AddAsync(ChangeEvent change, CancellationToken cancellationToken)
    {
        // The batch's span runs from its first record to its acknowledgement; it is not made current, so the
        // Freshchat requests between additions stay children of the pass.
        _activity ??= StartBatchActivity();
        await _events.AddAsync(change, cancellationToken);
        _pendingByOp[change.Op] = _pendingByOp.GetValueOrDefault(change.Op) + 1;
        _addedByResource[change.Resource.Resource] = _addedByResource.GetValueOrDefault(change.Resource.Resource) + 1;
        if (_events.Count >= _batchSize)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>Dead-letters a listing item the client set aside; committed with the batch like an event.</summary>
    public async ValueTask AddRejectedAsync(Freshchat.RejectedItem item, CancellationToken cancellationToken)
    {
        await _events.AddRejectedAsync(item, cancellationToken);
        if (_events.Count >= _batchSize)
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// <summary>Records this batch wrote to the dead-letter topic and had acknowledged so far.</summary>
    public int DeadLettered { get; private set; }

    /// <summary>
    /// Waits for Kafka to acknowledge every event added since the last flush, then commits the staged state.
    /// Throws <see cref="DeliveryIncompleteException"/> (nothing committed) when any record was not persisted.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_events.Count == 0 && _state.IsEmpty)
        {
            return;
        }

        // A stop request must not strand records that librdkafka already has: wait for their reports regardless,
        // bounded by the delivery timeout inside CompleteAsync, so what was delivered is also committed.
        var activity = _activity;
        _activity = null;
        using var _ = activity;
        var outcome = await _events.CompleteAsync(CancellationToken.None);
        activity?.SetTag("kafka.events", outcome.Events);
        activity?.SetTag("kafka.delivered", outcome.Delivered);
        activity?.SetTag("kafka.dead_lettered", outcome.DeadLettered);
        if (!outcome.AllDelivered)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "not every record was acknowledged");
            await RememberDeliveredAsync(outcome);
            throw new DeliveryIncompleteException(outcome);
        }

        await _store.CommitAsync(_state, CancellationToken.None);
        Acknowledged += outcome.Events;
        DeadLettered += outcome.DeadLettered;
        foreach (var (op, count) in _pendingByOp)
        {
            _acknowledgedByOp[op] = _acknowledgedByOp.GetValueOrDefault(op) + count;
        }

        _pendingByOp.Clear();
        _events = _sink.BeginBatch();
        _state = new StateCommit();
        _acknowledged?.Invoke(Acknowledged);
        cancellationToken.ThrowIfCancellationRequested();
    }

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
