namespace FreshchatStream.Producer.Events;

/// <summary>
/// The result of a <see cref="PublishBatch"/>, known only after every delivery report arrived. Advance cursors
/// and fingerprints only when <see cref="AllDelivered"/> is true: then every event is persisted in Kafka
/// (acks=all) or, for unserializable records, in the dead-letter topic.
/// </summary>
public sealed record DeliveryOutcome(
    int Events,
    int Delivered,
    int DeadLettered,
    int Tombstones,
    int Skipped,
    IReadOnlyList<DeliveryFailure> Failures)
{
    /// <summary>The events Kafka persisted (not their tombstones or dead letters), in report order.</summary>
    public IReadOnlyList<ChangeEvent> DeliveredEvents { get; init; } = [];

    public bool AllDelivered => Failures.Count == 0 && Skipped == 0 && Delivered + DeadLettered == Events;
}

/// <summary>One record the batch could not persist: where it was going, its key, and why.</summary>
public sealed record DeliveryFailure(string Topic, string Key, string Reason, bool IsFatal = false);
