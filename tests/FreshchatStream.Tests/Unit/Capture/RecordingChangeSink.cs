using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Freshchat;

namespace FreshchatStream.Tests.Unit.Capture;

/// <summary>
/// An <see cref="IChangeSink"/> for unit tests of the capture engine and its strategies: it records every event
/// and rejected item handed over, and acknowledges each batch the way the test scripts it: all delivered (the
/// default), some events failed (<see cref="FailWhen"/>), or held until the test calls
/// <see cref="ReleaseAcknowledgements"/> (to observe the state before Kafka has answered).
/// </summary>
public sealed class RecordingChangeSink : IChangeSink
{
    private readonly object _gate = new();
    private readonly List<ChangeEvent> _added = [];
    private readonly List<ChangeEvent> _acknowledged = [];
    private readonly List<RejectedItem> _rejected = [];
    private TaskCompletionSource? _hold;

    /// <summary>Events whose delivery fails; such a batch completes with a failure and is not acknowledged.</summary>
    public Func<ChangeEvent, bool> FailWhen { get; set; } = _ => false;

    public int Initializations { get; private set; }

    /// <summary>Batches completed so far, acknowledged or not.</summary>
    public int CompletedBatches { get; private set; }

    /// <summary>Every event added, in order, whatever became of it.</summary>
    public IReadOnlyList<ChangeEvent> Added
    {
        get { lock (_gate) { return [.. _added]; } }
    }

    /// <summary>The events of batches that completed with every record delivered.</summary>
    public IReadOnlyList<ChangeEvent> Acknowledged
    {
        get { lock (_gate) { return [.. _acknowledged]; } }
    }

    /// <summary>Rejected listing items handed over for the dead-letter topic.</summary>
    public IReadOnlyList<RejectedItem> Rejected
    {
        get { lock (_gate) { return [.. _rejected]; } }
    }

    public Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        Initializations++;
        return Task.CompletedTask;
    }

    public IChangeSinkBatch BeginBatch() => new Batch(this);

    /// <summary>From now on, batches complete only after <see cref="ReleaseAcknowledgements"/>.</summary>
    public void HoldAcknowledgements()
    {
        lock (_gate)
        {
            _hold ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets held batches (and later ones) complete.</summary>
    public void ReleaseAcknowledgements()
    {
        TaskCompletionSource? hold;
        lock (_gate)
        {
            hold = _hold;
            _hold = null;
        }

        hold?.TrySetResult();
    }

    private sealed class Batch(RecordingChangeSink sink) : IChangeSinkBatch
    {
        private readonly List<ChangeEvent> _events = [];
        private int _rejected;

        public int Count => _events.Count + _rejected;

        public ValueTask AddAsync(ChangeEvent change, CancellationToken cancellationToken = default)
        {
            lock (sink._gate)
            {
                sink._added.Add(change);
            }

            _events.Add(change);
            return ValueTask.CompletedTask;
        }

        public ValueTask AddRejectedAsync(RejectedItem item, CancellationToken cancellationToken = default)
        {
            lock (sink._gate)
            {
                sink._rejected.Add(item);
            }

            _rejected++;
            return ValueTask.CompletedTask;
        }

        public async Task<DeliveryOutcome> CompleteAsync(CancellationToken cancellationToken = default)
        {
            Task? hold;
            lock (sink._gate)
            {
                hold = sink._hold?.Task;
            }

            if (hold is not null)
            {
                await hold.WaitAsync(cancellationToken);
            }

            var failed = _events.Where(sink.FailWhen).ToList();
            var delivered = _events.Except(failed).ToList();
            var outcome = new DeliveryOutcome(
                _events.Count + _rejected,
                delivered.Count,
                _rejected,
                Tombstones: 0,
                Skipped: 0,
                [.. failed.Select(e => new DeliveryFailure(e.Resource.Resource, e.Key.Id, "scripted failure"))])
            {
                DeliveredEvents = delivered,
            };
            lock (sink._gate)
            {
                sink.CompletedBatches++;
                if (outcome.AllDelivered)
                {
                    sink._acknowledged.AddRange(_events);
                }
            }

            return outcome;
        }
    }
}
