using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Publishing;

/// <summary>
/// Sends records that cannot be serialized to <c>{prefix}.dlq</c> so one bad entity never blocks a resource.
/// Key: the original key's canonical JSON (UTF-8). Value: the raw entity JSON as returned (or, for a <c>d</c>
/// event, <c>{"topic","key","op"}</c>). Headers: <c>dlq_reason</c>, <c>dlq_topic</c>, <c>dlq_key</c>,
/// <c>dlq_exception</c>, <c>dlq_op</c>, <c>dlq_event_id</c>, <c>dlq_failed_at</c> — reasons name fields,
/// never values or credentials.
/// </summary>
public sealed partial class DeadLetterPublisher(KafkaConnection connection, IOptions<KafkaOptions> options, TimeProvider time, ILogger<DeadLetterPublisher> logger)
{
    public const string ReasonHeader = "dlq_reason";
    public const string TopicHeader = "dlq_topic";
    public const string KeyHeader = "dlq_key";
    public const string ExceptionHeader = "dlq_exception";
    public const string OpHeader = "dlq_op";
    public const string EventIdHeader = "dlq_event_id";
    public const string FailedAtHeader = "dlq_failed_at";
    private const int MaxReasonLength = 1000;

    public string Topic { get; } = new TopicNames(options.Value.TopicPrefix).DeadLetter;

    /// <summary>Produces the dead-letter record; <paramref name="onReport"/> receives its delivery report.</summary>
    public void Publish(ChangeEvent change, string topic, string eventId, Exception reason, Action<DeliveryReport<byte[], byte[]>> onReport)
    {
        LogDeadLettered(logger, topic, change.Key.CanonicalJson, reason.Message);
        connection.Producer.Produce(Topic, Build(change, topic, eventId, reason, time.GetUtcNow()), onReport);
    }

    internal static Message<byte[], byte[]> Build(ChangeEvent change, string topic, string eventId, Exception reason, DateTimeOffset failedAt)
    {
        var value = change.Entity is { } raw
            ? Encoding.UTF8.GetBytes(raw.GetRawText())
            : JsonSerializer.SerializeToUtf8Bytes(new { topic, key = change.Key.CanonicalJson, op = change.Op.Code() });
        var message = reason.Message.Length > MaxReasonLength ? reason.Message[..MaxReasonLength] : reason.Message;
        var headers = new Headers();
        CloudEventHeaders.Add(headers, ReasonHeader, message);
        CloudEventHeaders.Add(headers, TopicHeader, topic);
        CloudEventHeaders.Add(headers, KeyHeader, change.Key.CanonicalJson);
        CloudEventHeaders.Add(headers, ExceptionHeader, reason.GetType().FullName ?? reason.GetType().Name);
        CloudEventHeaders.Add(headers, OpHeader, change.Op.Code());
        CloudEventHeaders.Add(headers, EventIdHeader, eventId);
        CloudEventHeaders.Add(headers, FailedAtHeader, failedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        return new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(change.Key.CanonicalJson), Value = value, Headers = headers };
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Warning, Message = "Dead-lettered a {Topic} record {Key}: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string topic, string key, string reason);
}
