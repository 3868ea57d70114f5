using FreshchatStream.Producer.Freshchat;

namespace FreshchatStream.Producer.Events;

/// <summary>
/// One unit of work of an <see cref="IChangeSink"/>: events (and rejected listing items, which are dead-lettered)
/// are handed over as they are added; <see cref="CompleteAsync"/> waits until the sink has said, for each of
/// them, whether it is persisted.
/// </summary>
public interface IChangeSinkBatch
{
    /// <summary>Records added and not yet completed.</summary>
    int Count { get; }

    ValueTask AddAsync(ChangeEvent change, CancellationToken cancellationToken = default);

    /// <summary>Dead-letters a listing item the client set aside; acknowledged like an event.</summary>
    ValueTask AddRejectedAsync(RejectedItem item, CancellationToken cancellationToken = default);

    /// <summary>Waits for every acknowledgement; cursors may advance only when the outcome says all were delivered.</summary>
    Task<DeliveryOutcome> CompleteAsync(CancellationToken cancellationToken = default);
}
