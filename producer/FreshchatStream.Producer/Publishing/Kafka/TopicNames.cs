using FreshchatStream.Producer.Capture;
using FreshchatStream.Producer.Events;

namespace FreshchatStream.Producer.Publishing.Kafka;

/// <summary>A topic to provision: its name, cleanup policy and, when it must not be <c>Kafka:TopicPartitions</c>, its partition count.</summary>
public sealed record TopicSpec(string Name, TopicCleanup Cleanup, int? Partitions = null);

/// <summary>
/// Topic names under one <c>Kafka:TopicPrefix</c>: <c>{prefix}.{resource}</c> for every published resource,
/// plus the dead-letter topic.
/// </summary>
public sealed class TopicNames(string prefix)
{
    public string Prefix { get; } = prefix;

    public string DeadLetter => $"{Prefix}.dlq";

    public string For(TopicDescriptor resource) => $"{Prefix}.{resource.Resource}";

    public string For(string resource) => For(CaptureCatalogue.Topic(resource));

    /// <summary>
    /// Every topic the producer writes: the resource topics (heartbeat and webhook events included) with their
    /// policy, and the dead-letter topic.
    /// </summary>
    public IReadOnlyList<TopicSpec> All() =>
        [.. CaptureCatalogue.Topics.Select(r => new TopicSpec(For(r), r.Cleanup)), new TopicSpec(DeadLetter, TopicCleanup.Delete)];
}
