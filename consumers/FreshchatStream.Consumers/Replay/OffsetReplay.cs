using Confluent.Kafka;

namespace FreshchatStream.Consumers.Replay;

/// <summary>
/// Rewinds a consumer group over some topics — to the earliest offsets, or to the first offset at or after a
/// time (looked up with <c>OffsetsForTimes</c>) — and commits those offsets for the group, so a lander or any
/// service in that group rebuilds from the topics alone. It joins the group to commit (which works on every broker,
/// including librdkafka's mock cluster, where a commit from outside a group is refused): if the group still has
/// live members they keep some partitions, the assignment stays incomplete, and the replay refuses — stop them first.
/// </summary>
public sealed class OffsetReplay(string bootstrapServers, IReadOnlyDictionary<string, string> clientSettings, int sessionTimeoutMs = 45_000)
{
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AssignmentGrace = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public IReadOnlyList<TopicPartitionOffset> Rewind(string groupId, IEnumerable<string> topics, DateTimeOffset? toTime)
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(clientSettings))
        {
            BootstrapServers = bootstrapServers,
            GroupId = groupId,
            EnableAutoCommit = false,
            SessionTimeoutMs = sessionTimeoutMs,
        };
        var partitions = Partitions(topics);
        var assigned = new HashSet<TopicPartition>();
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(config)
            .SetPartitionsAssignedHandler((_, given) =>
            {
                assigned.UnionWith(given);
                // Stay where the group was; nothing is read, the point is to own every partition for the commit.
                return given.Select(p => new TopicPartitionOffset(p, Offset.Stored));
            })
            .Build();
        consumer.Subscribe(partitions.Select(p => p.Topic).Distinct());
        var deadline = DateTime.UtcNow + JoinTimeout;
        DateTime? firstAssignment = null;
        while (!partitions.All(assigned.Contains) && DateTime.UtcNow < deadline)
        {
            consumer.Consume(TimeSpan.FromMilliseconds(100));
            firstAssignment ??= assigned.Count > 0 ? DateTime.UtcNow : null;
            if (firstAssignment is { } at && DateTime.UtcNow - at > AssignmentGrace)
            {
                break; // other members kept the rest: the group is in use
            }
        }

        if (!partitions.All(assigned.Contains))
        {
            consumer.Close();
            throw new InvalidOperationException(
                $"consumer group '{groupId}' has active members holding {partitions.Count - partitions.Count(assigned.Contains)} partition(s); stop them, then replay again.");
        }

        IReadOnlyList<TopicPartitionOffset> targets = toTime is { } time
            ? consumer.OffsetsForTimes(partitions.Select(p => new TopicPartitionTimestamp(p, new Timestamp(time.UtcDateTime))), Timeout)
                .Select(o => o.Offset == Offset.End ? new TopicPartitionOffset(o.TopicPartition, consumer.QueryWatermarkOffsets(o.TopicPartition, Timeout).High) : o)
                .ToList()
            : partitions.Select(p => new TopicPartitionOffset(p, consumer.QueryWatermarkOffsets(p, Timeout).Low)).ToList();
        try
        {
            consumer.Commit(targets);
        }
        catch (KafkaException e) when (e.Error.Code is ErrorCode.UnknownMemberId or ErrorCode.IllegalGeneration or ErrorCode.RebalanceInProgress)
        {
            throw new InvalidOperationException($"consumer group '{groupId}' is rebalancing or has active members ({e.Error.Code}); stop them, then replay again.", e);
        }
        finally
        {
            consumer.Close();
        }

        return targets;
    }

    private List<TopicPartition> Partitions(IEnumerable<string> topics)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var partitions = new List<TopicPartition>();
        foreach (var topic in topics)
        {
            var metadata = admin.GetMetadata(topic, Timeout).Topics.FirstOrDefault();
            if (metadata is null || metadata.Error.IsError || metadata.Partitions.Count == 0)
            {
                throw new InvalidOperationException($"topic '{topic}' does not exist or has no partitions ({metadata?.Error.Reason ?? "no metadata"}).");
            }

            partitions.AddRange(metadata.Partitions.Select(p => new TopicPartition(topic, p.PartitionId)));
        }

        return partitions;
    }
}
