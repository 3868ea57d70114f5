using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Publishing.Kafka;

/// <summary>
/// <see cref="IPublishedRecordScan"/> over the brokers: assigns every partition of the topics from the beginning
/// (no group, no commit) and reads up to the high watermarks taken at the start, values and keys skipped.
/// </summary>
public sealed class KafkaRecordScan(KafkaConnection connection, IOptions<KafkaOptions> options) : IPublishedRecordScan
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    public IEnumerable<string?> Sources(IReadOnlyCollection<string> topics)
    {
        var wanted = topics.ToHashSet(StringComparer.Ordinal);
        List<TopicPartition> partitions;
        using (var admin = new DependentAdminClientBuilder(connection.Producer.Handle).Build())
        {
            partitions = [.. admin.GetMetadata(RequestTimeout).Topics
                .Where(t => wanted.Contains(t.Topic) && !t.Error.IsError)
                .SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId)))];
        }

        if (partitions.Count == 0)
        {
            yield break;
        }

        var config = connection.ConsumerConfig("freshchat-stream-history");
        config.EnablePartitionEof = true;
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(config).Build();
        var ends = partitions.ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(p, RequestTimeout).High.Value);
        var pending = ends.Where(e => e.Value > 0).Select(e => e.Key).ToHashSet();
        if (pending.Count == 0)
        {
            yield break;
        }

        consumer.Assign(pending.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var quiet = TimeSpan.Zero;
        var step = TimeSpan.FromMilliseconds(200);
        while (pending.Count > 0)
        {
            var result = consumer.Consume(step);
            if (result is null)
            {
                quiet += step;
                if (quiet > RequestTimeout)
                {
                    throw new KafkaException(new Error(ErrorCode.Local_TimedOut, $"reading the published history of {options.Value.TopicPrefix}.* stalled"));
                }

                continue;
            }

            quiet = TimeSpan.Zero;
            if (result.IsPartitionEOF || result.Offset.Value + 1 >= ends[result.TopicPartition])
            {
                pending.Remove(result.TopicPartition);
            }

            if (!result.IsPartitionEOF)
            {
                yield return result.Message.Headers?.TryGetLastBytes(CloudEventHeaders.Source, out var bytes) == true ? Encoding.UTF8.GetString(bytes) : null;
            }
        }
    }
}
