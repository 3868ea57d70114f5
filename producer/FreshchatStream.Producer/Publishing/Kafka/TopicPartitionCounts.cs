using System.Collections.Concurrent;
using Confluent.Kafka;

namespace FreshchatStream.Producer.Publishing.Kafka;

/// <summary>
/// Partition counts from the producer's own metadata, cached per topic for a few minutes, so messages can be
/// placed by <c>murmur2(conversation_id) % partitions</c> without a metadata request per record.
/// </summary>
public sealed class TopicPartitionCounts(KafkaConnection connection, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (int Count, DateTimeOffset FetchedAt)> _counts = new(StringComparer.Ordinal);
    private readonly Lazy<IAdminClient> _metadata = new(() => new DependentAdminClientBuilder(connection.Producer.Handle).Build());

    /// <summary>The topic's partition count; throws <see cref="KafkaException"/> when the broker does not know the topic.</summary>
    public int Get(string topic)
    {
        var now = time.GetUtcNow();
        if (_counts.TryGetValue(topic, out var cached) && now - cached.FetchedAt < CacheFor)
        {
            return cached.Count;
        }

        var metadata = _metadata.Value.GetMetadata(topic, MetadataTimeout);
        var entry = metadata.Topics.FirstOrDefault(t => t.Topic == topic);
        if (entry is null || entry.Error.IsError || entry.Partitions.Count == 0)
        {
            throw new KafkaException(entry?.Error.IsError == true ? entry.Error : new Error(ErrorCode.UnknownTopicOrPart, $"Topic {topic} has no partitions in the broker metadata."));
        }

        _counts[topic] = (entry.Partitions.Count, now);
        return entry.Partitions.Count;
    }
}
