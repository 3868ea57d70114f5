using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using FreshchatStream.Producer.Events;
using FreshchatStream.Producer.Publishing.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreshchatStream.Producer.Publishing;

/// <summary>
/// Sends records that cannot be serialized to <c>{prefix}.dlq</c> so one bad entity never blocks a resource.
/// Key: the original key's canonical JSON (UTF-8). Value: the raw entity JSON as returned (or, for a <c>d</c>
/// event, <c>{"topic","key","op"}</c>). Headers: <c>dlq_reason</c>, <c>dlq_topic</c>, <c>dlq_key</c>,
/// <c>dlq_exception</c>, <c>dlq_op</c>, <c>dlq_event_id</c>, <c>dlq_failed_at</c> — reasons name fields,
/// never values or credentials. Two more kinds (header <c>dlq_kind</c>): a listing item that could not become a
/// record (value = its raw text, key <c>{"topic","endpoint"}</c>, header <c>dlq_endpoint</c>) and a record over
/// <c>message.max.bytes</c> (value = <c>{"topic","key","op","bytes"}</c>, no payload).
/// </summary>
public sealed class DeadLetterPublisher(KafkaConnection connection, IOptions<KafkaOptions> options, TimeProvider time, ILogger<DeadLetterPublisher> logger)
{
    public const string ReasonHeader = "dlq_reason";
    public const string TopicHeader = "dlq_topic";
    public const string KeyHeader = "dlq_key";
    public const string ExceptionHeader = "dlq_exception";
    public const string OpHeader = "dlq_op";
    public const string EventIdHeader = "dlq_event_id";
    public const string FailedAtHeader = "dlq_failed_at";
    public const string EndpointHeader = "dlq_endpoint";
    public const string KindHeader = "dlq_kind";
    private const int MaxReasonLength = 1000;

    public string Topic { get; } = new TopicNames(options.Value.TopicPrefix).DeadLetter;

    /// <summary>Produces the dead-letter record; <paramref name="onReport"/> receives its delivery report.</summary>
    public void Publish(ChangeEvent change, string topic, string eventId, Exception reason, Action<DeliveryReport<byte[], byte[]>> onReport)
    {
        Log.RecordDeadLettered(logger, topic, change.Key.CanonicalJson, reason.Message);
        var message = Build(change, topic, eventId, reason, time.GetUtcNow());
        message.Headers.Add(KindHeader, Encoding.UTF8.GetBytes(DeadLetterKinds.Unconvertible));
        connection.Producer.Produce(Topic, message, onReport);
    }

    /// <summary>
    /// A record over the producer's <c>message.max.bytes</c>: the dead letter carries its key and the reason, not
    /// the payload (which would be too large for this topic as well).
    /// </summary>
    public void PublishOversized(ChangeEvent change, string topic, string eventId, int bytes, string reason, Action<DeliveryReport<byte[], byte[]>> onReport)
    {
        Log.RecordDeadLettered(logger, topic, change.Key.CanonicalJson, reason);
        var message = Build(change, topic, eventId, new InvalidOperationException(reason), time.GetUtcNow(), includePayload: false, bytes);
        message.Headers.Add(KindHeader, Encoding.UTF8.GetBytes(DeadLetterKinds.TooLarge));
        connection.Producer.Produce(Topic, message, onReport);
    }

    /// <summary>A listing item that could not become a record: the reason and its raw text; keyed by the endpoint.</summary>
    public void PublishRejected(string topic, string endpoint, string reason, string rawText, string kind, Action<DeliveryReport<byte[], byte[]>> onReport)
    {
        Log.ItemDeadLettered(logger, topic, endpoint, reason);
        var headers = new Headers();
        CloudEventHeaders.Add(headers, ReasonHeader, reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason);
        CloudEventHeaders.Add(headers, TopicHeader, topic);
        CloudEventHeaders.Add(headers, EndpointHeader, endpoint);
        CloudEventHeaders.Add(headers, KindHeader, kind);
        CloudEventHeaders.Add(headers, FailedAtHeader, time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        var key = JsonSerializer.SerializeToUtf8Bytes(new { topic, endpoint });
        connection.Producer.Produce(Topic, new Message<byte[], byte[]> { Key = key, Value = Encoding.UTF8.GetBytes(rawText), Headers = headers }, onReport);
    }

    internal static Message<byte[], byte[]> Build(ChangeEvent change, string topic, string eventId, Exception reason, DateTimeOffset failedAt,
        bool includePayload = true, int? bytes = null)
    {
        var value = change.Entity is { } raw && includePayload
            ? Encoding.UTF8.GetBytes(raw.GetRawText())
            : JsonSerializer.SerializeToUtf8Bytes(new { topic, key = change.Key.CanonicalJson, op = change.Op.Code(), bytes });
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
}
