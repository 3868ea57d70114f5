using Confluent.Kafka;
using FreshchatStream.Producer.Capture;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Publishing.Kafka;

/// <summary>
/// Whether this deployment's topics already hold captured events, read from the brokers' high watermarks. A
/// state store found empty while they do has lost its data (Redis restarted without persistence, a flushed
/// database, a failover to an empty replica), which the capture engine must not mistake for a first run. Every
/// record counts: the topics belong to this one account (the single-account layout). A multi-account deployment,
/// whose accounts may share topics, uses <see cref="SharedTopicHistory"/> instead.
/// </summary>
public sealed class PublishedHistory(KafkaConnection connection, IOptions<KafkaOptions> options) : IPublishedHistory
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private readonly TopicNames _topics = new(options.Value.TopicPrefix);

    /// <summary>
    /// Records in the topics capture writes to (the heartbeat and dead-letter topics excluded), summed over
    /// partitions; 0 on a fresh deployment. Throws <see cref="KafkaException"/> when the brokers do not answer.
    /// </summary>
    public long CountCaptured()
    {
        var captured = CaptureCatalogue.Topics.Where(r => r != CaptureCatalogue.HeartbeatTopic)
            .Select(r => _topics.For(r)).ToHashSet(StringComparer.Ordinal);
        using var admin = new DependentAdminClientBuilder(connection.Producer.Handle).Build();
        var partitions = admin.GetMetadata(RequestTimeout).Topics
            .Where(t => captured.Contains(t.Topic) && !t.Error.IsError)
            .SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId)))
            .ToList();
        if (partitions.Count == 0)
        {
            return 0;
        }

        using var consumer = new ConsumerBuilder<Ignore, Ignore>(connection.ConsumerConfig("freshchat-stream-history")).Build();
        return partitions.Sum(p => consumer.QueryWatermarkOffsets(p, RequestTimeout).High.Value);
    }
}
