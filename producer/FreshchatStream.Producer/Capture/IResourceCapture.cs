namespace FreshchatStream.Producer.Capture;

/// <summary>
/// The capture strategy of one or more resources (Debezium's change event source role): reads Freshchat the
/// cheapest way that still sees every change, turns what changed into events on a <see cref="CaptureBatch"/>,
/// and stages the state to commit once Kafka acknowledged them.
/// </summary>
public interface IResourceCapture
{
    /// <summary>The resources (topic names) this strategy produces; a cycle runs it when any is selected.</summary>
    IReadOnlyList<string> Resources { get; }

    /// <summary>
    /// Resources whose deletions are found by scanning stored fingerprints against a complete listing: a first
    /// version Kafka persisted in a failed batch is remembered for them (see <see cref="CaptureBatch"/>).
    /// </summary>
    IReadOnlyCollection<string> ScannedForDeletions => [];

    /// <summary>Runs one capture pass. Throws on failure; whatever was flushed before stays acknowledged.</summary>
    Task CaptureAsync(CaptureContext context, CancellationToken cancellationToken);
}
