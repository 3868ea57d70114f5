namespace FreshchatStream.Producer.Events;

/// <summary>
/// Where the capture engine sends change events: the seam between capture and Kafka. The capture strategies and
/// <c>CaptureBatch</c> depend only on this, so their rules (commit only after every event was acknowledged,
/// nothing committed when one fails) are tested against a recording sink; <c>ChangeEventPublisher</c> is the
/// Kafka implementation.
/// </summary>
public interface IChangeSink
{
    /// <summary>Makes the sink ready to accept events (for Kafka: topics provisioned, schemas registered).</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Starts a unit of work whose events are acknowledged together.</summary>
    IChangeSinkBatch BeginBatch();
}
