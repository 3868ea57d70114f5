using System.Globalization;
using System.Text;
using Confluent.Kafka;

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

    public static Headers Create(ChangeEvent change, string eventId)
    {
        var headers = new Headers();
        Add(headers, SpecVersion, "1.0");
        Add(headers, Id, eventId);
        Add(headers, Type, EventType(change));
        Add(headers, Source, EventSource(change.Account));
        Add(headers, Time, change.CapturedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        Add(headers, Subject, change.Key.Id);
        Add(headers, ContentType, "application/avro");
        return headers;
    }

    internal static void Add(Headers headers, string name, string value) => headers.Add(name, Encoding.UTF8.GetBytes(value));
}
