using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using FreshchatStream.Producer.Events;

namespace FreshchatStream.Producer.Publishing;

/// <summary>
/// CloudEvents 1.0 Kafka binary-mode headers of an event record: <c>ce_specversion</c>, <c>ce_id</c>
/// (= <c>__event_id</c>), <c>ce_type</c> (<c>freshchat.{noun}.{created|updated|snapshot|deleted}</c>),
/// <c>ce_source</c> (<c>freshchat-stream/{account}</c>), <c>ce_time</c> (capture time, ISO-8601 UTC),
/// <c>ce_subject</c> (the entity id) and <c>content-type</c> (<c>application/avro</c>).
/// </summary>
public static class CloudEventHeaders
{
    public const string SpecVersion = "ce_specversion";
    public const string Id = "ce_id";
    public const string Type = "ce_type";
    public const string Source = "ce_source";
    public const string Time = "ce_time";
    public const string Subject = "ce_subject";
    public const string ContentType = "content-type";

    public static string EventType(ChangeEvent change) => $"freshchat.{change.Resource.EventNoun}.{change.Op.CloudEventVerb()}";

    public static string EventSource(string account) => $"freshchat-stream/{account}";

    // Values repeated on every record are encoded once and shared: librdkafka copies header bytes at produce
    // time and nothing writes into a header's array, so one instance can back any number of records.
    private static readonly byte[] SpecVersionValue = "1.0"u8.ToArray();
    private static readonly byte[] ContentTypeValue = "application/avro"u8.ToArray();
    private static readonly ConcurrentDictionary<(string Noun, ChangeOp Op), byte[]> EventTypes = new();
    private static readonly ConcurrentDictionary<string, byte[]> EventSources = new(StringComparer.Ordinal);

    public static Headers Create(ChangeEvent change, string eventId)
    {
        var headers = new Headers
        {
            { SpecVersion, SpecVersionValue },
            { Id, Encoding.UTF8.GetBytes(eventId) },
            { Type, EventTypes.GetOrAdd((change.Resource.EventNoun, change.Op), static (_, c) => Encoding.UTF8.GetBytes(EventType(c)), change) },
            { Source, EventSourceBytes(change.Account) },
            { Time, IsoTime(change.CapturedAt) },
            { Subject, Encoding.UTF8.GetBytes(change.Key.Id) },
            { ContentType, ContentTypeValue },
        };
        return headers;
    }

    // One account per process in practice; the bound only guards against a caller cycling through many.
    private static byte[] EventSourceBytes(string account)
    {
        if (EventSources.TryGetValue(account, out var cached))
        {
            return cached;
        }

        var bytes = Encoding.UTF8.GetBytes(EventSource(account));
        if (EventSources.Count < 64)
        {
            EventSources.TryAdd(account, bytes);
        }

        return bytes;
    }

    private static byte[] IsoTime(DateTimeOffset time)
    {
        Span<byte> text = stackalloc byte[32];
        return time.UtcDateTime.TryFormat(text, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
            ? text[..written].ToArray()
            : Encoding.UTF8.GetBytes(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
    }

    internal static void Add(Headers headers, string name, string value) => headers.Add(name, Encoding.UTF8.GetBytes(value));
}
