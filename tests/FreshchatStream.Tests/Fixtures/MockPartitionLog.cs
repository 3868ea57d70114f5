using Confluent.Kafka;
using FreshchatStream.Sandbox.Kafka;

namespace FreshchatStream.Tests.Fixtures;

/// <summary>
/// Tells a harness limit from a lost record: the mock cluster drops a partition's oldest message sets past
/// <see cref="MockKafkaCluster.PartitionLogCapBytes"/>, so a topic read "to its end" from offset 0 can come up short
/// with every record delivered. A reader that counts records asserts the log still starts at 0.
/// </summary>
internal static class MockPartitionLog
{
    /// <summary>
    /// Assigns every partition of <paramref name="topic"/> from its beginning, leaders known first: a consumer assigned
    /// before it has the topic's metadata finds "no current leader" and retries the beginning-offset query on a fixed
    /// 500 ms timer (librdkafka's debug log shows it), so every fresh reader waited half a second for its first record.
    /// One watermark query loads the leaders; the first record then arrives in about 20 ms (measured).
    /// </summary>
    public static void AssignFromBeginning<TKey, TValue>(IConsumer<TKey, TValue> consumer, string topic, int partitions)
    {
        consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(10));
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
    }

    /// <summary>Fails, naming the cause, when any partition of <paramref name="topic"/> no longer starts at offset 0.</summary>
    public static void AssertComplete<TKey, TValue>(IConsumer<TKey, TValue> consumer, string topic, int partitions)
    {
        foreach (var partition in Enumerable.Range(0, partitions))
        {
            var low = consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(10)).Low.Value;
            Assert.True(low <= 0,
                $"{topic} [{partition}] now starts at offset {low}: the mock cluster keeps at most {MockKafkaCluster.PartitionLogCapBytes / (1024 * 1024)} MiB "
                + "per partition and dropped its oldest records, so a count read from the topic is short although every record was delivered. "
                + "Spread the test's records over more partitions (CaptureScenario.StartAsync(partitions: …)).");
        }
    }
}
