using System.Collections.Concurrent;
using Confluent.Kafka;

namespace FreshchatStream.Producer.Publishing.Kafka;

/// <summary>
/// Partition counts from the producer's own metadata, cached per topic for a few minutes, so messages can be
/// placed by <c>murmur2(conversation_id) % partitions</c> without a metadata request per record.
/// </summary>
/// <remarks>
/// The metadata comes through an admin client on the producer's handle, which polls a queue of that handle on a
/// thread of its own until it is disposed. It must be disposed before the producer: polling a queue of a destroyed
/// handle is a use-after-free in librdkafka (<c>rd_kafka_q_pop_serve_maybe_consume</c>), which crashed the test host
/// at times when a host was disposed. The container disposes this singleton before the <see cref="KafkaConnection"/>
/// it depends on.
/// </remarks>
public sealed class TopicPartitionCounts(KafkaConnection connection, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (int Count, DateTimeOffset FetchedAt)> _counts = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private IAdminClient? _metadata;
    private bool _disposed;

    /// <summary>The topic's partition count; throws <see cref="KafkaException"/> when the broker does not know the topic.</summary>
    public int Get(string topic)
    {
        var now = time.GetUtcNow();
        if (_counts.TryGetValue(topic, out var cached) && now - cached.FetchedAt < CacheFor)
        {
            return cached.Count;
        }

        var metadata = Metadata().GetMetadata(topic, MetadataTimeout);
        var entry = metadata.Topics.FirstOrDefault(t => t.Topic == topic);
        if (entry is null || entry.Error.IsError || entry.Partitions.Count == 0)
        {
            throw new KafkaException(entry?.Error.IsError == true ? entry.Error : new Error(ErrorCode.UnknownTopicOrPart, $"Topic {topic} has no partitions in the broker metadata."));
        }

        _counts[topic] = (entry.Partitions.Count, now);
        return entry.Partitions.Count;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _metadata?.Dispose();
            _metadata = null;
        }
    }

    private IAdminClient Metadata()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _metadata ??= new DependentAdminClientBuilder(connection.Producer.Handle).Build();
        }
    }
}
