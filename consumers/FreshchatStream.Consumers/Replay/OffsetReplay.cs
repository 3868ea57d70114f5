using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace FreshchatStream.Consumers.Replay;

/// <summary>
/// Rewinds a consumer group over some topics — to the earliest offsets, or to the first offset at or after a
/// time (looked up with <c>OffsetsForTimes</c>) — and commits those offsets for the group, so a lander or any
/// service in that group rebuilds from the topics alone. Two checks keep it from rewinding under running members:
/// first it asks the broker to describe the group (bounded in time; brokers without the API — such as librdkafka's
/// mock cluster — only earn a warning), then it joins the group to commit, which works on every broker, and refuses
/// if other members kept some of the partitions.
/// </summary>
public sealed class OffsetReplay(string bootstrapServers, IReadOnlyDictionary<string, string> clientSettings, int sessionTimeoutMs = 45_000)
{
    /// <summary>ListOffsets timestamps that mean "the first offset" and "the next offset to be written".</summary>
    private const long EarliestTimestamp = -2;
    private const long LatestTimestamp = -1;

    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AssignmentGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DescribeTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>Receives the one-line warnings of checks the broker could not answer.</summary>
    public Action<string> Warn { get; init; } = _ => { };

    public IReadOnlyList<TopicPartitionOffset> Rewind(string groupId, IEnumerable<string> topics, DateTimeOffset? toTime)
    {
        var partitions = Partitions(topics);
        RefuseIfDescribedActive(groupId);
        var config = new ConsumerConfig(new Dictionary<string, string>(clientSettings))
        {
            BootstrapServers = bootstrapServers,
            GroupId = groupId,
            EnableAutoCommit = false,
            SessionTimeoutMs = sessionTimeoutMs,
        };
        var assigned = new HashSet<TopicPartition>();
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(config)
            .SetPartitionsAssignedHandler((_, given) =>
            {
                assigned.UnionWith(given);
                // Stay where the group was; nothing is read, the point is to own every partition for the commit.
                return given.Select(p => new TopicPartitionOffset(p, Offset.Stored));
            })
            .SetLogHandler((_, _) => { })
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
            throw new InvalidOperationException(assigned.Count == 0
                ? $"could not join consumer group '{groupId}' within {JoinTimeout.TotalSeconds:0} s; check --bootstrap-servers."
                : $"consumer group '{groupId}' has active members holding {partitions.Count - partitions.Count(assigned.Contains)} partition(s); stop them, then replay again.");
        }

        var targets = Targets(consumer, partitions, toTime);
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

    /// <summary>
    /// One batched <c>ListOffsets</c> lookup for all partitions (per-partition watermark queries cost a round trip
    /// each): the first offset at or after the time — or, where nothing was written since, the end of the partition.
    /// </summary>
    private static List<TopicPartitionOffset> Targets(IConsumer<Ignore, Ignore> consumer, List<TopicPartition> partitions, DateTimeOffset? toTime)
    {
        var first = consumer.OffsetsForTimes(partitions.Select(p => new TopicPartitionTimestamp(p, Stamp(toTime))), Timeout);
        var pastTheEnd = first.Where(o => o.Offset == Offset.End || o.Offset.Value < 0).Select(o => o.TopicPartition).ToList();
        var ends = pastTheEnd.Count == 0
            ? new Dictionary<TopicPartition, Offset>()
            : consumer.OffsetsForTimes(pastTheEnd.Select(p => new TopicPartitionTimestamp(p, new Timestamp(LatestTimestamp, TimestampType.CreateTime))), Timeout)
                .ToDictionary(o => o.TopicPartition, o => o.Offset);
        return [.. first.Select(o => ends.TryGetValue(o.TopicPartition, out var end) ? new TopicPartitionOffset(o.TopicPartition, end) : new TopicPartitionOffset(o.TopicPartition, o.Offset))];
    }

    private static Timestamp Stamp(DateTimeOffset? toTime) =>
        toTime is { } time ? new Timestamp(time.UtcDateTime) : new Timestamp(EarliestTimestamp, TimestampType.CreateTime);

    /// <summary>
    /// Refuses when the broker reports members in the group. Bounded: a broker that does not answer in time (the mock
    /// cluster never does) leaves the join check alone in charge, with a warning. Never ListConsumerGroups — it has
    /// crashed processes against the mock cluster.
    /// </summary>
    private void RefuseIfDescribedActive(string groupId)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig(new Dictionary<string, string>(clientSettings)) { BootstrapServers = bootstrapServers })
            .SetLogHandler((_, _) => { })
            .Build();
        ConsumerGroupDescription? group = null;
        try
        {
            var describe = admin.DescribeConsumerGroupsAsync([groupId], new DescribeConsumerGroupsOptions { RequestTimeout = DescribeTimeout });
            if (describe.Wait(DescribeTimeout + TimeSpan.FromMilliseconds(500)))
            {
                group = describe.Result.ConsumerGroupDescriptions.FirstOrDefault();
            }
        }
        catch (AggregateException e)
        {
            Warn($"the broker could not describe group '{groupId}' ({e.InnerException?.Message}); relying on the group join to detect running members.");
            return;
        }

        if (group is null)
        {
            Warn($"the broker did not describe group '{groupId}' within {DescribeTimeout.TotalSeconds:0} s; relying on the group join to detect running members.");
            return;
        }

        if (group.Members.Count > 0)
        {
            throw new InvalidOperationException(
                $"consumer group '{groupId}' has {group.Members.Count} active member(s) (state {group.State}); stop them, then replay again.");
        }
    }

    private List<TopicPartition> Partitions(IEnumerable<string> topics)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig(new Dictionary<string, string>(clientSettings)) { BootstrapServers = bootstrapServers })
            .SetLogHandler((_, _) => { })
            .Build();
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
