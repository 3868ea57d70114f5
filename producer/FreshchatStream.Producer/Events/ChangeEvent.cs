using System.Text.Json;
using System.Text.Json.Nodes;
using FreshchatStream.Producer.Publishing.Avro;

namespace FreshchatStream.Producer.Events;

/// <summary>
/// One change to publish: which resource, what happened (<see cref="Op"/>), the record key, the entity's raw
/// JSON as the API returned it (absent on <c>d</c>), its <see cref="Fingerprint"/>, and capture metadata.
/// Built by the capture strategies, turned into Avro by <see cref="FreshchatStream.Producer.Publishing.Avro.AvroRecordPlan"/> and sent by
/// <see cref="ChangeEventPublisher"/>.
/// </summary>
public sealed class ChangeEvent
{
    private ChangeEvent(TopicDescriptor resource, ChangeOp op, ChangeEventKey key, JsonElement? entity, string? fingerprint,
        DateTimeOffset capturedAt, string account, string endpoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(account);
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        if ((resource.KeyKind == TopicKeyKind.Message) != (key.ConversationId is not null))
        {
            throw new ArgumentException(resource.KeyKind == TopicKeyKind.Message
                ? $"A {resource.Resource} key needs a conversation id."
                : $"A {resource.Resource} key has no conversation id.", nameof(key));
        }

        Resource = resource;
        Op = op;
        Key = key;
        Entity = entity;
        Fingerprint = fingerprint;
        CapturedAt = capturedAt;
        Account = account;
        Endpoint = endpoint;
    }

    public TopicDescriptor Resource { get; }

    public ChangeOp Op { get; }

    public ChangeEventKey Key { get; }

    /// <summary>The full JSON object as returned by the API; null on <c>d</c> events.</summary>
    public JsonElement? Entity { get; }

    /// <summary>The version fingerprint; null on <c>d</c> events (their event id hashes <c>delete</c>).</summary>
    public string? Fingerprint { get; }

    /// <summary>When the producer read the entity (<c>__captured_at</c>, <c>ce_time</c>).</summary>
    public DateTimeOffset CapturedAt { get; }

    /// <summary>The Freshchat account captured (<c>__account</c>, part of <c>ce_source</c>).</summary>
    public string Account { get; }

    /// <summary>The API path the entity was read from (<c>__endpoint</c>), e.g. <c>/v2/users/{id}</c>.</summary>
    public string Endpoint { get; }

    public bool IsDelete => Op == ChangeOp.Delete;

    /// <summary>
    /// An event for an entity version (<c>c</c>, <c>u</c> or <c>r</c>). The key comes from the resource's id
    /// property (a number is taken as its text); for messages <paramref name="conversationId"/> defaults to the
    /// object's <c>conversation_id</c>. <paramref name="fingerprint"/> may be passed when the caller already
    /// computed it for change detection.
    /// </summary>
    public static ChangeEvent ForEntity(TopicDescriptor resource, ChangeOp op, JsonElement entity, DateTimeOffset capturedAt,
        string account, string endpoint, string? conversationId = null, string? fingerprint = null)
    {
        if (op == ChangeOp.Delete)
        {
            throw new ArgumentException("Use ChangeEvent.Deleted for d events: they carry no entity.", nameof(op));
        }

        if (entity.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"A {resource.Resource} entity must be a JSON object, not {entity.ValueKind}.", nameof(entity));
        }

        var id = ReadId(entity, resource.IdField)
            ?? throw new ArgumentException($"The {resource.Resource} object has no '{resource.IdField}' to key it by.", nameof(entity));
        if (resource.KeyKind == TopicKeyKind.Message)
        {
            conversationId ??= ReadId(entity, "conversation_id")
                ?? throw new ArgumentException("A message without 'conversation_id' needs the conversationId argument.", nameof(conversationId));
        }
        else
        {
            conversationId = null;
        }

        return new ChangeEvent(resource, op, new ChangeEventKey(id, conversationId), entity.Clone(),
            fingerprint ?? Events.Fingerprint.Compute(entity), capturedAt, account, endpoint);
    }

    /// <inheritdoc cref="ForEntity(TopicDescriptor, ChangeOp, JsonElement, DateTimeOffset, string, string, string?, string?)"/>
    public static ChangeEvent ForEntity(TopicDescriptor resource, ChangeOp op, JsonObject entity, DateTimeOffset capturedAt,
        string account, string endpoint, string? conversationId = null, string? fingerprint = null) =>
        ForEntity(resource, op, JsonSerializer.SerializeToElement(entity), capturedAt, account, endpoint, conversationId, fingerprint);

    /// <summary>A <c>d</c> event: key and metadata only. Compacted topics follow it with a tombstone.</summary>
    public static ChangeEvent Deleted(TopicDescriptor resource, ChangeEventKey key, DateTimeOffset capturedAt, string account, string endpoint) =>
        new(resource, ChangeOp.Delete, key, entity: null, fingerprint: null, capturedAt, account, endpoint);

    /// <summary>The event id of this event on <paramref name="topic"/> (see <see cref="EventIds"/>).</summary>
    public string EventId(string topic) => EventIds.Compute(topic, Key, IsDelete ? null : Fingerprint);

    private static string? ReadId(JsonElement entity, string property) =>
        entity.TryGetProperty(property, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String when value.GetString() is { Length: > 0 } text => text,
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
