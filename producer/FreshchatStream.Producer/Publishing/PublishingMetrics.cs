using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;

namespace FreshchatStream.Producer.Publishing;

/// <summary>
/// Publishing instruments under the <c>FreshchatStream.Publishing</c> meter: records Kafka acknowledged (by topic
/// and kind), delivery failures, dead-lettered records, and librdkafka's own statistics (queue depth, bytes),
/// which the producer handle reports every <c>statistics.interval.ms</c>.
/// </summary>
public sealed class PublishingMetrics : IDisposable
{
    public const string MeterName = "FreshchatStream.Publishing";

    private readonly Meter _meter;
    private readonly Counter<long> _records;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _deadLetters;
    private long _queuedMessages;
    private long _queuedBytes;
    private long _transmittedMessages;

    public PublishingMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _records = _meter.CreateCounter<long>("freshchat_stream.publishing.records", "{record}", "Records Kafka acknowledged, by topic and kind (event, tombstone, dead_letter).");
        _failures = _meter.CreateCounter<long>("freshchat_stream.publishing.delivery_failures", "{record}", "Records Kafka did not persist, by topic; their batch is not acknowledged.");
        _deadLetters = _meter.CreateCounter<long>("freshchat_stream.dead_letters", "{record}",
            "Records sent to {prefix}.dlq, by the topic they were meant for and kind (not_object, missing_id, unconvertible, too_large).");
        _meter.CreateObservableGauge("freshchat_stream.kafka.queue.messages", () => Interlocked.Read(ref _queuedMessages), "{message}", "Messages waiting in librdkafka's queue (from its statistics).");
        _meter.CreateObservableGauge("freshchat_stream.kafka.queue.bytes", () => Interlocked.Read(ref _queuedBytes), "By", "Bytes waiting in librdkafka's queue (from its statistics).");
        _meter.CreateObservableCounter("freshchat_stream.kafka.transmitted", () => Interlocked.Read(ref _transmittedMessages), "{message}", "Messages librdkafka sent to brokers (from its statistics).");
    }

    public void Acknowledged(string topic, string kind) => _records.Add(1, new TagList { { "topic", topic }, { "kind", kind } });

    public void DeadLettered(string topic, string kind) => _deadLetters.Add(1, new TagList { { "topic", topic }, { "kind", kind } });

    public void Failed(string topic) => _failures.Add(1, new TagList { { "topic", topic } });

    /// <summary>Reads the few numbers we export from a librdkafka statistics JSON document; an unreadable one is ignored.</summary>
    public void OnStatistics(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.TryGetProperty("msg_cnt", out var count) && count.TryGetInt64(out var messages))
            {
                Interlocked.Exchange(ref _queuedMessages, messages);
            }

            if (root.TryGetProperty("msg_size", out var size) && size.TryGetInt64(out var bytes))
            {
                Interlocked.Exchange(ref _queuedBytes, bytes);
            }

            if (root.TryGetProperty("txmsgs", out var sent) && sent.TryGetInt64(out var transmitted))
            {
                Interlocked.Exchange(ref _transmittedMessages, transmitted);
            }
        }
        catch (JsonException)
        {
            // statistics are advisory
        }
    }

    public void Dispose() => _meter.Dispose();
}
