namespace FreshchatStream.Producer.Events;

/// <summary>The Kafka <c>cleanup.policy</c> a topic is created with.</summary>
public enum TopicCleanup
{
    /// <summary>Latest state per key survives; deletes are a <c>d</c> event followed by a tombstone.</summary>
    Compact,

    /// <summary>Append-only history, removed by retention.</summary>
    Delete,
}
